// WASI preview1 (`wasi_snapshot_preview1`) as TinyGo, Go wasip1 and Rust wasm32-wasip1 guests import it,
// sandboxed like IG's wazero defaults: no args, an empty environment, no preopened directories, so the
// real filesystem and environment are never reachable. fd 1/2 writes become log lines (line-buffered,
// UTF-8 decoded across writes); proc_exit ends the gadget; everything else answers EBADF or ENOSYS.
import { HostContext, ProcExit } from '../engine/context';
import { MAX_LINE_CHARS } from '../engine/limits';
import type { HostFunctionDef, Params } from './define';
import { ValType } from '../engine/wasm-binary';

export const WASI_MODULE = 'wasi_snapshot_preview1';

const IOV_MAX = 1024, MAX_WRITE_BYTES = 16 << 20;
const ESUCCESS = 0, EBADF = 8, EFAULT = 21, EINVAL = 28, ENOSYS = 52, ESPIPE = 70;

type Stream = 'stdout' | 'stderr';

/**
 * Line buffers for the guest's stdout and stderr. Work is linear in what the guest writes: each write is
 * decoded once and scanned once for newlines, and an unterminated line is kept as chunks joined once at
 * its end. A line longer than MAX_LINE_CHARS keeps its first part, with a note saying it was cut.
 */
export class WasiOutput {
  private readonly decoders = { stdout: new TextDecoder('utf-8'), stderr: new TextDecoder('utf-8') };
  private readonly chunks: Record<Stream, string[]> = { stdout: [], stderr: [] };
  /** Characters kept of the current line, and dropped past the cap. */
  private readonly kept = { stdout: 0, stderr: 0 };
  private readonly dropped = { stdout: 0, stderr: 0 };
  constructor(private readonly ctx: HostContext) {}

  write(stream: Stream, bytes: Uint8Array): void {
    const text = this.decoders[stream].decode(bytes, { stream: true });
    let from = 0, nl: number;
    while ((nl = text.indexOf('\n', from)) >= 0) {
      this.append(stream, text, from, nl);
      this.endLine(stream);
      from = nl + 1;
    }
    this.append(stream, text, from, text.length);
  }

  /** Emits unterminated last lines (at the end of every phase, on a trap, when the gadget exits). */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.decoders[stream].decode();
      this.append(stream, rest, 0, rest.length);
      if (this.kept[stream] > 0 || this.dropped[stream] > 0) this.endLine(stream);
    }
  }

  private append(stream: Stream, text: string, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    const room = MAX_LINE_CHARS - this.kept[stream];
    const take = Math.min(n, Math.max(0, room));
    if (take > 0) {
      this.chunks[stream].push(take === text.length ? text : text.slice(from, from + take));
      this.kept[stream] += take;
    }
    this.dropped[stream] += n - take;
  }

  private endLine(stream: Stream): void {
    let line = this.chunks[stream].join('');
    const dropped = this.dropped[stream];
    if (dropped > 0) line = `${line} … [cut: the line has ${this.kept[stream] + dropped} characters; the host keeps ${MAX_LINE_CHARS}]`;
    else if (line.endsWith('\r')) line = line.slice(0, -1);
    this.chunks[stream] = [];
    this.kept[stream] = 0;
    this.dropped[stream] = 0;
    this.ctx.stream(stream, line);
  }
}

/** Deterministic bytes for random_get (recent wazero is deterministic too): xorshift32 from a fixed seed. */
class DeterministicRandom {
  private s = 0x2545f491;
  fill(out: Uint8Array): void {
    for (let i = 0; i < out.length; i++) {
      let x = this.s;
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      this.s = x >>> 0;
      out[i] = this.s & 0xff;
    }
  }
}

type Sig = [name: string, params: Params]; // every preview1 function returns an i32 errno except proc_exit
const I = 'i32' as const, L = 'i64' as const;

