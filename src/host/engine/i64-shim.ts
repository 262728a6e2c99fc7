// i64 shims for the hottest host functions. Through the JS WebAssembly API every i64 crossing between wasm
// and JS is a BigInt (allocated on the way into JS, converted on the way out), which dominates the cost of
// small host calls such as fieldGetScalar and fieldSet. For those, the host provides a JS implementation
// with 32-bit halves instead, and a tiny generated wasm module sits between guest and host: the guest
// imports the shim's function with the exact signature it declared; the shim splits each i64 argument
// into (lo, hi) i32 arguments, and joins an i64 result from the i32 the JS function returns (low half)
// and the high half it stored in `hi[0]` (a cell in the shim's memory). Wasm-to-wasm calls across
// instances are direct calls, so the guest pays no BigInt on these paths. Behaviour, including traps
// thrown by the host function, is unchanged. A shim function may also carry inline code that answers the
// commonest calls inside wasm from the host memory (host-memory.ts), calling into JS only for the rest.
import { Wasm, WasmMemory } from './wasm-api';
import { FuncType, ValType } from './wasm-binary';
import { Op, i32Const, mem, name, section, uleb, vec } from './wasm-asm';

/**
 * Code a shim function runs before it calls the JS function, in the guest's signature: it returns the
 * result itself when it can, else falls through to the call. Locals are numbered after the parameters.
 */
export interface InlineCode { locals: ValType[]; code: number[] }

export interface ShimmedImport {
  /** The signature the guest imports (as provided by the host function table). */
  type: FuncType;
  /** The host function taking each i64 argument as two i32 (lo, hi) and returning an i64 result's low half. */
  fn: (...args: number[]) => number | void;
  /** Served in wasm first (reading the memory the shim imports as `js.m`). */
  inline?: InlineCode;
}

const VT: Partial<Record<ValType, number>> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

/** Whether a signature can be shimmed: numeric types only, at most one result. */
export function shimmable(t: FuncType): boolean {
  return t.results.length <= 1 && [...t.params, ...t.results].every((v) => VT[v] !== undefined);
}

/**
 * Instantiates the shim over `cell.memory` (its first 4 bytes are the high-half cell); returns the
 * guest-facing functions in the order given.
 */
export function instantiateShims(cell: { memory: WasmMemory }, imports: readonly ShimmedImport[]): ((...a: unknown[]) => unknown)[] {
  const bytes = shimModule(imports);
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
function shimModule(imports: readonly Pick<ShimmedImport, 'type' | 'inline'>[]): Uint8Array {
  const types = imports.map((i) => i.type);
  const n = types.length;
  const sigs: number[][] = [];
  for (const t of types) sigs.push(funcType(split(t)), funcType(t)); // type 2i: JS side, 2i+1: guest side
  const importsSec: number[][] = [[...name('js'), ...name('m'), 0x02, 0x00, 0x01]]; // memory, limits: min 1, no max
  for (let i = 0; i < n; i++) importsSec.push([...name('js'), ...name(`f${i}`), 0x00, ...uleb(2 * i)]);
  const exportsSec: number[][] = [];
  for (let i = 0; i < n; i++) exportsSec.push([...name(`f${i}`), 0x00, ...uleb(n + i)]);
  const bodies = imports.map((imp, i) => body(imp.type, i, imp.inline));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(sigs)),
    ...section(2, vec(importsSec)),
    ...section(3, vec(types.map((_, i) => uleb(2 * i + 1)))),
    ...section(7, vec(exportsSec)),
    ...section(10, vec(bodies.map((b) => [...uleb(b.length), ...b]))),
  ]);
}

function body(t: FuncType, index: number, inline: InlineCode | undefined): number[] {
  const locals = inline?.locals ?? [];
  const code: number[] = [...vec(locals.map((l) => [1, VT[l]!])), ...(inline?.code ?? [])];
  t.params.forEach((p, i) => {
    code.push(Op.LocalGet, ...uleb(i));
    if (p === 'i64') {
      code.push(Op.I32WrapI64); // lo
      code.push(Op.LocalGet, ...uleb(i), Op.I64Const, 32, Op.I64ShrU, Op.I32WrapI64); // hi
    }
  });
  code.push(Op.Call, ...uleb(index)); // js.f<index>
  if (t.results[0] === 'i64') {
    code.push(Op.I64ExtendI32U); // lo
    code.push(...i32Const(0), ...mem(Op.I32Load), Op.I64ExtendI32U, Op.I64Const, 32, Op.I64Shl, Op.I64Or); // | hi << 32
  }
  code.push(Op.End);
  return code;
}

function funcType(t: FuncType): number[] {
  return [0x60, ...vec(t.params.map((p) => [VT[p]!])), ...vec(t.results.map((r) => [VT[r]!]))];
}
