// Benchmark (c) of issue 2: packets emitted by the host into a data source, through the guest's Data
// callback (2 fieldGetScalar + 1 fieldSet), observed by the host subscriber at 50000 and streamed out of
// the worker to the caller's thread in column-ordered batches. Counted when the caller has received them.
//
// Feeding: `emitRepeat` generates the packets inside the worker from one template, like IG's eBPF side
// which feeds the wasm host from the same process; the caller only receives. A second figure feeds
// from the caller (`emitRows`, 10k packets a message as columns) to show the cost of crossing the thread
// twice.
import { GadgetRunner } from '../src/host/thread/runner';
import { compileWat } from '../test/support/wat';

const GUEST = `(module
  (import "ig" "getDataSource" (func $getds (param i64) (result i32)))
  (import "ig" "dataSourceGetField" (func $getf (param i32 i64) (result i32)))
  (import "ig" "dataSourceAddField" (func $addf (param i32 i64 i32) (result i32)))
  (import "ig" "dataSourceSubscribe" (func $sub (param i32 i32 i32 i64) (result i32)))
  (import "ig" "fieldGetScalar" (func $get (param i32 i32 i32 i32) (result i64)))
  (import "ig" "fieldSet" (func $set (param i32 i32 i32 i64) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "ev") (data (i32.const 32) "a") (data (i32.const 48) "b") (data (i32.const 64) "sum")
  (global $a (mut i32) (i32.const 0)) (global $b (mut i32) (i32.const 0)) (global $s (mut i32) (i32.const 0))
  (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
  (func (export "gadgetInit") (result i32) (local $ds i32)
    (local.set $ds (call $getds (i64.const 0x0000000200000010)))
    (global.set $a (call $getf (local.get $ds) (i64.const 0x0000000100000020)))
    (global.set $b (call $getf (local.get $ds) (i64.const 0x0000000100000030)))
    (global.set $s (call $addf (local.get $ds) (i64.const 0x0000000300000040) (i32.const 8)))
    (call $sub (local.get $ds) (i32.const 1) (i32.const 0) (i64.const 0)))
  (func (export "dataSourceCallback") (param i64 i32 i32)
    (drop (call $set (global.get $s) (local.get 2) (i32.const 8)
      (i64.add (call $get (global.get $a) (local.get 2) (i32.const 8) (i32.const 0))
               (call $get (global.get $b) (local.get 2) (i32.const 8) (i32.const 0)))))))`;

async function measure(wasm: Uint8Array, n: number, feed: 'worker' | 'caller'): Promise<number> {
  const r = new GadgetRunner({
    wasm, dataSources: [{ name: 'ev', type: 'single', fields: [{ name: 'a', kind: 'uint32' }, { name: 'b', kind: 'uint32' }] }],
  });
  let rows = 0;
  let bad = 0;
  let done: () => void = () => {};
  let target = Infinity;
  r.onEvent((e) => {
    if (e.type !== 'packets') return;
    const b = e.batch;
    for (const row of b.rows) if (row[2] !== 3) bad++;
    rows += b.rows.length;
    if (rows >= target) done();
  });
  await r.start();
  // Warm up the JIT on both sides.
  await r.emitRepeat('ev', { a: 1, b: 2 }, 100000);
  await new Promise((res) => setTimeout(res, 50));
  rows = 0;
  target = n;
  const received = new Promise<void>((res) => { done = res; });
  const t0 = process.hrtime.bigint();
  if (feed === 'worker') {
    void r.emitRepeat('ev', { a: 1, b: 2 }, n);
  } else {
    const chunk = Array.from({ length: 10000 }, () => [1, 2]);
    for (let i = 0; i < n; i += chunk.length) void r.emitRows('ev', ['a', 'b'], chunk);
  }
  await received;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const res = await r.stop();
  if (!res.ok || bad) throw new Error(`benchmark run failed: ${JSON.stringify(res.error)}, ${bad} wrong rows`);
  return n / s;
}

async function main(): Promise<void> {
  const wasm = await compileWat(GUEST, 'host-worker.bench.wat');
  const n = Number(process.env.BENCH_EVENTS ?? 2_000_000);
  const best = async (feed: 'worker' | 'caller', runs: number): Promise<number> => {
    let top = 0;
    for (let i = 0; i < runs; i++) top = Math.max(top, await measure(wasm, n, feed));
    return top;
  };
  const worker = await best('worker', 3);
  console.log(`host-worker-stream: ${n} events, host emit → guest callback (2 fieldGetScalar + 1 fieldSet) → subscriber at 50000 → batched to the caller: ${(worker / 1e6).toFixed(2)} M events/s (best of 3; target ≥ 1 M/s)`);
  const caller = await best('caller', 2);
  console.log(`  fed from the caller's thread (emitRows, 10k packets a message): ${(caller / 1e6).toFixed(2)} M events/s`);
  console.log(JSON.stringify({ bench: 'host-worker-stream', events_per_s: Math.round(worker) }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
