// The kernel-only part of IG's API (eBPF maps, perf readers, syscall declarations, kallsyms, the
// mount-namespace filter; syscall names and numbers are in syscalls.ts). There is no kernel here: each
// function exists so real gadgets load, answers with the value IG's host returns on failure, and warns
// once per function so the author knows why.
import type { HostFunctionDef, Params } from './define';

const I = 'i32' as const, L = 'i64' as const;

const KERNEL: [name: string, params: Params, failure: number][] = [
  ['newMap', { name: L, type: I, keySize: I, valueSize: I, maxEntries: I }, 0],
  ['getMap', { name: L }, 0],
  ['mapLookup', { map: I, key: L, value: L }, 1],
  ['mapUpdate', { map: I, key: L, value: L, flags: L }, 1],
  ['mapDelete', { map: I, key: L }, 1],
  ['mapRelease', { map: I }, 1],
  ['getSyscallDeclaration', { name: L, dst: L }, 1],
  ['newPerfReader', { perfMap: I, size: I, overwritable: I }, 0],
  ['perfReaderPause', { reader: I }, 1],
  ['perfReaderResume', { reader: I }, 1],
  ['perfReaderRead', { reader: I, dst: L }, 1],
  ['perfReaderClose', { reader: I }, 1],
  ['kallsymsSymbolExists', { symbol: L }, 0],
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
    name: 'shouldDiscardMntnsID', params: { mntnsID: 'i64' }, results: [I], revision: 'kernel',
    make: () => () => 0,
  },
];
