// Test helpers for host tests: build WAT guests with string constants laid out in a data segment, load
// them into a GadgetInstance and capture logs and callback errors.
import { GadgetError, LogLevel } from '../../../src/host/api';
import { GadgetInstance, InstanceOptions } from '../../../src/host/instance';
import { compileWat } from '../../support/wat';

export interface LogRecord { level: LogLevel; message: string; stream?: 'stdout' | 'stderr' }

/** String constants for a guest: `s.bp('name')` is an `i64.const` bufPtr of the string, `s.data()` the segment. */
export class Strings {
  private next: number;
  private readonly segs: { addr: number; bytes: Uint8Array }[] = [];
  private readonly cache = new Map<string, bigint>();
  constructor(base = 0x1000) { this.next = base; }

  /** bufPtr value (`len << 32 | addr`) of a string placed in the data segment. */
  ptr(s: string | Uint8Array): bigint {
    const key = typeof s === 'string' ? s : `\u0000bytes:${Array.from(s).join(',')}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const bytes = typeof s === 'string' ? new TextEncoder().encode(s) : s;
    const addr = this.next;
    this.next += bytes.length + 8;
    this.segs.push({ addr, bytes });
    const bp = (BigInt(bytes.length) << 32n) | BigInt(addr);
    this.cache.set(key, bp);
    return bp;
  }

  /** WAT instruction pushing the string's bufPtr. */
  bp(s: string | Uint8Array): string {
    return `(i64.const ${this.ptr(s)})`;
  }

  /** WAT instruction pushing the string's address (i32). */
  addr(s: string): string {
    return `(i32.const ${Number(this.ptr(s) & 0xffffffffn)})`;
  }

  data(): string {
    return this.segs.map(({ addr, bytes }) =>
      `(data (i32.const ${addr}) "${Array.from(bytes, (b) => '\\' + b.toString(16).padStart(2, '0')).join('')}")`).join('\n');
  }
}

/** A bufPtr constant for an arbitrary address and length. */
export function bp(addr: number, len: number): string {
  return `(i64.const ${(BigInt(len) << 32n) | BigInt(addr)})`;
}

export interface Loaded {
  inst: GadgetInstance;
  logs: LogRecord[];
  errors: GadgetError[];
  /** Messages only. */
  messages(level?: LogLevel): string[];
}

export async function load(wat: string, opts: Partial<InstanceOptions> = {}): Promise<Loaded> {
  const logs: LogRecord[] = [];
  const errors: GadgetError[] = [];
  const inst = await GadgetInstance.load(await compileWat(wat), {
    logLevel: 'debug',
    ...opts,
    onLog: (level, message, stream) => logs.push(stream ? { level, message, stream } : { level, message }),
  });
  inst.onCallbackError = (e) => errors.push(e);
  return {
    inst, logs, errors,
    messages: (level) => logs.filter((l) => !level || l.level === level).map((l) => l.message),
  };
}

/** Loads and expects a GadgetError; returns it. */
export async function loadFails(wat: string, opts: Partial<InstanceOptions> = {}): Promise<GadgetError> {
  try {
    await load(wat, opts);
  } catch (err) {
    if (err instanceof GadgetError) return err;
    throw err;
  }
  throw new Error('expected the load to fail');
}

/** Runs fn and returns the GadgetError it throws. */
export function throwsGadgetError(fn: () => unknown): GadgetError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GadgetError) return err;
    throw err;
  }
  throw new Error('expected a GadgetError');
}

/** The API version export most guests need. */
export const VERSION = '(func (export "gadgetAPIVersion") (result i64) (i64.const 1))';

/** Imports of today's `ig` module, by name, as WAT import declarations (module name selectable). */
export const IG_IMPORTS: Record<string, string> = {
  gadgetLog: '(param i32 i64)',
  gadgetShouldLog: '(param i32) (result i32)',
  newDataSource: '(param i64 i32) (result i32)',
  getDataSource: '(param i64) (result i32)',
  dataSourceSubscribe: '(param i32 i32 i32 i64) (result i32)',
  dataSourceGetField: '(param i32 i64) (result i32)',
  dataSourceAddField: '(param i32 i64 i32) (result i32)',
  dataSourceNewPacketSingle: '(param i32) (result i32)',
  dataSourceNewPacketArray: '(param i32) (result i32)',
  dataSourceEmitAndRelease: '(param i32 i32) (result i32)',
  dataSourceRelease: '(param i32 i32) (result i32)',
  dataSourceUnreference: '(param i32) (result i32)',
  dataSourceIsReferenced: '(param i32) (result i32)',
  dataArrayNew: '(param i32) (result i32)',
  dataArrayAppend: '(param i32 i32) (result i32)',
  dataArrayRelease: '(param i32 i32) (result i32)',
  dataArrayLen: '(param i32) (result i32)',
  dataArrayGet: '(param i32 i32) (result i32)',
  fieldGetScalar: '(param i32 i32 i32 i32) (result i64)',
  fieldGetBuffer: '(param i32 i32 i32 i64) (result i32)',
  fieldSet: '(param i32 i32 i32 i64) (result i32)',
  fieldAddTag: '(param i32 i64) (result i32)',
  getParamValue: '(param i64 i64) (result i32)',
  setConfig: '(param i64 i64 i32) (result i32)',
  releaseHandle: '(param i32) (result i32)',
};

/** WAT import declarations `(import "ig" "name" (func $name ...))` for the given names. */
export function igImports(names: string[], module = 'ig', sigs: Record<string, string> = IG_IMPORTS): string {
  return names.map((n) => `(import "${module}" "${n}" (func $${n} ${sigs[n]}))`).join('\n');
}

/** Every `ig` import (unused ones are harmless). */
export const ALL_IG = (module = 'ig'): string => igImports(Object.keys(IG_IMPORTS), module);
