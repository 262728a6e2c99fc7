// Perf readers on a perf event array, as cilium/ebpf's perf.Reader behaves for IG's host: the ring of a
// reader has a byte capacity (the size asked for, rounded up to a power-of-2 number of pages), each record
// takes the kernel's footprint in it (an 8-byte header, then a u32 length and the data padded to 8). A
// normal ring drops records that do not fit and reports them as lost; an overwritable one drops its
// oldest records instead and is read newest first. Reading an overwritable ring needs it paused. With no
// kernel, the records are the ones the events file gives for the array, written when a reader opens.
import { HType, Handled } from './handles';
import { BpfMap } from './maps';

const PAGE = 4096;

/** Bytes a record of `len` bytes takes in the ring. */
export function recordFootprint(len: number): number {
  return 8 + ((4 + len + 7) & ~7);
}

/** One read: a sample, or a count of samples the ring lost (read as 0 bytes, as IG copies RawSample). */
export type PerfItem = Uint8Array | { lost: number };

export class PerfReader implements Handled {
  readonly htype = HType.PerfReader;
  readonly capacity: number;
  paused = false;
  private items: PerfItem[] = [];
  private used = 0;

  constructor(readonly map: BpfMap, size: number, readonly overwritable: boolean) {
    let pages = Math.ceil(size / PAGE);
    pages = 2 ** Math.ceil(Math.log2(Math.max(1, pages)));
    this.capacity = pages * PAGE;
  }

  /** The eBPF program's bpf_perf_event_output: the record goes into the ring, or is lost. */
  write(sample: Uint8Array): void {
    const need = recordFootprint(sample.length);
    if (need > this.capacity) { this.lose(); return; }
    if (this.overwritable) {
      while (this.used + need > this.capacity) this.used -= footprint(this.items.shift()!);
    } else if (this.used + need > this.capacity) {
      this.lose();
      return;
    }
    this.items.push(sample);
    this.used += need;
  }

  private lose(): void {
    const last = this.items[this.items.length - 1];
    if (last !== undefined && !(last instanceof Uint8Array)) last.lost++;
    else this.items.push({ lost: 1 });
  }

  /** Next record: normal rings oldest first, overwritable ones newest first; undefined when exhausted. */
  read(): PerfItem | undefined {
    const it = this.overwritable ? this.items.pop() : this.items.shift();
    if (it !== undefined) this.used -= footprint(it);
    return it;
  }

  get pending(): number { return this.items.length; }
}

function footprint(it: PerfItem): number {
  return it instanceof Uint8Array ? recordFootprint(it.length) : 0;
}
