// IG's perf reader functions (pkg/operators/wasm/perf.go) on engine/perf.ts: newPerfReader, pause, resume,
// read, close. Today's perfReaderRead copies the record into the guest's buffer (bufPtr); the older
// revision took an i32 address where the host stored the bufPtr of a copy in guest-malloc'd memory, and
// had perfReaderSetDeadline. Both revisions are provided.
import { mallocCopy, type HostContext } from '../engine/context';
import { HType } from '../engine/handles';
import { MT } from '../engine/maps';
import { PerfItem, PerfReader } from '../engine/perf';
import { mapOf } from './maps';
import type { HostFunctionDef } from './define';

function readerOf(ctx: HostContext, fn: string, h: number): PerfReader | undefined {
  const r = ctx.handles.typed<PerfReader>(h, HType.PerfReader);
  if (!r) ctx.badHandle(fn, h);
  return r;
}

/** The next record for perfReaderRead, or its failure value (1 error, 2 deadline exceeded). */
function next(ctx: HostContext, h: number): PerfItem | 1 | 2 {
  const r = readerOf(ctx, 'perfReaderRead', h);
  if (!r) return 1;
  if (r.overwritable && !r.paused) {
    ctx.log(1, 'perfReaderRead: reading perf buffer: perf ringbuffer: must have been paused before reading overwritable buffer');
    return 1;
  }
  const it = r.read();
  if (it === undefined) {
    // Overwritable readers have their deadline at creation: an exhausted one is "deadline exceeded". A
    // normal reader would block in IG until the next record; with no kernel there is none coming.
    if (!r.overwritable) ctx.warnOnce('perf:block', `perfReaderRead: the perf buffer of "${r.map.name}" is empty; IG's host would wait for the next record, this one answers 2 (deadline exceeded)`);
    return 2;
  }
  return it;
}

const NO_BYTES = new Uint8Array(0);
const bytesOf = (it: PerfItem): Uint8Array => (it instanceof Uint8Array ? it : NO_BYTES);

const status = (name: string, act: (r: PerfReader) => void): HostFunctionDef => ({
  name, params: { reader: 'i32' }, results: ['i32'], revision: 'kernel',
  make: (ctx) => (h: number): number => {
    const r = readerOf(ctx, name, h);
    if (!r) return 1;
    act(r);
    if (name === 'perfReaderClose') ctx.handles.delete(h);
    return 0;
  },
});

export const perfFunctions: HostFunctionDef[] = [
  {
    name: 'newPerfReader', params: { perfMap: 'i32', size: 'i32', overwritable: 'i32' }, results: ['i32'], revision: 'kernel',
    make: (ctx) => (mapH: number, size: number, overwritable: number): number => {
      const m = mapOf(ctx, 'newPerfReader', mapH);
      // IG answers a bad map handle with 1, not 0 (a slip in its host, kept so guests see the same).
      if (!m) { ctx.log(1, 'newPerfReader: IG returns 1 for a bad map handle; 1 is not a perf reader'); return 1; }
      if (m.type !== MT.PerfEventArray) { ctx.log(1, `newPerfReader: creating perf reader: map "${m.name}" is not a PerfEventArray`); return 0; }
      if (size >>> 0 === 0) { ctx.log(1, 'newPerfReader: creating perf reader: perCPUBuffer must be larger than 0'); return 0; }
      const r = new PerfReader(m, size >>> 0, overwritable >>> 0 > 0);
      const h = ctx.handles.add(r);
      // What the eBPF program writes reaches a reader once one is open on the array.
      if (h !== 0) for (const rec of m.pendingRecords.splice(0)) r.write(rec);
      return h;
    },
  },
  status('perfReaderPause', (r) => { r.paused = true; }),
  status('perfReaderResume', (r) => { r.paused = false; }),
  status('perfReaderClose', () => undefined),
  {
    name: 'perfReaderRead', params: { reader: 'i32', dst: 'i64' }, results: ['i32'], revision: 'kernel',
    make: (ctx) => (h: number, dst: bigint): number => {
      const it = next(ctx, h);
      if (typeof it === 'number') return it;
      if (!ctx.mem.writeToDst(dst, bytesOf(it))) {
        ctx.log(1, `perfReaderRead: writing record raw bytes to guest memory: the buffer is too small for the ${bytesOf(it).length}-byte record or out of bounds`);
        return 1;
      }
      return 0;
    },
  },
  {
    // The older revision: the record is copied into guest-malloc'd memory, its bufPtr stored at `addr`.
    name: 'perfReaderRead', params: { reader: 'i32', addr: 'i32' }, results: ['i32'], revision: 'seed',
    make: (ctx) => (h: number, addr: number): number => {
      const it = next(ctx, h);
      if (typeof it === 'number') return it;
      const bytes = bytesOf(it);
      const bp = mallocCopy(ctx, 'perfReaderRead', bytes);
      if (bp === 0n && bytes.length > 0) return 1;
      if (!ctx.mem.writeU64(addr >>> 0, bp)) { ctx.log(1, `perfReaderRead: writing ${bp.toString(16)} at ${(addr >>> 0).toString(16)}`); return 1; }
      return 0;
    },
  },
  {
    // The older revision only: reads past the deadline answer 2. Records here are all written when the
    // reader opens, so a deadline changes nothing but is accepted as IG does.
    name: 'perfReaderSetDeadline', params: { reader: 'i32', nsec: 'i64' }, results: ['i32'], revision: 'seed',
    make: (ctx) => (h: number): number => (readerOf(ctx, 'perfReaderSetDeadline', h) ? 0 : 1),
  },
];
