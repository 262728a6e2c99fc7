// Shared by the eBPF tests: compiled fixture objects (skips nothing: a missing clang fails with the
// install hint) and their bytes.
import { readFileSync } from 'node:fs';
import { bpfObject } from '../../support/bpf';

export function objectBytes(name: string, defines: string[] = []): Uint8Array {
  const variant = defines.map((d) => d.toLowerCase()).join('-');
  return new Uint8Array(readFileSync(bpfObject(name, defines.map((d) => `-D${d}`), variant)));
}

export function objectPath(name: string, defines: string[] = []): string {
  return bpfObject(name, defines.map((d) => `-D${d}`), defines.map((d) => d.toLowerCase()).join('-'));
}
