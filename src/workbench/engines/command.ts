// Running an engine command to its end (`ig image build`, `ig version`) with its output as lines, and the
// line splitting that EngineProcess shares.
import { spawn } from 'node:child_process';
import type { CommandLine } from './args';

/** Complete lines of a stream, as many as each chunk holds; the rest of the last one when it ends. */
export function onLines(stream: NodeJS.ReadableStream, on: (lines: string[]) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    if (parts.length) on(parts);
  });
  stream.on('end', () => { if (rest) on([rest]); rest = ''; });
}

export interface CommandEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command could not be started (ENOENT: not installed or not on PATH). */
  spawnError?: NodeJS.ErrnoException;
  /** stdout and stderr lines, interleaved as they came. */
  output: string[];
}

/** Runs a command to its end; each output line also goes to `onLine` as it comes. Never rejects. */
export function runCommand(c: CommandLine, opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}, onLine?: (line: string, stream: 'stdout' | 'stderr') => void): Promise<CommandEnd> {
  return new Promise((resolve) => {
    const output: string[] = [];
    let spawnError: NodeJS.ErrnoException | undefined;
    const child = spawn(c.command, c.args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('error', (e: NodeJS.ErrnoException) => { if (child.pid === undefined) spawnError = e; });
    for (const stream of ['stdout', 'stderr'] as const) {
      onLines(child[stream]!, (lines) => {
        for (const l of lines) { output.push(l); onLine?.(l, stream); }
      });
    }
    child.on('close', (code, signal) => resolve({ code, signal, spawnError, output }));
  });
}
