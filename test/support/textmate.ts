// A real TextMate tokenizer for grammar tests: vscode-textmate with the Oniguruma wasm build, the engine
// VS Code itself runs. Loads grammars from files and injects ours into their hosts as VS Code does
// (package.json `injectTo`).
import { readFileSync } from 'node:fs';
import * as vsctm from 'vscode-textmate';
import * as onig from 'vscode-oniguruma';

export interface Token {
  text: string;
  /** Outermost first, as vscode-textmate reports them (the root scope included). */
  scopes: string[];
}

let onigLib: Promise<vsctm.IOnigLib> | undefined;

function loadOnig(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns),
      createOnigString: (s: string) => new onig.OnigString(s),
    };
  })();
  return onigLib;
}

export interface GrammarSet {
  /** Grammar file by scope name: the hosts and everything they include. */
  files: Readonly<Record<string, string>>;
  /** Injection scope names by host scope name. */
  injections?: Readonly<Record<string, readonly string[]>>;
}

/** A tokenizer for `scope`: whole text in, one token list per line out (state carried across lines). */
export async function tokenizer(set: GrammarSet, scope: string): Promise<(text: string) => Token[][]> {
  const registry = new vsctm.Registry({
    onigLib: loadOnig(),
    loadGrammar: async (name) => {
      const file = set.files[name];
      return file ? vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (name) => [...(set.injections?.[name] ?? [])],
  });
  const grammar = await registry.loadGrammar(scope);
  if (!grammar) throw new Error(`tokenizer: no grammar for scope ${scope}`);
  return (text) => {
    let state = vsctm.INITIAL;
    return text.split(/\r?\n/).map((line) => {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
    });
  };
}

/** Tokens whose innermost scope is `scope` (or ends with it), with their 1-based line. */
export function tokensWith(lines: Token[][], scope: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  lines.forEach((tokens, i) => {
    for (const t of tokens) if (t.scopes.includes(scope)) out.push({ line: i + 1, text: t.text });
  });
  return out;
}
