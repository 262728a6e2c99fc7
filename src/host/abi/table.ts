// The one table of host functions: every function the host provides, per wasm module name, with its wasm
// signature, parameters named (IG's host names them in comments next to each exportFunction). One file per
// API area defines its functions. A name may have several variants (the seed API vs today's `ig` module,
// e.g. fieldSet with or without an i32 result); each import of a guest gets the variant whose signature
// matches exactly, since JS would otherwise silently adapt any function to any declared type. IG's
// functions answer under the module name `ig` and the older `env`.
import { FuncType, ImportEntry, formatSignature, sameSignature } from '../engine/wasm-binary';
import { configFunctions } from './config';
import type { HostFunctionDef } from './define';
import { guard } from './guard';
import type { HostContext } from '../engine/context';
import { dataSourceFunctions } from './datasources';
import { fieldFunctions } from './fields';
import { kernelFunctions } from './kernel';
import { logFunctions } from './log';
import { mapFunctions } from './maps';
import { paramFunctions } from './params';
import { perfFunctions } from './perf';
import { syscallFunctions } from './syscalls';
import { WASI_MODULE, wasiFunctions } from './wasi';

export type { HostFunctionDef, Params, Revision } from './define';
export { HostFault } from './guard';

/** Module names IG's API is imported from: `ig` today, `env` before v0.39. */
export const IG_MODULES: readonly string[] = ['ig', 'env'];

export const IG_FUNCTIONS: readonly HostFunctionDef[] = [
  ...logFunctions, ...dataSourceFunctions, ...fieldFunctions, ...paramFunctions, ...configFunctions, ...syscallFunctions, ...kernelFunctions,
  ...mapFunctions, ...perfFunctions,
];
export const WASI_FUNCTIONS: readonly HostFunctionDef[] = wasiFunctions;

/** The wasm signature of a definition. */
export function signatureOf(def: HostFunctionDef): FuncType {
  return { params: Object.values(def.params), results: [...def.results] };
}

/** `(level i32, message i64) -> ()`: the signature with the parameters' names. */
export function describeDef(def: HostFunctionDef): string {
  return `(${Object.entries(def.params).map(([n, t]) => `${n} ${t}`).join(', ')}) -> (${def.results.join(', ')})`;
}

interface Variant { def: HostFunctionDef; type: FuncType }

function index(defs: readonly HostFunctionDef[]): Map<string, Variant[]> {
  const m = new Map<string, Variant[]>();
  for (const def of defs) {
    const v = { def, type: signatureOf(def) };
    const list = m.get(def.name);
    if (list) list.push(v); else m.set(def.name, [v]);
  }
  return m;
}
const IG_BY_NAME = index(IG_FUNCTIONS);
const WASI_BY_NAME = index(WASI_FUNCTIONS);

export type FunctionImport = ImportEntry & { kind: 'function'; type: FuncType };

export interface ImportMatch {
  imp: FunctionImport;
  def?: HostFunctionDef;
  /** Why there is no match: unknown module or name, or no variant with this signature. */
  problem?: string;
}

/** Finds the variant for one function import. */
export function matchImport(imp: FunctionImport): ImportMatch {
  const table = IG_MODULES.includes(imp.module) ? IG_BY_NAME : imp.module === WASI_MODULE ? WASI_BY_NAME : undefined;
  if (!table) return { imp, problem: `unknown module "${imp.module}"` };
  const variants = table.get(imp.name);
  if (!variants) return { imp, problem: 'not provided by this host' };
  const match = variants.find((v) => sameSignature(v.type, imp.type));
  if (match) return { imp, def: match.def };
  return { imp, problem: `signature does not match; provided: ${variants.map((v) => describeDef(v.def)).join(' or ')}` };
}

export function describeImport(imp: ImportEntry): string {
  if (imp.kind === 'function') return `${imp.module}.${imp.name} ${formatSignature(imp.type)}`;
  return `${imp.module}.${imp.name} (${imp.kind})`;
}

/**
 * A definition's implementation bound to one instance, inside the host-call guard (guard.ts): `split`
 * picks the i64-shim calling convention (the definition must provide makeSplit).
 */
export function implement(def: HostFunctionDef, ctx: HostContext, split: boolean): (...args: never[]) => unknown {
  // Split (hot) functions guard their own slow path (define.ts SlowGuard); everything else is wrapped whole.
  return split ? def.makeSplit!(ctx, (f) => guard(def, f, true) as typeof f) : guard(def, def.make(ctx), false);
}
