// The simulated kernel of one instance: the gadget's maps (published to getMap from gadgetStart on, as IG's
// eBPF operator publishes them in its Start), the maps the guest created with newMap, perf records, the
// syscall architecture and declarations, kallsyms and the mount-namespace filter. Built from the embedder's
// KernelOptions; the host functions in abi/maps.ts, abi/perf.ts, abi/syscalls.ts and abi/kernel.ts use it.
import type { KernelOptions, MapSnapshot, SyscallArch, SyscallParam } from '../api';
import { GadgetError } from '../api';
import { BpfMap, createMap } from './maps';

export class KernelEnv {
  readonly cpus: number;
  readonly arch: SyscallArch;
  /** The gadget's maps by name. */
  readonly maps = new Map<string, BpfMap>();
  /** Whether getMap sees the gadget's maps yet (set just before gadgetStart). */
  published = false;
  /** Handles of maps made by newMap and not released: the only ones mapRelease accepts. */
  readonly created = new Set<object>();
  readonly syscallDeclarations: Record<string, SyscallParam[]> | undefined;
  private readonly kallsymsList: readonly string[];
  private kallsymsSet: Set<string> | undefined;
  /** Mount-namespace IDs to keep; undefined = no filter. */
  readonly mntns: Set<bigint> | undefined;

  constructor(opts: KernelOptions = {}) {
    const cpus = opts.cpus ?? 1;
    if (!Number.isInteger(cpus) || cpus < 1 || cpus > 1024) throw new GadgetError('load', `kernel: the CPU count must be 1..1024, got ${String(cpus)}`);
    this.cpus = cpus;
    this.arch = opts.arch ?? 'x86_64';
    if (this.arch !== 'x86_64' && this.arch !== 'arm64') throw new GadgetError('load', `kernel: unknown architecture "${String(this.arch)}" (x86_64 or arm64)`);
    this.syscallDeclarations = opts.syscallDeclarations;
    this.kallsymsList = opts.kallsyms ?? [];
    this.mntns = opts.mntnsFilter ? new Set(opts.mntnsFilter.map((v) => BigInt.asUintN(64, BigInt(v)))) : undefined;
    for (const d of opts.maps ?? []) {
      const where = `map "${d.name}"`;
      if (this.maps.has(d.name)) throw new GadgetError('load', `${where} is declared twice`);
      const m = createMap(d, this.cpus);
      if (typeof m === 'string') throw new GadgetError('load', `${where}: ${m}`);
      for (const [i, e] of (d.entries ?? []).entries()) {
        const err = m.isMapOfMaps
          ? `entries of maps of maps are not supported`
          : m.update(e.key, 0, e.key.length, e.value, 0, e.value.length, 0);
        if (err) throw new GadgetError('load', `${where}, entry ${i + 1} (key ${hex(e.key)}): ${err}`);
      }
      if (d.records?.length) {
        if (d.type !== 4) throw new GadgetError('load', `${where}: perf records need a perf event array (type 4), not type ${d.type}`);
        m.pendingRecords.push(...d.records);
      }
      this.maps.set(d.name, m);
    }
  }

  hasSymbol(name: string): boolean {
    this.kallsymsSet ??= new Set(this.kallsymsList);
    return this.kallsymsSet.has(name);
  }

  /** The gadget's maps and their entries (for displays after a run). */
  snapshot(): MapSnapshot[] {
    return [...this.maps.values()].map((m) => ({
      name: m.name, type: m.type, keySize: m.spec.keySize, valueSize: m.spec.valueSize, maxEntries: m.spec.maxEntries,
      entries: m.entries(),
    }));
  }
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}
