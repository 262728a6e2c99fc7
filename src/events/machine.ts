// The simulated kernel of a run (`ig-wasm run` and the extension's Run Gadget): the gadget's maps from its
// eBPF object and the events file, the CPU count and architecture, kallsyms (a kallsyms file, the events
// file, else /proc/kallsyms), the mount-namespace filter (given, or the events file's) and syscall
// declarations from the machine's tracefs when readable. The machine is read only for what the module
// imports.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KernelOptions, MapSnapshot, SyscallArch, SyscallParam } from '../host/api';
import { inspectModule } from '../host/engine/inspect';
import { loadCollectionSpec } from '../ebpf/collection';
import { EbpfError } from '../ebpf/errors';
import { decodeBtf } from '../ebpf/btf-values';
import { kernelFromEvents, type ObjectMaps } from './kernel';
import type { EventsFile } from './parse';
import type { BtfValue } from '../ebpf/btf-values';

/** Decodes a map's key or value bytes by the object's BTF types; undefined when the type is not known. */
export type MapDecoder = (map: MapSnapshot, part: 'key' | 'value', bytes: Uint8Array) => BtfValue | undefined;

export interface KernelArgs {
  cpus?: number;
  arch?: SyscallArch;
  kallsyms?: string;
  mntnsFilter?: bigint[];
}

/** A problem with a kernel input (object, kallsyms file): an input error (the CLI's exit status 2). */
export class KernelInputError extends Error {}

export function machineArch(): SyscallArch {
  return os.arch() === 'arm64' ? 'arm64' : 'x86_64';
}

/** The eBPF object's maps and BTF; `name` is the file (or image entry) for messages. */
export function objectMaps(name: string, bytes: Uint8Array): ObjectMaps {
  try {
    const spec = loadCollectionSpec(bytes);
    return { file: name, maps: spec.maps, btf: spec.btf };
  } catch (e) {
    if (e instanceof EbpfError) throw new KernelInputError(`${name}: not a readable eBPF object: ${e.message}`);
    throw e;
  }
}

/** Symbol names of a /proc/kallsyms-format text (`address type name [module]` a line). */
export function parseKallsyms(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 3) out.push(f[2]);
  }
  return out;
}

const TRACEFS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];
/** IG names tracefs's events after the user-visible syscalls. */
const ALIAS: Record<string, string> = { newfstat: 'fstat', newlstat: 'lstat', newstat: 'stat', newuname: 'uname', sendfile64: 'sendfile', sysctl: '_sysctl', umount: 'umount2' };

/**
 * Syscall declarations from tracefs `syscalls/sys_enter_*\/format` files, as IG reads them: the fields after
 * the first blank line but `__syscall_nr`, a pointer when the type has `*`. undefined when unreadable.
 */
export function readTracefsDeclarations(roots: readonly string[] = TRACEFS): Record<string, SyscallParam[]> | undefined {
  for (const root of roots) {
    const dir = path.join(root, 'events/syscalls');
    let entries: string[];
    try {
      entries = readdirSync(dir).filter((d) => d.startsWith('sys_enter_'));
    } catch {
      continue;
    }
    const out: Record<string, SyscallParam[]> = {};
    for (const e of entries) {
      let text: string;
      try { text = readFileSync(path.join(dir, e, 'format'), 'utf8'); } catch { continue; }
      const name = e.slice('sys_enter_'.length);
      out[ALIAS[name] ?? name] = parseFormat(text);
    }
    if (Object.keys(out).length) return out;
  }
  return undefined;
}

export function parseFormat(text: string): SyscallParam[] {
  const blank = text.indexOf('\n\n');
  const params: SyscallParam[] = [];
  for (const m of text.slice(blank < 0 ? 0 : blank).matchAll(/field:([^;]*);/g)) {
    const decl = m[1].trim();
    const name = /(\w+)(\[\d*\])?$/.exec(decl)?.[1] ?? decl;
    if (name === '__syscall_nr') continue;
    params.push({ name, pointer: decl.includes('*') });
  }
  return params;
}

/** KernelOptions for a run, and the decoder that shows its maps' entries by BTF type. */
export function kernelForRun(
  args: KernelArgs, wasm: Uint8Array, events: EventsFile | undefined, object?: { name: string; bytes: Uint8Array },
): { kernel: KernelOptions; decoder?: MapDecoder } {
  const obj = object ? objectMaps(object.name, object.bytes) : undefined;
  const kernel = kernelFromEvents(obj, events?.kernel, events?.file ?? '', args.cpus ?? 1);
  kernel.arch = args.arch ?? machineArch();
  let imports: Set<string>;
  try {
    imports = new Set(inspectModule(wasm).imports.map((i) => i.name));
  } catch {
    imports = new Set();
  }
  const symbols = [...(events?.kernel?.kallsyms ?? [])];
  if (args.kallsyms) {
    try {
      symbols.push(...parseKallsyms(readFileSync(args.kallsyms, 'utf8')));
    } catch (e) {
      throw new KernelInputError(`cannot read kallsyms file '${args.kallsyms}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  } else if (!events?.kernel?.kallsyms && imports.has('kallsymsSymbolExists') && existsSync('/proc/kallsyms')) {
    try { symbols.push(...parseKallsyms(readFileSync('/proc/kallsyms', 'utf8'))); } catch { /* unreadable: no symbols */ }
  }
  kernel.kallsyms = symbols;
  if (args.mntnsFilter || events?.kernel?.mntnsFilter) kernel.mntnsFilter = [...(args.mntnsFilter ?? []), ...(events?.kernel?.mntnsFilter ?? [])];
  if (imports.has('getSyscallDeclaration')) {
    const fromTracefs = readTracefsDeclarations();
    if (fromTracefs) kernel.syscallDeclarations = fromTracefs;
  }
  return obj?.btf ? { kernel, decoder: btfDecoder(obj, kernel.cpus ?? 1) } : { kernel };
}

/** Decodes by the object's `__type(key, …)` / `__type(value, …)`; per-CPU values as one value per CPU. */
function btfDecoder(obj: ObjectMaps, cpus: number): MapDecoder {
  const btf = obj.btf!;
  return (m: MapSnapshot, part, bytes) => {
    const spec = obj.maps.get(m.name);
    const id = part === 'key' ? spec?.key : spec?.value;
    if (id === undefined) return undefined;
    try {
      const perCpu = part === 'value' && (m.type === 5 || m.type === 6 || m.type === 10);
      if (!perCpu) return decodeBtf(btf, id, bytes);
      const stride = (m.valueSize + 7) & ~7;
      return Array.from({ length: cpus }, (_, i) => decodeBtf(btf, id, bytes, i * stride));
    } catch {
      return undefined;
    }
  };
}
