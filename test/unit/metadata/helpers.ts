// Shared helpers for the metadata tests: fixture paths (from out/test/unit/metadata back to the repo),
// 1-based "line:col" of a diagnostic, and applying a fix's edits to a text.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LineIndex } from '../../../src/metadata/text';
import type { Diagnostic, Fix, Position } from '../../../src/metadata/types';

export const REPO = resolve(__dirname, '../../../..');
export const FIXTURES = join(REPO, 'test/fixtures/metadata');
export const CORPUS = join(FIXTURES, 'corpus');

export function fixture(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8');
}

export function corpusFiles(): string[] {
  return readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();
}

/** 1-based `line:col` of the start of a diagnostic, as editors and the CLI show it. */
export function at(d: Diagnostic): string {
  return `${d.range.start.line + 1}:${d.range.start.character + 1}`;
}

/** 0-based position from a 1-based "line:col". */
export function pos(lineCol: string): Position {
  const [l, c] = lineCol.split(':').map(Number);
  return { line: l! - 1, character: c! - 1 };
}

export function applyFix(text: string, fix: Fix): string {
  const lines = new LineIndex(text);
  const edits = fix.edits.map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Position of the first occurrence of `needle` on 1-based line `line` (0-based result). */
export function find(text: string, line: number, needle: string, offsetInNeedle = 0): Position {
  const l = text.split('\n')[line - 1] ?? '';
  const c = l.indexOf(needle);
  if (c < 0) throw new Error(`'${needle}' not on line ${line}: ${l}`);
  return { line: line - 1, character: c + offsetInNeedle };
}
