// Benchmark of the host's per-event cost against a floor, measured in one run:
//  (a) floor: a bare wasm loop calling two JS imports with i64 arguments per iteration;
//  (b) host: emit a single packet from the host → the guest's Data callback → 2 fieldGetScalar +
//      1 fieldSet → a host subscriber at priority 50000.
// Target: (b) ≤ 4 × (a). Prints readable lines and one JSON line:
// {"bench":"host-callback","floor_ns":F,"ns_per_event":N,"ratio":R}
// Times are process CPU time, rounds of (a) and (b) interleaved, medians over the rounds.
import type { Value } from '../src/host/api';
import { GadgetInstance } from '../src/host/engine/instance';
import { cpuMs, floorRound, median, round2, type Round } from './floor';
import { compileWat } from '../test/support/wat';

const ROUNDS = 15;
const EVENTS = 100_000;

// Reads fields a and b (uint32) and writes c = a + b.
const GUEST_WAT = `(module
  (import "ig" "getDataSource" (func $getDataSource (param i64) (result i32)))
  (import "ig" "dataSourceGetField" (func $getField (param i32 i64) (result i32)))
  (import "ig" "dataSourceSubscribe" (func $subscribe (param i32 i32 i32 i64) (result i32)))
  (import "ig" "fieldGetScalar" (func $get (param i32 i32 i32 i32) (result i64)))
  (import "ig" "fieldSet" (func $set (param i32 i32 i32 i64) (result i32)))
  (memory (export "memory") 1)
  (global $fa (mut i32) (i32.const 0))
  (global $fb (mut i32) (i32.const 0))
  (global $fc (mut i32) (i32.const 0))
  (data (i32.const 16) "events")
  (data (i32.const 32) "a")
  (data (i32.const 40) "b")
  (data (i32.const 48) "c")
  (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
  (func (export "gadgetInit") (result i32) (local $ds i32)
    (local.set $ds (call $getDataSource (i64.const ${(6n << 32n) | 16n})))
    (global.set $fa (call $getField (local.get $ds) (i64.const ${(1n << 32n) | 32n})))
    (global.set $fb (call $getField (local.get $ds) (i64.const ${(1n << 32n) | 40n})))
    (global.set $fc (call $getField (local.get $ds) (i64.const ${(1n << 32n) | 48n})))
    (call $subscribe (local.get $ds) (i32.const 1) (i32.const 0) (i64.const 1)))
  (func (export "dataSourceCallback") (param $cb i64) (param $ds i32) (param $data i32)
    (drop (call $set (global.get $fc) (local.get $data) (i32.const 8)
      (i64.add
        (call $get (global.get $fa) (local.get $data) (i32.const 8) (i32.const 0))
        (call $get (global.get $fb) (local.get $data) (i32.const 8) (i32.const 0)))))))`;


/** (b), or parts of it for the breakdown: with/without the guest's subscription and the host subscriber. */
async function hostRound(guest = true, subscriber = true): Promise<Round> {
  const inst = await GadgetInstance.load(await compileWat(GUEST_WAT), {
    dataSources: [{ name: 'events', type: 'single', fields: [{ name: 'a', kind: 'uint32' }, { name: 'b', kind: 'uint32' }, { name: 'c', kind: 'uint32' }] }],
    onLog: (level, message) => console.error(`[${level}] ${message}`),
  });
  inst.onCallbackError = (e) => { throw e; };
  if (guest) inst.callPhase('gadgetInit');
  let checksum = 0;
  if (subscriber) inst.subscribeAll(50000, (_info, rows) => { checksum += rows[0][2] as number; });
  // The host's fastest public emit: a prepared emitter taking column-ordered values (IG's eBPF side also
  // hands its host ready-made records, not name → value mappings).
  const emit = inst.prepareEmitter('events');
  const row: Value[] = [0, 1];
  return () => {
    checksum = 0;
    const t0 = cpuMs();
    for (let i = 0; i < EVENTS; i++) { row[0] = i; emit(row); }
    const ns = ((cpuMs() - t0) * 1e6) / EVENTS;
    const expected = guest && subscriber ? (EVENTS * (EVENTS - 1)) / 2 + EVENTS : 0;
    if (checksum !== expected) throw new Error(`guest result wrong: checksum ${checksum}, expected ${expected}`);
    return ns;
  };
}

async function main(): Promise<void> {
  const floorR = await floorRound();
  const hostR = await hostRound();
  for (let i = 0; i < 3; i++) { floorR(); hostR(); } // warm-up: let both reach optimised code
  // Interleaved rounds: the machine is shared, so load shifts hit both sides of each pair alike.
  const floors: number[] = [], hosts: number[] = [], ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const f = floorR();
    const h = hostR();
    floors.push(f); hosts.push(h); ratios.push(h / f);
  }
  const floor = median(floors), host = median(hosts), ratio = median(ratios);
  // Where the time goes (same interleaving, fewer rounds): the emit alone, plus the host subscriber,
  // plus the guest callback.
  const parts: [string, Round][] = [
    ['host emit only (no subscribers)', await hostRound(false, false)],
    ['host emit + host subscriber', await hostRound(false, true)],
    ['host emit + guest callback', await hostRound(true, false)],
  ];
  for (const [, run] of parts) run();
  const partRatios = parts.map(() => [] as number[]);
  for (let r = 0; r < 7; r++) parts.forEach(([, run], i) => { const f = floorR(); partRatios[i].push(run() / f); });
  console.log(`host-callback: floor (wasm loop, 2 JS imports with i64 args) ${floor.toFixed(1)} ns/iteration`);
  console.log(`host-callback: host emit → guest Data callback (2 fieldGetScalar + fieldSet) → host subscriber ${host.toFixed(1)} ns/event`);
  console.log(`host-callback: ratio ${ratio.toFixed(2)} (median of ${ROUNDS} interleaved pairs; target ≤ 4)`);
  parts.forEach(([label], i) => console.log(`host-callback:   breakdown: ${label}: ${median(partRatios[i]).toFixed(2)} × floor`));
  console.log(JSON.stringify({ bench: 'host-callback', floor_ns: round2(floor), ns_per_event: round2(host), ratio: round2(ratio) }));
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
