import * as assert from 'node:assert/strict';
import { ALL_IG, Strings, VERSION, load, loadProxy, throwsGadgetError } from '../guest';

const W = 'wasi_snapshot_preview1';
const SIGS: Record<string, string> = {
  fd_write: '(param i32 i32 i32 i32) (result i32)',
  fd_read: '(param i32 i32 i32 i32) (result i32)',
  fd_close: '(param i32) (result i32)',
  fd_seek: '(param i32 i64 i32 i32) (result i32)',
  fd_fdstat_get: '(param i32 i32) (result i32)',
  fd_prestat_get: '(param i32 i32) (result i32)',
  fd_prestat_dir_name: '(param i32 i32 i32) (result i32)',
  path_open: '(param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)',
  args_sizes_get: '(param i32 i32) (result i32)',
  args_get: '(param i32 i32) (result i32)',
  environ_sizes_get: '(param i32 i32) (result i32)',
  environ_get: '(param i32 i32) (result i32)',
  clock_time_get: '(param i32 i64 i32) (result i32)',
  clock_res_get: '(param i32 i32) (result i32)',
  random_get: '(param i32 i32) (result i32)',
  poll_oneoff: '(param i32 i32 i32 i32) (result i32)',
  sched_yield: '(result i32)',
  proc_exit: '(param i32)',
};
const OUT = 0x3000;

async function wasi() {
  const p = await loadProxy({ module: W, sigs: SIGS });
  const dv = () => new DataView(p.mem.buffer);
  /** fd_write of the given chunks as one iovec list; returns [errno, nwritten]. */
  const write = (fd: number, ...chunks: string[]): [number, number] => {
    const iov = 0x2000;
    chunks.forEach((c, i) => {
      const ptr = p.str(c);
      dv().setUint32(iov + i * 8, Number(ptr & 0xffffffffn), true);
      dv().setUint32(iov + i * 8 + 4, Number(ptr >> 32n), true);
    });
    const errno = p.x.fd_write(fd, iov, chunks.length, OUT);
    return [errno, dv().getUint32(OUT, true)];
  };
  return { p, dv, write };
}

