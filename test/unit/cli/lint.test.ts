// `ig-wasm lint` end to end: spawn the compiled CLI and check the JSON line shape, 1-based positions,
// the text format and the exit status contract (1 errors, 0 warnings only, 2 usage or unreadable file).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../../..');
const CLI = join(REPO, 'out/src/cli/main.js');
const FIX = join(REPO, 'test/fixtures/metadata');

function lint(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'lint', ...args], { encoding: 'utf8', cwd: REPO });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: ig-wasm lint', function () {
  // Each test spawns Node a few times; on a loaded two-core machine that takes seconds.
  this.timeout(60_000);
  let tmp: string;
  before(() => { tmp = mkdtempSync(join(tmpdir(), 'ig-lint-')); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('-o json, --output json and --format json (the alias) print the same', () => {
    const file = join(FIX, 'bad/duplicates.gadget.yaml');
    const o = lint(file, '-o', 'json');
    assert.equal(o.status, 1);
    assert.ok(o.stdout.startsWith('{"file":'), o.stdout);
    assert.equal(lint(file, '--output=json').stdout, o.stdout);
    assert.equal(lint(file, '--format', 'json').stdout, o.stdout);
    assert.equal(lint(file, '-o', 'text').stdout, lint(file).stdout);
    assert.match(lint(file, '-o', 'xml').stderr, /-o must be text or json, got 'xml'/);
  });

  it('--format json: one line per file with the exact diagnostic shape and 1-based positions; warnings only → exit 0', () => {
    const file = join(FIX, 'corpus/gadgets_trace_fsslower.gadget.yaml');
    const r = lint(file, '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]!), {
      file,
      diagnostics: [{
        severity: 'warning', line: 17, column: 11, endLine: 17, endColumn: 25, code: 'annotation-stray-colon',
        message: 'Annotation `columns.width:` has a stray colon, so IG sees a different name and ignores it. Did you mean `columns.width`?',
      }],
    });
    assert.deepEqual(Object.keys(JSON.parse(lines[0]!).diagnostics[0]), ['severity', 'line', 'column', 'endLine', 'endColumn', 'code', 'message']);
  });

  it('any error → exit 1; several files → one JSON line each, in order', () => {
    const bad = join(FIX, 'bad/duplicates.gadget.yaml');
    const good = join(FIX, 'corpus/gadgets_trace_exec.gadget.yaml');
    const r = lint('--format=json', good, bad);
    assert.equal(r.status, 1);
    const [a, b] = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { file: string; diagnostics: { severity: string; line: number; column: number }[] });
    assert.deepEqual(a, { file: good, diagnostics: [] });
    assert.equal(b!.file, bad);
    assert.deepEqual(b!.diagnostics.map((d) => `${d.severity} ${d.line}:${d.column}`), ['error 4:1', 'error 11:7', 'warning 14:1']);
  });

  it('text format (default): file:line:col: severity [code] message, summary on stderr', () => {
    const r = lint(join(FIX, 'corpus/gadgets_top_process.gadget.yaml'));
    assert.equal(r.status, 0);
    assert.match(r.stdout, /gadgets_top_process\.gadget\.yaml:52:11: warning \[unknown-annotation\] IG reads no annotation `columns\.with`; did you mean `columns\.width`\?/);
    assert.match(r.stderr, /1 file\(s\) linted, 0 error\(s\), 6 warning\(s\)/);
  });

  it('a clean file prints nothing in text mode and exits 0', () => {
    const r = lint(join(FIX, 'corpus/gadgets_trace_exec.gadget.yaml'));
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '');
  });

  it('an unreadable file → exit 2 with the reason, other files are still linted', () => {
    const missing = join(tmp, 'missing.yaml');
    const bad = join(FIX, 'bad/types.gadget.yaml');
    const r = lint('--format', 'json', missing, bad);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read .*missing\.yaml: ENOENT/);
    assert.equal(JSON.parse(r.stdout.trim()).file, bad);
    assert.equal(lint(tmp).status, 2, 'a directory is not a file');
  });

  it('usage errors → exit 2', () => {
    assert.equal(lint().status, 2);
    assert.equal(lint('--format', 'xml', 'x.yaml').status, 2);
    assert.equal(lint('--format').status, 2);
    assert.equal(lint('--frobnicate', 'x.yaml').status, 2);
    const help = lint('--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /usage: ig-wasm lint/);
  });

  it('binary and huge files are reported, not crashed on', () => {
    const bin = join(tmp, 'bin.yaml');
    writeFileSync(bin, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0x00, 0xff, 0xfe, 0x0a]));
    const r = lint('--format', 'json', bin);
    assert.equal(r.status, 1);
    assert.deepEqual(JSON.parse(r.stdout).diagnostics.map((d: { code: string; line: number; column: number }) => `${d.code} ${d.line}:${d.column}`), ['binary-content 1:7']);
    const big = join(tmp, 'big.yaml');
    writeFileSync(big, `name: big\n${'# padding line of a generated file\n'.repeat(320_000)}`);
    const rb = lint('--format', 'json', big);
    assert.equal(rb.status, 0);
    assert.equal(JSON.parse(rb.stdout).diagnostics[0].code, 'file-too-large');
  });
});
