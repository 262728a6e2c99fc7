// Test helpers for host tests: build WAT guests with string constants laid out in a data segment, load
// them into a GadgetInstance and capture logs and callback errors.
import { GadgetError, LogLevel } from '../../../src/host/api';
import { GadgetInstance, InstanceOptions } from '../../../src/host/engine/instance';
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

/** Where the proxy guest records its callbacks, and where tests may put strings. */
export const CB_LOG = 0x8000;
export const SCRATCH = 0x4000;
export const HEAP = 0x10000;

export interface ProxyOptions {
  /** Module name for IG imports (default 'ig'). */
  module?: string;
  /** Import names → WAT signatures (default: every function of today's API). */
  sigs?: Record<string, string>;
  /** Extra WAT inside the module (exports, globals, data). */
  extra?: string;
  /** Omit the dataSourceCallback export. */
  noCallback?: boolean;
  /** Omit the malloc export. */
  noMalloc?: boolean;
  /** Memory declaration (default `(memory (export "memory") 2)`). */
  memory?: string;
}

/**
 * A guest that re-exports every imported host function as `x_<name>` with the same signature, so tests
 * drive host functions from JS with arbitrary arguments. Its dataSourceCallback records (cbID, ds, data,
 * value) at CB_LOG, where value = fieldGetScalar($cbField, data, $cbKind) when set via x_setCbField. It
 * exports a bump `malloc` starting at HEAP.
 */
export function proxyGuest(o: ProxyOptions = {}): string {
  const sigs = o.sigs ?? IG_IMPORTS;
  const module = o.module ?? 'ig';
  const wrappers = Object.entries(sigs).map(([name, sig]) => {
    const params = [...sig.matchAll(/\(param ([^)]*)\)/g)].flatMap((m) => m[1].trim().split(/\s+/));
    const args = params.map((_, i) => `(local.get ${i})`).join(' ');
    return `(func (export "x_${name}") ${sig} (call $${name} ${args}))`;
  }).join('\n');
  const hasGet = 'fieldGetScalar' in sigs;
  const cb = o.noCallback ? '' : `
    (func (export "dataSourceCallback") (param $cb i64) (param $ds i32) (param $data i32) (local $n i32) (local $at i32)
      (local.set $n (i32.load (i32.const ${CB_LOG})))
      (local.set $at (i32.add (i32.const ${CB_LOG + 16}) (i32.mul (local.get $n) (i32.const 24))))
      (i64.store (local.get $at) (local.get $cb))
      (i32.store offset=8 (local.get $at) (local.get $ds))
      (i32.store offset=12 (local.get $at) (local.get $data))
      ${hasGet ? `(if (global.get $cbField) (then
        (i64.store offset=16 (local.get $at)
          (call $fieldGetScalar (global.get $cbField) (local.get $data) (global.get $cbKind) (i32.const 0)))))` : ''}
      (i32.store (i32.const ${CB_LOG}) (i32.add (local.get $n) (i32.const 1))))`;
  return `(module
    ${Object.entries(sigs).map(([n, sig]) => `(import "${module}" "${n}" (func $${n} ${sig}))`).join('\n')}
    ${o.memory ?? '(memory (export "memory") 2)'}
    (global $cbField (mut i32) (i32.const 0))
    (global $cbKind (mut i32) (i32.const 8))
    (global $heap (mut i32) (i32.const ${HEAP}))
    (func (export "x_setCbField") (param i32 i32) (global.set $cbField (local.get 0)) (global.set $cbKind (local.get 1)))
    (func ${o.noMalloc ? '' : '(export "malloc")'} (param $n i32) (result i32) (local $p i32)
      (local.set $p (global.get $heap))
      (global.set $heap (i32.add (global.get $heap) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
      (local.get $p))
    ${VERSION}
    ${wrappers}
    ${cb}
    ${o.extra ?? ''})`;
}

/** Typed access to a loaded proxy guest. */
export class ProxyGuest {
  constructor(readonly g: Loaded) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- exports take and return what their wasm types say
  get x(): Record<string, (...args: any[]) => any> {
    const ex = this.g.inst.exports as Record<string, unknown>;
    return callProxy(ex);
  }

  get mem(): Uint8Array {
    return new Uint8Array((this.g.inst.exports.memory as { buffer: ArrayBuffer }).buffer);
  }

  /** Writes a string/bytes at addr (default SCRATCH area, bump-allocated per call) and returns its bufPtr. */
  private next = SCRATCH;
  str(s: string | Uint8Array, addr?: number): bigint {
    const bytes = typeof s === 'string' ? new TextEncoder().encode(s) : s;
    const at = addr ?? this.next;
    if (addr === undefined) this.next += bytes.length + 8;
    this.mem.set(bytes, at);
    return (BigInt(bytes.length) << 32n) | BigInt(at);
  }

  /** A zeroed destination buffer of `len` bytes; returns its bufPtr. */
  buf(len: number): bigint {
    const at = this.next;
    this.next += len + 8;
    this.mem.fill(0, at, at + len);
    return (BigInt(len) << 32n) | BigInt(at);
  }

  /** Bytes at a bufPtr's address (n bytes, default its length). */
  read(ptr: bigint, n?: number): Uint8Array {
    const addr = Number(ptr & 0xffffffffn);
    return this.mem.slice(addr, addr + (n ?? Number(ptr >> 32n)));
  }

  text(ptr: bigint, n?: number): string {
    return new TextDecoder().decode(this.read(ptr, n));
  }

  callbacks(): { cbID: bigint; ds: number; data: number; value: bigint }[] {
    const dv = new DataView(this.mem.buffer);
    const n = dv.getUint32(CB_LOG, true);
    return Array.from({ length: n }, (_, i) => {
      const at = CB_LOG + 16 + i * 24;
      return { cbID: dv.getBigUint64(at, true), ds: dv.getInt32(at + 8, true), data: dv.getInt32(at + 12, true), value: dv.getBigInt64(at + 16, true) };
    });
  }

  clearCallbacks(): void {
    new DataView(this.mem.buffer).setUint32(CB_LOG, 0, true);
  }
}

/** `x.name(...)` calls export `x_name`, failing clearly when it does not exist. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as ProxyGuest.x
function callProxy(ex: Record<string, unknown>): Record<string, (...args: any[]) => any> {
  return new Proxy({}, {
    get: (_t, name: string) => {
      const fn = ex[`x_${name}`];
      if (typeof fn !== 'function') throw new Error(`proxy guest has no export x_${name}`);
      return fn as (...args: unknown[]) => unknown;
    },
  });
}

export async function loadProxy(o: ProxyOptions = {}, opts: Partial<InstanceOptions> = {}): Promise<ProxyGuest> {
  return new ProxyGuest(await load(proxyGuest(o), opts));
}
