// Shared by the kernel-bound host tests: the WAT signatures of those functions, and a proxy guest that
// re-exports them (plus the data-source functions) so tests call them from JS with any arguments.
import type { InstanceOptions } from '../../../../src/host/engine/instance';
import { IG_IMPORTS, ProxyGuest, loadProxy } from '../guest';

export const KERNEL_SIGS: Record<string, string> = {
  newMap: '(param i64 i32 i32 i32 i32) (result i32)',
  getMap: '(param i64) (result i32)',
  mapLookup: '(param i32 i64 i64) (result i32)',
  mapUpdate: '(param i32 i64 i64 i64) (result i32)',
  mapDelete: '(param i32 i64) (result i32)',
  mapRelease: '(param i32) (result i32)',
  newPerfReader: '(param i32 i32 i32) (result i32)',
  perfReaderPause: '(param i32) (result i32)',
  perfReaderResume: '(param i32) (result i32)',
  perfReaderRead: '(param i32 i64) (result i32)',
  perfReaderClose: '(param i32) (result i32)',
  getSyscallName: '(param i32 i64) (result i32)',
  getSyscallID: '(param i64) (result i32)',
  getSyscallDeclaration: '(param i64 i64) (result i32)',
  kallsymsSymbolExists: '(param i64) (result i32)',
  shouldDiscardMntnsID: '(param i64) (result i32)',
};

/** A proxy guest over every kernel-bound function and today's API, loaded with `opts` (kernel, …). */
export async function kernelProxy(opts: Partial<InstanceOptions> = {}, sigs: Record<string, string> = {}): Promise<ProxyGuest> {
  return loadProxy({ sigs: { ...IG_IMPORTS, ...KERNEL_SIGS, ...sigs } }, opts);
}

/** Little-endian bytes of u32 values. */
export function u32s(...vs: number[]): Uint8Array {
  const b = new Uint8Array(vs.length * 4);
  const dv = new DataView(b.buffer);
  vs.forEach((v, i) => dv.setUint32(i * 4, v, true));
  return b;
}

/** IG's map test key: struct { u32 a; u32 b; u8 c; } padded to 12 bytes. */
export const KEY12 = new Uint8Array([42, 0, 0, 0, 42, 0, 0, 0, 43, 0, 0, 0]);