/** Functions that exist in preview1 but that a sandbox without files, sockets or polling refuses. */
const REFUSED: { sig: Sig; errno: number }[] = [
  ...([
    ['fd_advise', { fd: I, offset: L, len: L, advice: I }],
    ['fd_allocate', { fd: I, offset: L, len: L }],
    ['fd_datasync', { fd: I }],
    ['fd_fdstat_set_flags', { fd: I, flags: I }],
    ['fd_fdstat_set_rights', { fd: I, rightsBase: L, rightsInheriting: L }],
    ['fd_filestat_get', { fd: I, buf: I }],
    ['fd_filestat_set_size', { fd: I, size: L }],
    ['fd_filestat_set_times', { fd: I, atim: L, mtim: L, fstFlags: I }],
    ['fd_pread', { fd: I, iovs: I, iovsLen: I, offset: L, nread: I }],
    ['fd_prestat_dir_name', { fd: I, path: I, pathLen: I }],
    ['fd_pwrite', { fd: I, iovs: I, iovsLen: I, offset: L, nwritten: I }],
    ['fd_readdir', { fd: I, buf: I, bufLen: I, cookie: L, bufUsed: I }],
    ['fd_renumber', { fd: I, to: I }],
    ['fd_sync', { fd: I }],
    ['fd_tell', { fd: I, offset: I }],
    ['path_create_directory', { fd: I, path: I, pathLen: I }],
    ['path_filestat_get', { fd: I, flags: I, path: I, pathLen: I, buf: I }],
    ['path_filestat_set_times', { fd: I, flags: I, path: I, pathLen: I, atim: L, mtim: L, fstFlags: I }],
    ['path_link', { oldFd: I, oldFlags: I, oldPath: I, oldPathLen: I, newFd: I, newPath: I, newPathLen: I }],
    ['path_open', { fd: I, dirFlags: I, path: I, pathLen: I, oFlags: I, rightsBase: L, rightsInheriting: L, fdFlags: I, openedFd: I }],
    ['path_readlink', { fd: I, path: I, pathLen: I, buf: I, bufLen: I, bufUsed: I }],
    ['path_remove_directory', { fd: I, path: I, pathLen: I }],
    ['path_rename', { fd: I, oldPath: I, oldPathLen: I, newFd: I, newPath: I, newPathLen: I }],
    ['path_symlink', { oldPath: I, oldPathLen: I, fd: I, newPath: I, newPathLen: I }],
    ['path_unlink_file', { fd: I, path: I, pathLen: I }],
    ['sock_accept', { fd: I, flags: I, acceptedFd: I }],
    ['sock_recv', { fd: I, riData: I, riDataLen: I, riFlags: I, roDataLen: I, roFlags: I }],
    ['sock_send', { fd: I, siData: I, siDataLen: I, siFlags: I, soDataLen: I }],
    ['sock_shutdown', { fd: I, how: I }],
  ] as Sig[]).map((sig) => ({ sig, errno: EBADF })), // every fd/path call fails: no such descriptor
  ...([
    ['poll_oneoff', { in: I, out: I, nsubscriptions: I, nevents: I }],
    ['proc_raise', { sig: I }],
  ] as Sig[]).map((sig) => ({ sig, errno: ENOSYS })),
];

const out = (ctx: HostContext): WasiOutput => (ctx.stdio ??= new WasiOutput(ctx)) as WasiOutput;

