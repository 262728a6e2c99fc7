// gadgetLog / gadgetShouldLog. Levels: 0 Error, 1 Warn, 2 Info, 3 Debug, 4 Trace; messages above the
// instance's log level are dropped here, like IG's logger does.
import type { HostFunctionDef } from './define';

export const logFunctions: HostFunctionDef[] = [
  {
    name: 'gadgetLog', params: { level: 'i32', message: 'i64' }, results: [], revision: 'both',
    make: (ctx) => (level: number, msg: bigint): void => {
      const text = ctx.mem.readString(msg);
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
