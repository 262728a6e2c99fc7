// How the gadget's maps are shown after a run: `ig-wasm run`'s `maps` JSON record or one small table per
// map in columns output, and the rows of the extension's map grid. Keys and values are decoded by the
// map's BTF types when the object gives them, else shown as bytes (base64 in JSON, as Bytes fields are;
// hex in tables and the grid).
import type { MapSnapshot } from '../host/api';
import { mapTypeName } from '../ebpf/collection';
import type { BtfValue } from '../ebpf/btf-values';
import type { MapDecoder } from './machine';
import { bytesToHex } from '../metadata/columns';

export type { MapDecoder };

type Shown = BtfValue | string;

function show(m: MapSnapshot, part: 'key' | 'value', v: Uint8Array | string, decode: MapDecoder | undefined, bytes: (b: Uint8Array) => string): Shown {
  if (typeof v === 'string') return v; // maps of maps: the inner map's name
  return decode?.(m, part, v) ?? bytes(v);
}

const base64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** The `maps` record of JSON output. */
export function mapsRecord(maps: MapSnapshot[], decode?: MapDecoder): unknown {
  return {
    type: 'maps',
    maps: maps.map((m) => ({
      name: m.name, type: mapTypeName(m.type), keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries,
      entries: m.entries.map((e) => ({ key: show(m, 'key', e.key, decode, base64), value: show(m, 'value', e.value, decode, base64) })),
    })),
  };
}

/** 64-bit integers as numbers when exact, else as decimal strings (as JSON output does). */
const exact = (_k: string, x: unknown): unknown =>
  typeof x === 'bigint' ? (x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x.toString()) : x;

const text = (v: Shown): string => (typeof v === 'string' ? v : JSON.stringify(v, exact));

/** Each entry's key and value as text (tables, the grid). */
export function entryTexts(m: MapSnapshot, decode?: MapDecoder): { key: string; value: string }[] {
  return m.entries.map((e) => ({ key: text(show(m, 'key', e.key, decode, bytesToHex)), value: text(show(m, 'value', e.value, decode, bytesToHex)) }));
}

/** Columns output: per map a title line and a KEY / VALUE table (perf arrays and ring buffers: the title). */
export function mapsTables(maps: MapSnapshot[], decode?: MapDecoder): string {
  let out = '';
  for (const m of maps) {
    out += `\nMAP ${m.name} (${mapTypeName(m.type)}, ${m.entries.length}/${m.maxEntries} entries)\n`;
    if (!m.entries.length) continue;
    const rows = entryTexts(m, decode).map((e) => [e.key, e.value]);
    const w = Math.max(3, ...rows.map((r) => r[0].length));
    out += `${'KEY'.padEnd(w)} VALUE\n`;
    for (const [k, v] of rows) out += `${k.padEnd(w)} ${v}\n`;
  }
  return out;
}
