// IG's stderr: logrus lines (the gadget's and the guest's logs) and cobra's `Error: …` on failure.
// logrus's TextFormatter writes `time="…" level=info msg="…" key=value` when stderr is not a terminal (our
// case: a pipe) and `INFO[0000] message   key=value` on a terminal (IG's docs show that form); both are
// read. Levels map to IG's wasm log levels (panic and fatal are errors).
import type { LogLevel } from '../../host/api';

export interface StderrLine {
  level: LogLevel;
  message: string;
  /** The logrus form the line had; 'text' for anything else (cobra's `Error:` lines included). */
  form: 'logfmt' | 'terminal' | 'text';
}

const LEVELS: Record<string, LogLevel> = {
  panic: 'error', fatal: 'error', error: 'error', warning: 'warn', warn: 'warn', info: 'info', debug: 'debug', trace: 'trace',
  pani: 'error', fata: 'error', erro: 'error',
  debu: 'debug', trac: 'trace',
};

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const TERMINAL = /^(PANI|FATA|ERRO|WARN|INFO|DEBU|TRAC)[A-Z]*\[[^\]]*\] ?(.*)$/;

/** One stderr line → its level and message (undefined for a blank line). */
export function parseStderrLine(raw: string): StderrLine | undefined {
  const line = raw.replace(ANSI, '').trimEnd();
  if (!line.trim()) return undefined;
  const t = TERMINAL.exec(line);
  if (t) return { level: LEVELS[t[1].toLowerCase()], message: t[2].trim(), form: 'terminal' };
  if (/^(time|level)=/.test(line)) {
    const pairs = logfmtPairs(line);
    const level = pairs.get('level');
    if (level !== undefined && LEVELS[level]) {
      const rest = [...pairs].filter(([k]) => k !== 'time' && k !== 'level' && k !== 'msg').map(([k, v]) => `${k}=${v}`);
      const message = [pairs.get('msg') ?? '', ...rest].filter(Boolean).join(' ');
      return { level: LEVELS[level], message, form: 'logfmt' };
    }
  }
  // cobra prints a command's error as `Error: <message>` and IG exits with status 1.
  if (line.startsWith('Error: ')) return { level: 'error', message: line.slice('Error: '.length), form: 'text' };
  return { level: 'info', message: line, form: 'text' };
}

/** `key=value` pairs; values bare or double-quoted with Go's %q escapes. */
function logfmtPairs(line: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    const eq = line.indexOf('=', i);
    if (eq < 0) break;
    const key = line.slice(i, eq);
    i = eq + 1;
    let value: string;
    if (line[i] === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      value = unquoteGo(line.slice(i, j + 1));
      i = j + 1;
    } else {
      const sp = line.indexOf(' ', i);
      const end = sp < 0 ? line.length : sp;
      value = line.slice(i, end);
      i = end;
    }
    out.set(key, value);
  }
  return out;
}

/** Go's %q quoting: JSON's escapes plus \a \v \xHH \UHHHHHHHH. */
function unquoteGo(q: string): string {
  const body = q.slice(1, q.endsWith('"') && q.length > 1 ? -1 : undefined);
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'a': return '\x07';
      case 'v': return '\v';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'x': case 'u': case 'U': return String.fromCodePoint(parseInt(e.slice(1), 16));
      default: return e;
    }
  });
}