function build(): HostFunctionDef[] {
  const fn = (name: string, params: Params, make: HostFunctionDef['make'], results: ValType[] = [I]): HostFunctionDef =>
    ({ name, params, results, revision: 'wasi', make });
  return [
    // No args and no environment: both counts and buffer sizes are 0.
    fn('args_sizes_get', { argc: I, argvBufSize: I }, (ctx) => (a: number, b: number) => (ctx.mem.writeU32(a >>> 0, 0) && ctx.mem.writeU32(b >>> 0, 0) ? ESUCCESS : EFAULT)),
    fn('environ_sizes_get', { environc: I, environBufSize: I }, (ctx) => (a: number, b: number) => (ctx.mem.writeU32(a >>> 0, 0) && ctx.mem.writeU32(b >>> 0, 0) ? ESUCCESS : EFAULT)),
    fn('args_get', { argv: I, argvBuf: I }, () => () => ESUCCESS),
    fn('environ_get', { environ: I, environBuf: I }, () => () => ESUCCESS),
    fn('clock_res_get', { id: I, resolution: I }, (ctx) => (id: number, out: number) => {
      if (id < 0 || id > 3) return EINVAL;
      return ctx.mem.writeU64(out >>> 0, 1000n) ? ESUCCESS : EFAULT;
    }),
    fn('clock_time_get', { id: I, precision: L, time: I }, (ctx) => (id: number, _precision: bigint, out: number) => {
      let ns: bigint;
      if (id === 0) ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
      else if (id >= 1 && id <= 3) ns = BigInt(Math.round(performance.now() * 1e6));
      else return EINVAL;
      return ctx.mem.writeU64(out >>> 0, ns) ? ESUCCESS : EFAULT;
    }),
    fn('fd_write', { fd: I, iovs: I, iovsLen: I, nwritten: I }, (ctx) => (fd: number, iovs: number, iovsLen: number, nwritten: number) => {
      if (fd !== 1 && fd !== 2) return EBADF;
      const stream = fd === 1 ? 'stdout' : 'stderr';
      // Linux's IOV_MAX; a call writes at most MAX_WRITE_BYTES and reports how much (a short write, which
      // wasi-libc and Go's runtime retry), so one call's host work is bounded.
      if (iovsLen >>> 0 > IOV_MAX) return EINVAL;
      // Output is the host's work, proportional to what the guest writes: not charged to its call timeout.
      const t0 = performance.now();
      try {
        let total = 0;
        for (let i = 0; i < iovsLen >>> 0; i++) {
          const at = (iovs >>> 0) + i * 8;
          if (!ctx.mem.inBounds(at, 8)) return EFAULT;
          const ptr = ctx.mem.readU32(at), len = ctx.mem.readU32(at + 4);
          if (!ctx.mem.inBounds(ptr, len)) return EFAULT;
          const n = Math.min(len, MAX_WRITE_BYTES - total);
          out(ctx).write(stream, ctx.mem.bytes().subarray(ptr, ptr + n));
          total += n;
          if (total === MAX_WRITE_BYTES) break;
        }
        return ctx.mem.writeU32(nwritten >>> 0, total >>> 0) ? ESUCCESS : EFAULT;
      } finally {
        ctx.onHostTime?.(performance.now() - t0);
      }
    }),
    fn('fd_read', { fd: I, iovs: I, iovsLen: I, nread: I }, (ctx) => (fd: number, _iovs: number, _len: number, nread: number) => {
      if (fd !== 0) return EBADF;
      return ctx.mem.writeU32(nread >>> 0, 0) ? ESUCCESS : EFAULT; // stdin is empty
    }),
    fn('fd_close', { fd: I }, () => (fd: number) => (fd >= 0 && fd <= 2 ? ESUCCESS : EBADF)),
    fn('fd_seek', { fd: I, offset: L, whence: I, newOffset: I }, () => (fd: number) => (fd >= 0 && fd <= 2 ? ESPIPE : EBADF)),
    fn('fd_fdstat_get', { fd: I, stat: I }, (ctx) => (fd: number, out: number) => {
      if (fd < 0 || fd > 2) return EBADF;
      // fdstat: filetype u8 (2 = character device), flags u16, rights base/inheriting u64 (all granted).
      const st = new Uint8Array(24);
      st[0] = 2;
      if (fd > 0) st[2] = 1; // APPEND
      new DataView(st.buffer).setBigUint64(8, 0xffffffffn, true);
      return ctx.mem.writeAt(out >>> 0, st) ? ESUCCESS : EFAULT;
    }),
    fn('fd_prestat_get', { fd: I, prestat: I }, () => () => EBADF), // no preopens: ends the guest's preopen scan
    fn('random_get', { buf: I, bufLen: I }, (ctx) => {
      const rnd = new DeterministicRandom(); // per instance: a run is reproducible
      return (buf: number, len: number) => {
        if (!ctx.mem.inBounds(buf >>> 0, len >>> 0)) return EFAULT;
        rnd.fill(ctx.mem.bytes().subarray(buf >>> 0, (buf >>> 0) + (len >>> 0)));
        return ESUCCESS;
      };
    }),
    fn('sched_yield', {}, () => () => ESUCCESS),
    fn('proc_exit', { code: I }, (ctx) => (code: number): never => {
      out(ctx).flush();
      ctx.exitCode = code >>> 0;
      throw new ProcExit(code >>> 0);
    }, []),
    ...REFUSED.map(({ sig: [name, params], errno }) => fn(name, params, (ctx) => () => {
      ctx.warnOnce(`wasi:${name}`, `${name}: not available in the embedded host (no files, sockets or polling)`);
      return errno;
    })),
  ];
}

export const wasiFunctions: HostFunctionDef[] = build();
