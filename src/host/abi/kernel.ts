// kallsymsSymbolExists and shouldDiscardMntnsID on the simulated kernel (engine/kernel.ts): the symbols the
// embedder gave (from /proc/kallsyms, a kallsyms file or the events file) and the mount-namespace filter,
// which only exists when the run enables it. Maps are in maps.ts, perf readers in perf.ts, syscalls in
// syscalls.ts.
import type { HostFunctionDef } from './define';

export const kernelFunctions: HostFunctionDef[] = [
  {
    name: 'kallsymsSymbolExists', params: { symbol: 'i64' }, results: ['i32'], revision: 'kernel',
    make: (ctx) => (symbolBp: bigint): number => {
      const name = ctx.mem.readString(symbolBp);
      if (name === null) { ctx.log(1, 'kallsymsSymbolExists: reading string from stack: invalid pointer'); return 0; }
      return ctx.kernel.hasSymbol(name) ? 1 : 0;
    },
  },
  {
    // Without a filter IG keeps every event (0); with one, the IDs in it are kept and the rest discarded.
    name: 'shouldDiscardMntnsID', params: { mntnsID: 'i64' }, results: ['i32'], revision: 'kernel',
    make: (ctx) => (id: bigint): number => {
      const keep = ctx.kernel.mntns;
      return keep === undefined || keep.has(BigInt.asUintN(64, id)) ? 0 : 1;
    },
  },
];
