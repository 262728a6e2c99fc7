// README.md (the marketplace page) and docs/*.md: every relative link and image resolves to a file the
// repository holds (not a git-ignored build output), every #anchor names a heading, README images are small
// PNGs, and the README stays a user's page of at most 250 lines.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { headingSlugs, markdownLinks } from '../../support/markdown';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const README_MAX_LINES = 250;
const IMAGE_MAX_BYTES = 150 * 1024;

const docs = ['README.md', ...fs.readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (rel: string) => fs.readFileSync(path.join(repoRoot, rel), 'utf8');

/** Relative targets of a file, resolved to repository paths, with where they are written. */
function relativeTargets(rel: string) {
  return markdownLinks(read(rel))
    .filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l.target) && !l.target.startsWith('#'))
    .map((l) => {
      const [file = '', anchor] = l.target.split('#', 2);
      return { ...l, anchor, path: path.posix.normalize(path.posix.join(path.posix.dirname(rel), decodeURI(file))) };
    });
}

/** Paths git ignores (build outputs such as dist/ or hello.wasm), or none when this is not a git checkout. */
function ignoredByGit(paths: string[]): Set<string> {
  if (!paths.length || !fs.existsSync(path.join(repoRoot, '.git'))) return new Set();
  const r = spawnSync('git', ['check-ignore', '--stdin'], { cwd: repoRoot, input: paths.join('\n'), encoding: 'utf8' });
  return new Set((r.stdout ?? '').split('\n').filter(Boolean));
}

describe('README and docs/', () => {
  it(`README.md has at most ${README_MAX_LINES} lines`, () => {
    const lines = read('README.md').split('\n').length - 1;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move design notes, figures and history to docs/`);
  });

  for (const rel of docs) {
    it(`${rel}: every relative link and image resolves to a file in the repository`, () => {
      const targets = relativeTargets(rel);
      const missing = targets.filter((t) => t.path.startsWith('..') || !fs.existsSync(path.join(repoRoot, t.path)));
      assert.deepEqual(missing.map((t) => `${rel}:${t.line}: ${t.target}`), [], 'links to files that are not in the repository');
      const ignored = ignoredByGit(targets.map((t) => t.path));
      assert.deepEqual(targets.filter((t) => ignored.has(t.path)).map((t) => `${rel}:${t.line}: ${t.target}`), [], 'links to git-ignored files');
    });

    it(`${rel}: every #anchor names a heading`, () => {
      const bad: string[] = [];
      for (const l of markdownLinks(read(rel))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(l.target) || !l.target.includes('#')) continue;
        const [file = '', anchor = ''] = l.target.split('#', 2);
        const target = file ? path.posix.join(path.posix.dirname(rel), file) : rel;
        if (!target.endsWith('.md') || !fs.existsSync(path.join(repoRoot, target))) continue;
        if (!headingSlugs(read(target)).has(anchor)) bad.push(`${rel}:${l.line}: ${l.target}`);
      }
      assert.deepEqual(bad, [], 'anchors with no heading of that name');
    });
  }

  it('README images are PNGs under 150 KB, written as Markdown images (vsce rewrites those for the marketplace)', () => {
    const images = relativeTargets('README.md').filter((t) => t.image);
    assert.ok(images.length >= 3, `the README shows ${images.length} screenshots`);
    for (const img of images) {
      const bytes = fs.readFileSync(path.join(repoRoot, img.path));
      assert.equal(bytes.toString('latin1', 1, 4), 'PNG', `${img.path} is not a PNG`);
      assert.ok(bytes.length < IMAGE_MAX_BYTES, `${img.path} is ${(bytes.length / 1024).toFixed(0)} KB`);
    }
    // vsce rewrites relative Markdown images and links to the repository's URLs, but refuses a relative
    // <img src> and leaves relative reference definitions (`[x]: docs/a.md`) broken on the marketplace.
    const text = read('README.md');
    assert.doesNotMatch(text, /<img\s[^>]*src=["'](?![a-z]+:)/i, 'a relative <img src>: use ![alt](path)');
    assert.doesNotMatch(text, /^\s{0,3}\[[^\]]+\]:\s*(?![a-z]+:|#)\S/im, 'a relative reference-style link definition');
  });
});

describe('media/screenshots/', () => {
  it('every screenshot is linked from the README (as an image or a link) and is a PNG under 150 KB', () => {
    const linked = new Set(relativeTargets('README.md').map((t) => t.path));
    const dir = 'media/screenshots';
    const files = fs.readdirSync(path.join(repoRoot, dir)).map((f) => `${dir}/${f}`);
    assert.ok(files.length >= 8, `${files.length} screenshots`);
    assert.deepEqual(files.filter((f) => !linked.has(f)), [], 'screenshots the README does not link (they would ship in the VSIX unseen)');
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(repoRoot, f));
      assert.equal(bytes.toString('latin1', 1, 4), 'PNG', `${f} is not a PNG`);
      assert.ok(bytes.length < IMAGE_MAX_BYTES, `${f} is ${(bytes.length / 1024).toFixed(0)} KB`);
    }
  });
});

describe('markdownLinks', () => {
  it('finds links and images with their lines, skipping code spans and fenced blocks', () => {
    const md = [
      'See [the design](docs/design.md) and ![shot](media/a.png "title").',
      '`[not](a link)` and',
      '```sh',
      'echo "[not](either)"',
      '```',
      'Nested [![badge](b.png)](c.md#part) <https://example.org>',
    ].join('\n');
    assert.deepEqual(markdownLinks(md).map((l) => [l.line, l.image, l.target]), [
      [1, false, 'docs/design.md'],
      [1, true, 'media/a.png'],
      [6, true, 'b.png'],
      [6, false, 'c.md#part'],
    ]);
  });

  it('makes heading slugs as GitHub does', () => {
    const slugs = headingSlugs('# Design notes\n## The host (`src/host/`)\n### run\n## Design notes\n```\n# not a heading\n```\n');
    assert.deepEqual([...slugs], ['design-notes', 'the-host-srchost', 'run', 'design-notes-1']);
  });
});
