// gadgetLog / gadgetShouldLog. Levels: 0 Error, 1 Warn, 2 Info, 3 Debug, 4 Trace; messages above the
// instance's log level are dropped here, like IG's logger does.
import type { HostContext } from '../engine/context';
import type { HostFunctionDef } from './define';
import { MAX_LINE_CHARS } from '../engine/limits';
import { bpLength } from '../engine/memory';

/** The first MAX_LINE_CHARS bytes of a longer message, with a note; null when the whole is out of bounds. */
function readCut(ctx: HostContext, msg: bigint, len: number): string | null {
  const addr = Number(BigInt.asUintN(64, msg) & 0xffffffffn);
  if (!ctx.mem.inBounds(addr, len)) return null;
  const kept = ctx.mem.readString((BigInt(MAX_LINE_CHARS) << 32n) | BigInt(addr));
  return `${kept ?? ''} … [cut: the message has ${len} bytes; the host keeps ${MAX_LINE_CHARS}]`;
}

export const logFunctions: HostFunctionDef[] = [
  {
    name: 'gadgetLog', params: { level: 'i32', message: 'i64' }, results: [], revision: 'both',
    make: (ctx) => (level: number, msg: bigint): void => {
      // A longer message is cut (with a note), and only its kept part is decoded.
      const len = bpLength(msg);
      const text = len <= MAX_LINE_CHARS ? ctx.mem.readString(msg) : readCut(ctx, msg, len);
      if (text === null) {
        ctx.log(1, 'gadgetLog: invalid pointer for the message');
        return;
      }
      const lvl = level >>> 0;
      if (lvl > 4) {
        ctx.log(1, `gadgetlog: gadget used unknown log level: ${lvl} for ${text}`);
        return;
      }
      ctx.log(lvl, text);
    },
  },
  {
    name: 'gadgetShouldLog', params: { level: 'i32' }, results: ['i32'], revision: 'current',
    make: (ctx) => (level: number): number => (ctx.shouldLog(level >>> 0) ? 1 : 0),
  },
];
