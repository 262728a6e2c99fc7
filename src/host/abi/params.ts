// getParamValue in both revisions: the seed's `(key) -> bufPtr` returning a string in guest-malloc'd
// memory, and today's `(key, dst) -> i32` writing into the guest's buffer. Values come from the
// embedder, keyed by bare param key; there is no default fallback at this layer (as in IG's host).
import { mallocCopy } from '../engine/context';
import { encodeUtf8 } from '../engine/kinds';
import type { HostFunctionDef } from './define';

export const paramFunctions: HostFunctionDef[] = [
  {
    name: 'getParamValue', params: { key: 'i64', dst: 'i64' }, results: ['i32'], revision: 'current',
    make: (ctx) => (keyBp: bigint, dst: bigint): number => {
      const key = ctx.mem.readString(keyBp);
      if (key === null) { ctx.log(1, 'getParamValue: invalid pointer for the key'); return 1; }
      if (!Object.prototype.hasOwnProperty.call(ctx.params, key)) { ctx.log(1, `getParamValue: param "${key}" not found`); return 1; }
      const value = encodeUtf8(ctx.params[key]);
      if (!ctx.mem.writeToDst(dst, value)) {
        ctx.log(1, `getParamValue: destination too small or out of bounds for the ${value.length}-byte value of "${key}"`);
        return 1;
      }
      return 0;
    },
  },
  {
    name: 'getParamValue', params: { key: 'i64' }, results: ['i64'], revision: 'seed',
    make: (ctx) => (keyBp: bigint): bigint => {
      const key = ctx.mem.readString(keyBp);
      if (key === null) { ctx.log(1, 'getParamValue: invalid pointer for the key'); return 0n; }
      if (!Object.prototype.hasOwnProperty.call(ctx.params, key)) { ctx.log(1, `getParamValue: param "${key}" not found`); return 0n; }
      return mallocCopy(ctx, 'getParamValue', encodeUtf8(ctx.params[key]));
    },
  },
];
