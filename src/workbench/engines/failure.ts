// Why an engine run ended badly, in one message: the engine is not installed, it lacks rights (IG loads eBPF
// programs: root), there is no cluster or IG is not deployed on it, or IG refused/failed (its own `Error:`
// message kept as the cause). Messages about setup carry the link to IG's install docs.
import type { EngineKind } from './args';
import { parseStderrLine } from './logrus';

export const INSTALL_DOCS: Record<EngineKind, string> = {
  'ig': 'https://inspektor-gadget.io/docs/latest/reference/install-linux',
  'kubectl-gadget': 'https://inspektor-gadget.io/docs/latest/reference/install-kubernetes',
};

/** Settings the messages name (the extension's keys; the library only quotes them). */
export const ENGINE_SETTINGS = {
  igPath: 'igWorkbench.engines.igPath',
  kubectlGadgetPath: 'igWorkbench.engines.kubectlGadgetPath',
  commandPrefix: 'igWorkbench.engines.commandPrefix',
} as const;

export type FailureKind = 'missing' | 'rights' | 'cluster' | 'failed';

export interface EngineFailure {
  kind: FailureKind;
  /** What happened and what to do. */
  message: string;
  /** IG's own words: cobra's `Error:` line, else its last error log line (already in the log). */
  cause?: string;
  /** IG's install docs, for the setup kinds. */
  link?: string;
}

/** The failure as one line: the message, then IG's words. */
export function failureText(f: EngineFailure): string {
  return f.cause ? `${f.message}: ${f.cause}` : f.message;
}

const NAMES: Record<EngineKind, string> = { 'ig': 'ig', 'kubectl-gadget': 'kubectl gadget' };

/** The process could not be started (spawn's error: ENOENT, EACCES…). */
export function spawnFailure(engine: EngineKind, command: string, prefix: readonly string[], err: NodeJS.ErrnoException): EngineFailure {
  const link = INSTALL_DOCS[engine];
  if (prefix.length && command === prefix[0]) {
    return { kind: 'missing', link, message: `the command prefix '${prefix.join(' ')}' cannot run: ${command} ${errnoText(err)}; fix ${ENGINE_SETTINGS.commandPrefix}` };
  }
  const setting = engine === 'ig' ? ENGINE_SETTINGS.igPath : ENGINE_SETTINGS.kubectlGadgetPath;
  const what = engine === 'ig' ? 'ig' : 'the kubectl gadget plugin (kubectl-gadget)';
  if (err.code === 'ENOENT') {
    return { kind: 'missing', link, message: `${what} is not installed or not on PATH ('${command}' not found): install it, or set ${setting} to its path` };
  }
  return { kind: 'missing', link, message: `cannot start ${what} ('${command}'): ${errnoText(err)}; check ${setting}` };
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last stderr lines (raw). */
  stderr: readonly string[];
  prefix: readonly string[];
  /** The run was asked to stop: an exit by SIGINT/SIGKILL or with status 0 is then the normal end. */
  stopped: boolean;
  /** kubectl gadget: the context the run used, for messages. */
  context?: string;
}

/** The exit of a run: undefined when it ended normally, else the failure. */
export function exitFailure(engine: EngineKind, x: ExitInfo): EngineFailure | undefined {
  if (x.code === 0) return undefined;
  if (x.stopped && (x.signal !== null || x.code === 130)) return undefined;
  const text = x.stderr.join('\n');
  const link = INSTALL_DOCS[engine];
  const cause = lastError(x.stderr);
  if (x.prefix.length && /\ba password is required\b|\ba terminal is required\b/.test(text)) {
    return { kind: 'rights', link, message: `'${x.prefix.join(' ')}' asks for a password, which a run cannot type: allow ${NAMES[engine]} without one (sudoers NOPASSWD) or change ${ENGINE_SETTINGS.commandPrefix}` };
  }
  if (x.prefix.length && /command not found/.test(text)) {
    return { kind: 'missing', link, message: `${NAMES[engine]} is not on the PATH '${x.prefix.join(' ')}' runs it with: set ${engine === 'ig' ? ENGINE_SETTINGS.igPath : ENGINE_SETTINGS.kubectlGadgetPath} to its absolute path` };
  }
  if (engine === 'kubectl-gadget') {
    const where = x.context ? ` (context ${x.context})` : '';
    if (/no gadget pods found|Is Inspektor Gadget deployed/i.test(text)) {
      return { kind: 'cluster', link, cause, message: `Inspektor Gadget is not deployed on the cluster${where}: deploy it with 'kubectl gadget deploy'` };
    }
    if (/connection refused|no configuration has been provided|Unable to connect to the server|dial tcp|no such host|i\/o timeout|context deadline exceeded|invalid configuration|current-context is not set|context ".*" does not exist/i.test(text)) {
      return { kind: 'cluster', link, cause, message: `no reachable Kubernetes cluster${where}: check your kubeconfig and its current context` };
    }
    if (/\bforbidden\b|Unauthorized/i.test(text)) {
      return { kind: 'rights', link, cause, message: `the cluster refused the run${where}: your user lacks the rights IG needs` };
    }
  }
  if (engine === 'ig' && !x.prefix.length && /operation not permitted|permission denied|requires root|must be root|CAP_SYS_ADMIN|memlock/i.test(text)) {
    return { kind: 'rights', link, cause, message: `ig needs root to load eBPF programs: set ${ENGINE_SETTINGS.commandPrefix} to 'sudo -n' (with NOPASSWD for ig)` };
  }
  const how = x.signal ? `was killed by ${x.signal}` : `exited with status ${x.code}`;
  return { kind: 'failed', cause, message: `${NAMES[engine]} ${how}` };
}

/** IG's own error text: cobra's last `Error:` line, else the last error-level log line. */
function lastError(stderr: readonly string[]): string | undefined {
  let logged: string | undefined;
  for (let i = stderr.length - 1; i >= 0; i--) {
    const l = parseStderrLine(stderr[i]);
    if (!l) continue;
    if (l.form === 'text' && l.level === 'error') return l.message;
    if (l.level === 'error' && logged === undefined) logged = l.message;
  }
  return logged ?? stderr.filter((l) => l.trim()).at(-1)?.trim();
}

function errnoText(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT': return 'is not found';
    case 'EACCES': return 'is not executable (permission denied)';
    default: return err.message;
  }
}
