// How an API area defines its host functions: name, named wasm parameters, results, revision and an
// implementation factory per instance. The table (table.ts) collects them; this file imports none of
// them, so the area files can use its helpers without an import cycle.
import type { HostContext } from '../engine/context';
import type { InlineCode } from '../engine/i64-shim';
import type { FuncType, ValType } from '../engine/wasm-binary';

/**
 * Which API a variant belongs to: the seed text (and IG's older host under `env`: the malloc'd
 * getSyscallName and perfReaderRead, perfReaderSetDeadline), today's `ig` module, both, WASI, or the
 * kernel-only part.
 */
export type Revision = 'seed' | 'current' | 'both' | 'wasi' | 'kernel';

/** A host function's wasm parameters in order, each named for what it carries: `{ level: 'i32', message: 'i64' }`. */
export type Params = Readonly<Record<string, ValType>>;

export interface HostFunctionDef {
  name: string;
  params: Params;
  results: readonly ValType[];
  revision: Revision;
  /** Creates the implementation bound to one instance. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each function has its own wasm signature
  make(ctx: HostContext): (...args: any[]) => unknown;
  /**
   * The same function in the split calling convention of engine/i64-shim.ts (each i64 argument as lo,
   * hi; an i64 result's low half returned, its high half in ctx.hostMem's high-half cell): hot functions provide it, and
   * guests then call them through a wasm shim without BigInts. `make` must behave identically.
   */
  makeSplit?(ctx: HostContext, guardSlow: SlowGuard): (...args: number[]) => number | void;
  /**
   * With makeSplit: wasm code the shim runs first for a guest importing this variant with signature
   * `type`, answering the calls it can from the host memory (engine/host-memory.ts) and passing the rest on
   * to the split function. It must answer exactly as the split function would.
   */
  inline?(type: FuncType): InlineCode;
}

/**
 * Wraps a function in the host-call guard (guard.ts) for this definition's split convention. Hot split
 * functions guard only their slow path: their fast path reads checked offsets and cannot throw, and an
 * extra frame on every call would cost the hot path its margin.
 */
export type SlowGuard = <F extends (...args: never[]) => unknown>(f: F) => F;
export const noGuard: SlowGuard = (f) => f;

/**
 * A function that both revisions have, but today's returns an i32 status and the seed's nothing: two
 * variants with one implementation (its status is dropped for the seed's).
 */
export function withAndWithoutStatus(def: Omit<HostFunctionDef, 'results' | 'revision'>): HostFunctionDef[] {
  return [{ ...def, results: ['i32'], revision: 'current' }, { ...def, results: [], revision: 'seed' }];
}