describe('host: WASI preview1', () => {
  it('fd_write to stdout/stderr becomes line-buffered log records with their stream', async () => {
    const { p, write } = await wasi();
    assert.deepEqual(write(1, 'hel', 'lo\nwor'), [0, 9]);
    assert.deepEqual(write(2, 'oops\r\n'), [0, 6]);
    assert.deepEqual(write(1, 'ld\n\nlast'), [0, 8]);
    assert.deepEqual(p.g.logs, [
      { level: 'info', message: 'hello', stream: 'stdout' },
      { level: 'warn', message: 'oops', stream: 'stderr' },
      { level: 'info', message: 'world', stream: 'stdout' },
      { level: 'info', message: '', stream: 'stdout' },
    ]);
    p.g.inst.callPhase('gadgetPostStop');
    assert.deepEqual(p.g.logs.at(-1), { level: 'info', message: 'last', stream: 'stdout' }, 'flushed at the end');
  });

  it('UTF-8 sequences split across writes are decoded whole', async () => {
    const { p, write, dv } = await wasi();
    const bytes = new TextEncoder().encode('é\n');
    const a = p.str(bytes.slice(0, 1)), b = p.str(bytes.slice(1));
    for (const ptr of [a, b]) {
      dv().setUint32(0x2000, Number(ptr & 0xffffffffn), true);
      dv().setUint32(0x2004, Number(ptr >> 32n), true);
      assert.equal(p.x.fd_write(1, 0x2000, 1, OUT), 0);
    }
    void write;
    assert.deepEqual(p.g.logs, [{ level: 'info', message: 'é', stream: 'stdout' }]);
  });

  it('other descriptors and bad iovecs fail without touching anything', async () => {
    const { p, write, dv } = await wasi();
    assert.equal(write(3, 'x')[0], 8, 'EBADF');
    assert.equal(write(0, 'x')[0], 8, 'stdin is not writable');
    dv().setUint32(0x2000, 0xfffff0, true);
    dv().setUint32(0x2004, 100, true);
    assert.equal(p.x.fd_write(1, 0x2000, 1, OUT), 21, 'EFAULT for an iovec outside memory');
    assert.equal(p.x.fd_write(1, 0x7ffffff0, 1, OUT), 21);
    assert.deepEqual(p.g.logs, []);
  });

  it('no args, no environment, no preopens, no files; stdin is empty', async () => {
    const { p, dv } = await wasi();
    dv().setUint32(OUT, 99, true); dv().setUint32(OUT + 4, 99, true);
    assert.equal(p.x.args_sizes_get(OUT, OUT + 4), 0);
    assert.deepEqual([dv().getUint32(OUT, true), dv().getUint32(OUT + 4, true)], [0, 0]);
    dv().setUint32(OUT, 99, true); dv().setUint32(OUT + 4, 99, true);
    assert.equal(p.x.environ_sizes_get(OUT, OUT + 4), 0);
    assert.deepEqual([dv().getUint32(OUT, true), dv().getUint32(OUT + 4, true)], [0, 0]);
    assert.equal(p.x.args_get(OUT, OUT + 8), 0);
    assert.equal(p.x.environ_get(OUT, OUT + 8), 0);
    assert.equal(p.x.fd_prestat_get(3, OUT), 8, 'EBADF ends the preopen scan');
    assert.equal(p.x.fd_prestat_dir_name(3, OUT, 16), 8);
    const path = p.str('/etc/passwd');
    assert.equal(p.x.path_open(3, 0, Number(path & 0xffffffffn), 11, 0, 0n, 0n, 0, OUT), 8);
    assert.equal(p.x.path_open(3, 0, Number(path & 0xffffffffn), 11, 0, 0n, 0n, 0, OUT), 8);
    assert.equal(p.g.messages('warn').filter((m) => m.startsWith('path_open')).length, 1, 'warned once');
    assert.equal(p.x.fd_read(0, 0x2000, 1, OUT), 0);
    assert.equal(dv().getUint32(OUT, true), 0, 'EOF');
    assert.equal(p.x.fd_read(5, 0x2000, 1, OUT), 8);
    assert.equal(p.x.fd_fdstat_get(1, OUT), 0);
    assert.equal(p.mem[OUT], 2, 'character device');
    assert.equal(p.x.fd_fdstat_get(4, OUT), 8);
    assert.equal(p.x.fd_seek(1, 0n, 0, OUT), 70, 'ESPIPE');
    assert.equal(p.x.fd_close(9), 8);
    assert.equal(p.x.poll_oneoff(0, 0, 0, OUT), 52, 'ENOSYS');
    assert.equal(p.x.sched_yield(), 0);
  });

  it('clock_time_get gives realtime and monotonic nanoseconds; bad clocks are EINVAL', async () => {
    const { p, dv } = await wasi();
    const before = BigInt(Date.now()) * 1_000_000n;
    assert.equal(p.x.clock_time_get(0, 1n, OUT), 0);
    const rt = dv().getBigUint64(OUT, true);
    assert.ok(rt >= before - 10_000_000n && rt <= BigInt(Date.now() + 10) * 1_000_000n, `realtime ${rt}`);
    assert.equal(p.x.clock_time_get(1, 1n, OUT), 0);
    const m1 = dv().getBigUint64(OUT, true);
    assert.equal(p.x.clock_time_get(1, 1n, OUT), 0);
    assert.ok(dv().getBigUint64(OUT, true) >= m1, 'monotonic');
    assert.equal(p.x.clock_time_get(9, 1n, OUT), 28);
    assert.equal(p.x.clock_res_get(0, OUT), 0);
    assert.equal(p.x.clock_time_get(0, 1n, 0x7ffffff0), 21);
  });

  it('random_get fills the buffer deterministically per instance', async () => {
    const a = await wasi(), b = await wasi();
    assert.equal(a.p.x.random_get(OUT, 32), 0);
    assert.equal(b.p.x.random_get(OUT, 32), 0);
    const ra = a.p.mem.slice(OUT, OUT + 32);
    assert.deepEqual(ra, b.p.mem.slice(OUT, OUT + 32));
    assert.ok(new Set(ra).size > 8, 'not constant');
    assert.equal(a.p.x.random_get(0x7ffffff0, 32), 21);
  });

  it('proc_exit in a phase ends the gadget with an error naming the code; later phases refuse', async () => {
    const g = await load(`(module (import "${W}" "proc_exit" (func $exit (param i32)))
      (import "${W}" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1) (data (i32.const 16) "bye") ${VERSION}
      (func (export "gadgetStart") (result i32)
        (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 3))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (call $exit (i32.const 3))
        (i32.const 0)))`);
    g.inst.callPhase('gadgetInit');
    const e = throwsGadgetError(() => g.inst.callPhase('gadgetStart'));
    assert.equal(e.phase, 'gadgetStart');
    assert.equal(e.message, 'gadgetStart: guest called proc_exit(3)');
    assert.equal(g.inst.exitCode, 3);
    assert.deepEqual(g.logs, [{ level: 'info', message: 'bye', stream: 'stdout' }], 'pending output flushed');
    assert.match(throwsGadgetError(() => g.inst.callPhase('gadgetStop')).message, /has exited \(proc_exit\(3\)\)/);
  });

  it('proc_exit(0) still ends the gadget; proc_exit in a callback fails the emit', async () => {
    const s = new Strings();
    const g = await load(`(module ${ALL_IG()} (import "${W}" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1) ${VERSION}
      (func (export "gadgetInit") (result i32)
        (call $dataSourceSubscribe (call $getDataSource ${s.bp('open')}) (i32.const 1) (i32.const 0) (i64.const 0)))
      (func (export "dataSourceCallback") (param i64 i32 i32) (call $exit (i32.const 0)))
      ${s.data()})`, { dataSources: [{ name: 'open', type: 'single', fields: [] }] });
    g.inst.callPhase('gadgetInit');
    const e = throwsGadgetError(() => g.inst.emit('open', {}));
    assert.equal(e.phase, 'dataSourceCallback');
    assert.match(e.message, /proc_exit\(0\)/);
    assert.deepEqual(g.errors, [], 'reported once, as the emit\'s error');
    assert.match(throwsGadgetError(() => g.inst.emit('open', {})).message, /has exited/);
  });

  it('proc_exit during _initialize fails loading', async () => {
    await assert.rejects(load(`(module (import "${W}" "proc_exit" (func $exit (param i32))) ${VERSION}
      (func (export "_initialize") (call $exit (i32.const 2))))`), /_initialize: guest called proc_exit\(2\)/);
  });
});
