// Command lines for IG's own engines: `ig run IMAGE -o json …` on this machine and `kubectl gadget run
// IMAGE -o json …` on a cluster, with the gadget's params as IG's flags and the cluster selectors. The facts
// (flag names, per-data-source output) are cited in docs/engines.md.

export type EngineKind = 'ig' | 'kubectl-gadget';

/** Which pods and containers a run watches (kubectl gadget); `ig` filters by container name only. */
export interface Selectors {
  namespace?: string;
  allNamespaces?: boolean;
  node?: string;
  podname?: string;
  containername?: string;
  /** Labels, `key1=value1,key2=value2` (IG supports `=` only). */
  selector?: string;
}

export interface EngineRunSpec {
  /** The image reference, as `ig image build -t` tagged it or a registry holds it. */
  image: string;
  /** Param values by key: the eBPF object's params and gadget.yaml's `params.wasm`; IG registers each as `--<key>`. */
  params?: Record<string, string>;
  /** The gadget's data sources: with several, JSON is asked for each by name (`-o ds1:json,ds2:json`). */
  datasources?: readonly string[];
  selectors?: Selectors;
  /** kubectl gadget only: the kubeconfig context to use instead of the current one. */
  context?: string;
}

/** A spec IG would refuse, said before anything runs. */
export class EngineArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineArgsError';
  }
}

/** `-o json`, or one `ds:json` per data source when there are several (IG's CLI operator then needs names). */
export function outputFlag(datasources: readonly string[] | undefined): string {
  const names = [...new Set(datasources ?? [])];
  for (const n of names) {
    if (!n || /[,:\s]/.test(n)) throw new EngineArgsError(`data source name '${n}' cannot be given to IG's --output (it splits on ',' and ':')`);
  }
  return names.length > 1 ? names.map((n) => `${n}:json`).join(',') : 'json';
}

/** `--key=value` per param, in key order (one form for every value, even one starting with '-'). */
export function paramFlags(params: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  for (const key of Object.keys(params ?? {}).sort()) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(key)) throw new EngineArgsError(`param key '${key}' cannot be a command-line flag`);
    out.push(`--${key}=${params![key]}`);
  }
  return out;
}

/** `ig run IMAGE -o json [--containername C] [--key=value…]`. */
export function igRunArgs(spec: EngineRunSpec): string[] {
  const s = spec.selectors ?? {};
  const unsupported = (['namespace', 'allNamespaces', 'node', 'podname', 'selector'] as const).filter((k) => s[k]);
  if (unsupported.length) {
    throw new EngineArgsError(`ig filters by container name only; ${unsupported.join(', ')} need kubectl gadget (Run Gadget on Kubernetes)`);
  }
  return ['run', checkImage(spec.image), '-o', outputFlag(spec.datasources),
    ...(s.containername ? ['--containername', s.containername] : []), ...paramFlags(spec.params)];
}

/** `kubectl gadget run IMAGE -o json [selectors] [--context C] [--key=value…]` (without the `kubectl gadget`). */
export function kubectlGadgetRunArgs(spec: EngineRunSpec): string[] {
  const s = spec.selectors ?? {};
  if (s.allNamespaces && s.namespace) throw new EngineArgsError('choose a namespace or all namespaces, not both');
  const sel: string[] = [];
  if (s.allNamespaces) sel.push('--all-namespaces');
  if (s.namespace) sel.push('--namespace', s.namespace);
  if (s.node) sel.push('--node', s.node);
  if (s.podname) sel.push('--podname', s.podname);
  if (s.containername) sel.push('--containername', s.containername);
  if (s.selector) sel.push('--selector', s.selector);
  return ['run', checkImage(spec.image), '-o', outputFlag(spec.datasources), ...sel,
    ...(spec.context ? ['--context', spec.context] : []), ...paramFlags(spec.params)];
}

export function runArgs(engine: EngineKind, spec: EngineRunSpec): string[] {
  return engine === 'ig' ? igRunArgs(spec) : kubectlGadgetRunArgs(spec);
}

/** `ig image build FOLDER -t TAG`. */
export function imageBuildArgs(folder: string, tag: string): string[] {
  return ['image', 'build', folder, '-t', checkImage(tag)];
}

function checkImage(image: string): string {
  const i = image.trim();
  if (!i) throw new EngineArgsError('no image: build one with "Build Gadget Image" or give a reference');
  if (i.startsWith('-') || /\s/.test(i)) throw new EngineArgsError(`'${image}' is not an image reference`);
  return i;
}

/**
 * Splits a command prefix setting (`sudo -n`, `sudo -n -E`, `"/opt/my sudo" -n`) into words: whitespace
 * separates, single or double quotes keep spaces. No other shell syntax: the words are executed directly.
 */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: '"' | "'" | undefined;
  let has = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) words.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
    }
  }
  if (quote) throw new EngineArgsError(`unclosed ${quote} in the command prefix '${text}'`);
  if (has || cur) words.push(cur);
  return words;
}

export interface CommandLine {
  command: string;
  args: string[];
  /** The prefix words (empty without one), for messages about them. */
  prefix: string[];
}

/** The executable to start: the prefix's first word when there is one, the engine otherwise. */
export function withPrefix(prefix: readonly string[], executable: string, args: readonly string[]): CommandLine {
  if (!executable.trim()) throw new EngineArgsError('the engine path setting is empty');
  return prefix.length
    ? { command: prefix[0], args: [...prefix.slice(1), executable, ...args], prefix: [...prefix] }
    : { command: executable, args: [...args], prefix: [] };
}

/** For the log: the command as one line a user could paste into a shell. */
export function displayCommand(c: CommandLine): string {
  return [c.command, ...c.args].map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
