// The bad-input catalogue (cases.ts) through the real CLI process (out/src/cli/main.js): per case the
// exit status, where it failed (phase of the error record, input refusal, lint diagnostic, warning) and a
// message naming the cause — and never a JavaScript exception name or stack trace in the output.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileWat } from '../../support/wat';
import { ROOT } from '../cli/helpers';
import { CASES, Case } from './cases';
import { guestWat } from './guests';

const CLI = path.join(ROOT, 'out/src/cli/main.js');
/** What a leaked JS exception looks like: an engine error name, a stack frame, our last-resort handler. */
const LEAK = /\b(TypeError|RangeError|ReferenceError|SyntaxError|YAMLException|EvalError)\b|^\s+at .+:\d+:\d+\)?$|internal error/m;

interface Outcome { status: number | null; stdout: string; stderr: string }

function spawnCli(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => p.kill('SIGKILL'), 60000);
    p.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

async function prepare(c: Case, dir: string): Promise<string[]> {
  const files: Record<string, string | Uint8Array> = { ...(c.files ?? {}) };
  if (c.guest && !('mod.wasm' in files)) files['mod.wasm'] = await compileWat(guestWat(c.guest), `${c.name}.wat`);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return c.args.map((a) => a.replace(/\{([^}]+)\}/g, (_, n: string) => path.join(dir, n)));
}

const jsonLines = (s: string): Record<string, unknown>[] =>
  s.split('\n').filter((l) => l.startsWith('{')).map((l) => { try { return JSON.parse(l) as Record<string, unknown>; } catch { return {}; } });

/** The messages at the case's place, for matching and for the failure text. */
function found(c: Case, o: Outcome): string[] {
  const lines = jsonLines(o.stdout);
  switch (c.where) {
    case 'input': return o.stderr.split('\n').filter((l) => l.trim());
    case 'lint': return lines.flatMap((l) => (l.diagnostics as { code: string; line: number; column: number; message: string }[] ?? [])
      .map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`));
    case 'warn': return lines.filter((l) => l.type === 'log' && l.level === 'warn').map((l) => String(l.message));
    case 'log': return lines.filter((l) => l.type === 'log').map((l) => String(l.message));
    default: return lines.filter((l) => l.type === 'error' && l.phase === c.where).map((l) => String(l.message));
  }
}

describe(`bad-input catalogue (${CASES.length} cases through the CLI)`, function () {
  this.timeout(600000);
  const outcomes = new Map<string, Outcome>();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ig-catalogue-'));

  before(async () => {
    // Two at a time: the machine has two cores, and each case is a CLI process plus its worker.
    const queue = [...CASES];
    const worker = async (): Promise<void> => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const d = mkdtempSync(path.join(dir, 'c-'));
        outcomes.set(c.name, await spawnCli(await prepare(c, d)));
      }
    };
    await Promise.all([worker(), worker()]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has at least 100 cases with distinct names', () => {
    assert.ok(CASES.length >= 100, `${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
  });

  for (const c of CASES) {
    it(`${c.name}: exit ${c.status}, ${c.where}, ${c.message.source.slice(0, 60)}`, () => {
      const o = outcomes.get(c.name)!;
      const all = `stdout:\n${o.stdout.slice(0, 2000)}\nstderr:\n${o.stderr.slice(0, 2000)}`;
      assert.equal(o.status, c.status, all);
      assert.doesNotMatch(o.stdout + o.stderr, LEAK, 'a JavaScript exception reached the user');
      const msgs = found(c, o);
      assert.ok(msgs.some((m) => c.message.test(m)), `no ${c.where} message matches ${c.message}; found:\n${msgs.join('\n').slice(0, 3000)}\n${all}`);
    });
  }
});
