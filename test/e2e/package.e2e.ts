// The VSIX itself: small, only what runs, a marketplace-ready manifest, and a bundled CLI that works from
// the installed extension's folder with no node_modules beside it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { markdownLinks } from '../support/markdown';
import { repoRoot } from '../support/codeServer';
import { Vsix } from '../support/vsix';
import { e2e } from './fixture';

const MAX_BYTES = 1024 * 1024;
/** Runtime folders and files the VSIX may contain (under `extension/`), besides vsce's own metadata. */
const ALLOWED = [/^dist\//, /^media\//, /^syntaxes\//, /^schemas\//, /^package\.json$/, /^readme\.md$/i, /^changelog\.md$/i, /^license(\.txt)?$/i];
const VSCE_METADATA = ['[Content_Types].xml', 'extension.vsixmanifest'];

describe('VSIX package', () => {
  let vsix: Vsix;
  before(() => { vsix = Vsix.open(e2e().vsix); });

  it(`is at most ${MAX_BYTES / 1024} KiB`, () => {
    assert.ok(vsix.byteLength <= MAX_BYTES, `the VSIX is ${(vsix.byteLength / 1024).toFixed(0)} KiB`);
  });

  it('contains only dist/, media/, syntaxes/, schemas/, README, CHANGELOG, LICENSE and the manifest', () => {
    const names = vsix.names().filter((n) => !VSCE_METADATA.includes(n));
    const outside = names.filter((n) => !n.startsWith('extension/') || !ALLOWED.some((re) => re.test(n.slice('extension/'.length))));
    assert.deepEqual(outside, [], 'files the VSIX must not ship');
    const forbidden = names.filter((n) => /\.ts$|\.map$|\/node_modules\/|^extension\/(src|test|out|bench|scripts)\//.test(n));
    assert.deepEqual(forbidden, [], 'sources, source maps or dev dependencies in the VSIX');
  });

  it('ships the bundles, the icon, the grammars, README, CHANGELOG and LICENSE', () => {
    const names = new Set(vsix.names().map((n) => n.toLowerCase()));
    for (const f of ['extension/dist/extension.js', 'extension/media/icon.png', 'extension/readme.md', 'extension/changelog.md',
      'extension/syntaxes/gadget-yaml.injection.tmlanguage.json', 'extension/syntaxes/gadget-bpf-c.injection.tmlanguage.json']) {
      assert.ok(names.has(f), `missing ${f}`);
    }
    assert.ok([...names].some((n) => /^extension\/license(\.txt)?$/.test(n)), 'missing LICENSE');
  });

  it('ships every image the README shows (the marketplace page and the Extensions view)', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const images = markdownLinks(readme).filter((l) => l.image && !/^[a-z]+:/i.test(l.target)).map((l) => `extension/${l.target}`);
    assert.ok(images.length > 0, 'the README shows no images');
    const names = new Set(vsix.names());
    assert.deepEqual(images.filter((n) => !names.has(n)), [], 'README images missing from the VSIX');
  });

  it('has a marketplace-ready manifest', () => {
    const m = JSON.parse(vsix.read('extension/package.json').toString('utf8')) as Record<string, unknown>;
    for (const k of ['publisher', 'displayName', 'description', 'icon', 'categories', 'keywords', 'repository', 'license', 'engines']) {
      assert.ok(m[k], `package.json lacks ${k}`);
    }
    assert.equal(m.license, 'Apache-2.0');
    assert.equal(m.main, './dist/extension.js');
    assert.ok(!('devDependencies' in m && vsix.names().some((n) => n.includes('node_modules'))), 'dev dependencies packaged');
    const caps = m.capabilities as { untrustedWorkspaces?: { supported?: unknown } } | undefined;
    assert.equal(caps?.untrustedWorkspaces?.supported, 'limited', 'untrusted workspaces: linting only');
    // The icon is a real 128×128 PNG.
    const png = vsix.read(`extension/${String(m.icon)}`);
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });

  it('the installed CLI (dist/cli.js, dependencies bundled) lints the fixture gadgets', function () {
    const cli = path.join(e2e().extensionDir, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) this.skip();
    const lint = (rel: string) => spawnSync(process.execPath, [cli, 'lint', path.join(e2e().workspace, rel), '-o', 'json'], { encoding: 'utf8', timeout: 30_000 });
    const bad = lint('broken/gadget.yaml');
    assert.equal(bad.status === 0 || bad.status === 1, true, `exit ${bad.status}: ${bad.stderr}`);
    const report = JSON.parse(bad.stdout.trim().split('\n')[0]!) as { diagnostics: { line: number; message: string }[] };
    assert.ok(report.diagnostics.some((d) => /columns\.width/.test(d.message)), `no columns.width suggestion in ${bad.stdout}`);
    const good = lint('hello/gadget.yaml');
    assert.equal(good.status, 0, `hello/gadget.yaml: exit ${good.status}: ${good.stdout}${good.stderr}`);
  });
});
