// i64 shims for the hottest host functions. Through the JS WebAssembly API every i64 crossing between wasm
// and JS is a BigInt (allocated on the way into JS, converted on the way out), which dominates the cost of
// small host calls such as fieldGetScalar and fieldSet. For those, the host provides a JS implementation
// with 32-bit halves instead, and a tiny generated wasm module sits between guest and host: the guest
// imports the shim's function with the exact signature it declared; the shim splits each i64 argument
// into (lo, hi) i32 arguments, and joins an i64 result from the i32 the JS function returns (low half)
// and the high half it stored in `hi[0]` (a cell in the shim's memory). Wasm-to-wasm calls across
// instances are direct calls, so the guest pays no BigInt on these paths. Behaviour, including traps
// thrown by the host function, is unchanged.
import { Wasm, WasmMemory } from './wasm-api';
import { FuncType, ValType } from './wasm-binary';

/** Where a split-calling-convention host function stores the high half of its i64 result. */
export interface HiCell { readonly hi: Int32Array }

export interface ShimmedImport {
  /** The signature the guest imports (as provided by the host function table). */
  type: FuncType;
  /** The host function taking each i64 argument as two i32 (lo, hi) and returning an i64 result's low half. */
  fn: (...args: number[]) => number | void;
}

const VT: Partial<Record<ValType, number>> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

/** Whether a signature can be shimmed: numeric types only, at most one result. */
export function shimmable(t: FuncType): boolean {
  return t.results.length <= 1 && [...t.params, ...t.results].every((v) => VT[v] !== undefined);
}

/** The memory whose first 4 bytes are the high-half cell, created before the host functions that write it. */
export function newHiCell(): HiCell & { memory: WasmMemory } {
  const memory = new Wasm.Memory({ initial: 1, maximum: 1 });
  return { memory, hi: new Int32Array(memory.buffer, 0, 1) };
}

/** Instantiates the shim; returns the guest-facing functions in the order given. */
export function instantiateShims(cell: { memory: WasmMemory }, imports: readonly ShimmedImport[]): ((...a: unknown[]) => unknown)[] {
  const bytes = shimModule(imports.map((i) => i.type));
  const js: Record<string, unknown> = { m: cell.memory };
  imports.forEach((imp, i) => { js[`f${i}`] = imp.fn; });
  const inst = new Wasm.Instance(new Wasm.Module(bytes), { js });
  return imports.map((_, i) => inst.exports[`f${i}`] as (...a: unknown[]) => unknown);
}

function split(t: FuncType): FuncType {
  return {
    params: t.params.flatMap((p): ValType[] => (p === 'i64' ? ['i32', 'i32'] : [p])),
    results: t.results.map((r): ValType => (r === 'i64' ? 'i32' : r)),
  };
}

/** The shim's binary: imports js.m (memory) and js.f<i> (split types); exports f<i> (guest types). */
export function shimModule(types: readonly FuncType[]): Uint8Array {
  const n = types.length;
  const sigs: number[][] = [];
  for (const t of types) sigs.push(funcType(split(t)), funcType(t)); // type 2i: JS side, 2i+1: guest side
  const importsSec: number[][] = [[...name('js'), ...name('m'), 0x02, 0x01, 0x01, 0x01]]; // memory, limits min 1 max 1
  for (let i = 0; i < n; i++) importsSec.push([...name('js'), ...name(`f${i}`), 0x00, ...uleb(2 * i)]);
  const exportsSec: number[][] = [];
  for (let i = 0; i < n; i++) exportsSec.push([...name(`f${i}`), 0x00, ...uleb(n + i)]);
  const bodies = types.map((t, i) => body(t, i));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(sigs)),
    ...section(2, vec(importsSec)),
    ...section(3, vec(types.map((_, i) => uleb(2 * i + 1)))),
    ...section(7, vec(exportsSec)),
    ...section(10, vec(bodies.map((b) => [...uleb(b.length), ...b]))),
  ]);
}

function body(t: FuncType, index: number): number[] {
  const code: number[] = [0x00]; // no locals
  t.params.forEach((p, i) => {
    code.push(0x20, ...uleb(i)); // local.get i
    if (p === 'i64') {
      code.push(0xa7); // i32.wrap_i64: lo
      code.push(0x20, ...uleb(i), 0x42, 0x20, 0x88, 0xa7); // local.get i; i64.const 32; i64.shr_u; i32.wrap_i64: hi
    }
  });
  code.push(0x10, ...uleb(index)); // call js.f<index>
  if (t.results[0] === 'i64') {
    code.push(0xad); // i64.extend_i32_u (lo)
    code.push(0x41, 0x00, 0x28, 0x02, 0x00, 0xad, 0x42, 0x20, 0x86); // i32.load hi; i64.extend_i32_u; i64.const 32; i64.shl
    code.push(0x84); // i64.or
  }
  code.push(0x0b);
  return code;
}

function funcType(t: FuncType): number[] {
  return [0x60, ...vec(t.params.map((p) => [VT[p]!])), ...vec(t.results.map((r) => [VT[r]!]))];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const b = [...Buffer.from(s, 'utf8')];
  return [...uleb(b.length), ...b];
}

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}
