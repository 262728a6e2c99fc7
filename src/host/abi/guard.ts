// The guard at the host-call boundary: every host function the guest imports runs inside it. What a host
// function throws on purpose passes through unchanged (a HostTrap that IG also treats as fatal, proc_exit,
// a GadgetError, a trap of the guest's own code re-entered through malloc). Anything else is a bug or an
// unforeseen limit of this host: it becomes a HostFault naming the function and its arguments, so the
// user reads which call failed rather than a JavaScript exception, and can tell it from a guest trap.
import { GadgetError } from '../api';
import { ProcExit } from '../engine/context';
import { HostTrap } from '../engine/memory';
import { Wasm } from '../engine/wasm-api';
import type { HostFunctionDef } from './define';

/** A host function failed in a way it never should: reported as a host bug, with the call that caused it. */
export class HostFault extends Error {
  constructor(readonly fn: string, readonly call: string, readonly detail: string) {
    super(`host error in ${call}: ${detail} (a bug in the host, not in the gadget; please report it with this line)`);
    this.name = 'HostFault';
  }
}

/** Whether a thrown value is an outcome the host means (a trap, an exit, a phase error), not a fault. */
export function isDeliberate(err: unknown): boolean {
  return err instanceof HostTrap || err instanceof ProcExit || err instanceof GadgetError || err instanceof HostFault
    || err instanceof Wasm.RuntimeError;
}

/** `fieldGetScalar(field 7, data 3, kind 8, errPtr 0x3000)`: i64 halves of the split convention joined. */
export function describeCall(def: HostFunctionDef, split: boolean, args: readonly unknown[]): string {
  const parts: string[] = [];
  let i = 0;
  for (const [name, type] of Object.entries(def.params)) {
    let v = args[i++];
    if (type === 'i64' && split) v = (BigInt(args[i++] as number >>> 0) << 32n) | BigInt(v as number >>> 0);
    parts.push(`${name} ${formatArg(type, v)}`);
  }
  return `${def.name}(${parts.join(', ')})`;
}

function formatArg(type: string, v: unknown): string {
  if (type === 'i64' && typeof v === 'bigint') {
    const u = BigInt.asUintN(64, v);
    // Most i64 parameters are bufPtrs: show address and length when the value could be one.
    return u > 0xffffffffn ? `0x${u.toString(16)} (addr 0x${(u & 0xffffffffn).toString(16)}, len ${u >> 32n})` : `0x${u.toString(16)}`;
  }
  return String(v);
}

/** The limit every host is bound by: deep guest recursion leaves the host no stack. Not a host bug. */
function isStackExhausted(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

type Fn = (...args: never[]) => unknown;

/** Wraps one host function implementation; `split`: it uses the i64-shim calling convention. */
export function guard(def: HostFunctionDef, fn: Fn, split: boolean): Fn {
  const fault = (err: unknown, args: unknown[]): never => {
    if (isDeliberate(err)) throw err;
    const call = describeCall(def, split, args);
    if (isStackExhausted(err)) throw new HostTrap(`${call}: the call stack is exhausted (the guest's recursion is too deep)`);
    throw new HostFault(def.name, call, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  };
  // One wrapper per arity, so the engine calls a function with exactly the parameters the wasm side
  // passes (an arity mismatch takes a slower path in the wasm-to-JS call); try/catch costs nothing
  // while nothing is thrown.
  const f = fn as (...a: unknown[]) => unknown;
  let n = Object.keys(def.params).length;
  if (split) n += Object.values(def.params).filter((t) => t === 'i64').length;
  switch (n) {
    case 0: return () => { try { return f(); } catch (e) { return fault(e, []); } };
    case 1: return (a: unknown) => { try { return f(a); } catch (e) { return fault(e, [a]); } };
    case 2: return (a: unknown, b: unknown) => { try { return f(a, b); } catch (e) { return fault(e, [a, b]); } };
    case 3: return (a: unknown, b: unknown, c: unknown) => { try { return f(a, b, c); } catch (e) { return fault(e, [a, b, c]); } };
    case 4: return (a: unknown, b: unknown, c: unknown, d: unknown) => { try { return f(a, b, c, d); } catch (e) { return fault(e, [a, b, c, d]); } };
    case 5: return (a: unknown, b: unknown, c: unknown, d: unknown, g: unknown) => {
      try { return f(a, b, c, d, g); } catch (e) { return fault(e, [a, b, c, d, g]); }
    };
    case 6: return (a: unknown, b: unknown, c: unknown, d: unknown, g: unknown, h: unknown) => {
      try { return f(a, b, c, d, g, h); } catch (e) { return fault(e, [a, b, c, d, g, h]); }
    };
    default: return (...args: unknown[]) => { try { return f(...args); } catch (e) { return fault(e, args); } };
  }
}
