// The kernel-only part of IG's API (eBPF maps, perf readers, syscall declarations, kallsyms, the
// mount-namespace filter; syscall names and numbers are in syscalls.ts). There is no kernel here: each function exists so real gadgets load, answers with the value
// IG's host returns on failure, and warns once per function so the author knows why.
import type { HostFunctionDef } from './imports';
import { ValType } from './wasm-binary';

const I = 'i32' as const, L = 'i64' as const;

const KERNEL: [name: string, params: ValType[], failure: number][] = [
  ['newMap', [L, I, I, I, I], 0],
  ['getMap', [L], 0],
  ['mapLookup', [I, L, L], 1],
  ['mapUpdate', [I, L, L, L], 1],
  ['mapDelete', [I, L], 1],
  ['mapRelease', [I], 1],
  ['getSyscallDeclaration', [L, L], 1],
  ['newPerfReader', [I, I, I], 0],
  ['perfReaderPause', [I], 1],
  ['perfReaderResume', [I], 1],
  ['perfReaderRead', [I, L], 1],
  ['perfReaderClose', [I], 1],
  ['kallsymsSymbolExists', [L], 0],
];

export const kernelFunctions: HostFunctionDef[] = [
  ...KERNEL.map(([name, params, failure]): HostFunctionDef => ({
    name, params, results: [I], revision: 'kernel',
    make: (ctx) => () => {
      ctx.warnOnce(`kernel:${name}`, `${name}: not available in the embedded host (needs a kernel); returning ${failure}`);
      return failure;
    },
  })),
  {
    // Without a mount-namespace filter map IG keeps every event: 0, not a failure, so no warning.
    name: 'shouldDiscardMntnsID', params: [L], results: [I], revision: 'kernel',
    make: () => () => 0,
  },
];
