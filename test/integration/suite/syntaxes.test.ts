// Our injection grammars against VS Code's real YAML and C grammars (the built-in extensions of the
// running VS Code, found through the extensions API): IG's words get our scopes, and every other character
// keeps exactly the scopes the host alone gives it, so the injection never derails the host's state.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SCOPES } from '../../../src/syntaxes/grammars';
import { GrammarSet, Token, tokenizer } from '../../support/textmate';
import { EXTENSION_ID } from '../helpers';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const CORPUS = path.join(repoRoot, 'test', 'fixtures', 'metadata', 'corpus');

interface GrammarContribution { scopeName?: string; path?: string; injectTo?: string[] }

/** Every grammar file the running VS Code knows, by scope; and our injections by host scope. */
function installedGrammars(): { files: Record<string, string>; ours: Record<string, string[]> } {
  const files: Record<string, string> = {};
  const ours: Record<string, string[]> = {};
  for (const ext of vscode.extensions.all) {
    const grammars = (ext.packageJSON as { contributes?: { grammars?: GrammarContribution[] } }).contributes?.grammars ?? [];
    for (const g of grammars) {
      if (!g.scopeName || !g.path) continue;
      files[g.scopeName] = path.join(ext.extensionPath, g.path);
      if (ext.id === EXTENSION_ID) for (const host of g.injectTo ?? []) (ours[host] ??= []).push(g.scopeName);
    }
  }
  return { files, ours };
}

/** One entry per character: its scopes without ours (`*.ig`), and whether ours marked it. */
function perChar(lines: Token[][]): { line: number; scopes: string; marked: string[] }[] {
  const out: { line: number; scopes: string; marked: string[] }[] = [];
  lines.forEach((tokens, i) => {
    for (const t of tokens) {
      const marked = t.scopes.filter((s) => s.endsWith('.ig'));
      const host = t.scopes.filter((s) => !s.endsWith('.ig')).join(' ');
      for (let k = 0; k < t.text.length; k++) out.push({ line: i + 1, scopes: host, marked });
    }
  });
  return out;
}

describe('syntaxes: injected into VS Code\'s own YAML and C grammars', () => {
  const { files, ours } = installedGrammars();
  const sets = (host: string): { plain: GrammarSet; injected: GrammarSet } => ({
    plain: { files },
    injected: { files, injections: { [host]: ours[host] ?? [] } },
  });

  it('package.json contributes one injection for source.yaml and one for source.c, and VS Code has both hosts', () => {
    assert.equal(ours['source.yaml']?.length, 1);
    assert.equal(ours['source.c']?.length, 1);
    assert.ok(files['source.yaml'] && files['source.c'], 'the built-in yaml and cpp extensions');
  });

  it('every gadget.yaml of the corpus: IG\'s keys marked, the host\'s scopes unchanged everywhere', async () => {
    const { plain, injected } = sets('source.yaml');
    const host = await tokenizer(plain, 'source.yaml');
    const withOurs = await tokenizer(injected, 'source.yaml');
    let marked = 0;
    for (const file of fs.readdirSync(CORPUS).filter((f) => f.endsWith('.yaml'))) {
      const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      const a = perChar(host(text));
      const b = perChar(withOurs(text));
      assert.equal(b.length, a.length, file);
      for (let i = 0; i < a.length; i++) {
        if (a[i]!.scopes !== b[i]!.scopes) assert.fail(`${file}:${a[i]!.line}: host scopes changed:\n  ${a[i]!.scopes}\n  ${b[i]!.scopes}`);
        if (b[i]!.marked.length) marked++;
      }
    }
    assert.ok(marked > 5000, `only ${marked} characters marked in the corpus`);
  });

  it('the gadget C fixture: macros and types marked; lines without a macro keep the host\'s scopes', async () => {
    const { plain, injected } = sets('source.c');
    const text = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'workspace', 'bpf', 'program.bpf.c'), 'utf8');
    const hostLines = (await tokenizer(plain, 'source.c'))(text);
    const ourLines = (await tokenizer(injected, 'source.c'))(text);
    const find = (text: string): Token | undefined => ourLines.flat().find((t) => t.text === text);
    assert.ok(find('GADGET_TRACER')?.scopes.includes(SCOPES.macro));
    assert.ok(find('GADGET_TOPPER')?.scopes.includes(SCOPES.removedMacro));
    assert.ok(find('gadget_timestamp')?.scopes.includes(SCOPES.specialType));
    assert.ok(find('gadget_l4endpoint_t')?.scopes.includes(SCOPES.specialType), 'ours wins over the host\'s posix-reserved `_t`');
    // A macro call is no longer read as a function definition (its arguments become parentheses), and our
    // type scope replaces the host's guess for `*_t` names: elsewhere the host's scopes stay.
    const a = perChar(hostLines);
    const b = perChar(ourLines);
    assert.equal(b.length, a.length);
    const lines = text.split('\n');
    const kept = (side: typeof a): string[] => side.filter((c, i) => !b[i]!.marked.length && !/\bGADGET_/.test(lines[c.line - 1]!))
      .map((c) => `${c.line} ${c.scopes}`);
    assert.deepEqual(kept(b), kept(a));
  });
});
