// The guest's half of the ABI, its exports: calling the lifecycle exports and turning their failures into
// GadgetErrors that name the phase and the cause (trap text, non-zero result, proc_exit code), the
// gadgetAPIVersion check, and the signature of dataSourceCallback.
import { GadgetError, Phase } from '../api';
import { ProcExit, causeOf } from '../engine/context';
import { WasmExports } from '../engine/wasm-api';
import { FuncType, formatSignature } from '../engine/wasm-binary';
import { HostFault } from './guard';

export type LifecyclePhase = 'gadgetInit' | 'gadgetPreStart' | 'gadgetStart' | 'gadgetStop' | 'gadgetPostStop';

/** Runs `fn` (a guest export) for `phase`; returns its result or throws GadgetError. */
export function callGuest(phase: Phase, name: string, fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    if (err instanceof GadgetError) throw err;
    // proc_exit and host faults name their cause themselves; a trap is told by the export it ended.
    if (err instanceof ProcExit || err instanceof HostFault) throw new GadgetError(phase, err.message);
    throw new GadgetError(phase, `calling ${name}: ${causeOf(err)}`);
  }
}

/** Zero (or no result, which IG's Go host would crash on) is success. */
export function isFailure(result: unknown): boolean {
  return result !== undefined && result !== 0 && result !== 0n;
}

/** Checks `gadgetAPIVersion` (mandatory, must be 1, i64 or i32 result). */
export function checkApiVersion(exports: WasmExports): void {
  const fn = exports.gadgetAPIVersion;
  if (typeof fn !== 'function') throw new GadgetError('gadgetAPIVersion', "wasm module doesn't export gadgetAPIVersion");
  const v = callGuest('gadgetAPIVersion', 'gadgetAPIVersion', () => (fn as () => unknown)());
  // Compared as u64, like IG.
  const u = typeof v === 'bigint' ? BigInt.asUintN(64, v) : typeof v === 'number' ? BigInt(v >>> 0) : undefined;
  if (u !== 1n) {
    throw new GadgetError('gadgetAPIVersion', `unsupported gadget API version: ${u === undefined ? 'no result' : u.toString()}, expected: 1`);
  }
}

/**
 * The guest's dataSourceCallback as the emit engine calls it: `(i64 cbID, i32 ds, i32 data)`. A guest that
 * declares the id as i32 gets it truncated (wazero passes raw 64-bit slots, so such guests work in IG
 * too); any other shape is a load error rather than a failure on every packet.
 */
export function callbackAdapter(fn: (...a: unknown[]) => unknown, type: FuncType | undefined): (cbID: bigint, ds: number, data: number) => void {
  const p = type?.params ?? [];
  if (p.length === 3 && p[1] === 'i32' && p[2] === 'i32' && (p[0] === 'i64' || p[0] === 'i32')) {
    if (p[0] === 'i64') return fn as (cbID: bigint, ds: number, data: number) => void;
    return (cbID, ds, data) => { fn(Number(BigInt.asIntN(32, cbID)), ds, data); };
  }
  throw new GadgetError('load', `dataSourceCallback has the signature ${type ? formatSignature(type) : '(unknown)'}; expected (i64, i32, i32) -> ()`);
}
