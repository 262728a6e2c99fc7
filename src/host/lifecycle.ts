// Calling the guest's lifecycle exports and turning their failures into GadgetErrors that name the phase
// and the cause (trap text, non-zero result, proc_exit code).
import { GadgetError, Phase } from './api';
import { ProcExit } from './context';
import { WasmExports } from './wasm-api';

export type LifecyclePhase = 'gadgetInit' | 'gadgetPreStart' | 'gadgetStart' | 'gadgetStop' | 'gadgetPostStop';

/** The text of a trap or host error thrown through the guest. */
export function causeOf(err: unknown): string {
  if (err instanceof ProcExit) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** Runs `fn` (a guest export) for `phase`; returns its result or throws GadgetError. */
export function callGuest(phase: Phase, name: string, fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    if (err instanceof GadgetError) throw err;
    if (err instanceof ProcExit) throw new GadgetError(phase, err.message);
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
