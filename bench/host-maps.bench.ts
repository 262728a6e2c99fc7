// Benchmark of the map functions on the per-event path, against the floor of host-callback.bench.ts:
//  (a) floor: a bare wasm loop calling two JS imports with i64 arguments per iteration;
//  (b) maps: emit a single packet from the host → the guest's Data callback → one mapLookup and one
//      mapUpdate on a 12-byte key (a per-key counter in a hash map, 64 distinct keys).
// Target: (b) ≤ 6 × (a). Prints readable lines and one JSON line:
// {"bench":"host-maps","floor_ns":F,"ns_per_event":N,"ratio":R}
// Times are process CPU time, rounds of (a) and (b) interleaved, medians over the rounds.
import type { Value } from '../src/host/api';
import { GadgetInstance } from '../src/host/engine/instance';
import { cpuMs, floorRound, median, round2, type Round } from './floor';
import { compileWat } from '../test/support/wat';

const ROUNDS = 15;
const EVENTS = 100_000;

const KEY = 64n, VAL = 96n; // addresses of the 12-byte key and the 8-byte value
const keyBp = (12n << 32n) | KEY, valBp = (8n << 32n) | VAL;

// The callback counts events per key: key = {u32 n % 64, u32 0, u8 1}; value u64 += 1.
const guest = (maps: boolean): string => `(module
  (import "ig" "getDataSource" (func $getDataSource (param i64) (result i32)))
  (import "ig" "dataSourceSubscribe" (func $subscribe (param i32 i32 i32 i64) (result i32)))
  (import "ig" "getMap" (func $getMap (param i64) (result i32)))
  (import "ig" "mapLookup" (func $lookup (param i32 i64 i64) (result i32)))
  (import "ig" "mapUpdate" (func $update (param i32 i64 i64 i64) (result i32)))
  (memory (export "memory") 1)
  (global $map (mut i32) (i32.const 0))
  (global $n (mut i32) (i32.const 0))
  (data (i32.const 16) "events")
  (data (i32.const 32) "counts")
  (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
  (func (export "gadgetInit") (result i32)
    (call $subscribe (call $getDataSource (i64.const ${(6n << 32n) | 16n})) (i32.const 1) (i32.const 0) (i64.const 1)))
  (func (export "gadgetStart") (result i32)
    (global.set $map (call $getMap (i64.const ${(6n << 32n) | 32n})))
    (i32.eqz (global.get $map)))
  (func (export "dataSourceCallback") (param $cb i64) (param $ds i32) (param $data i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    ${maps ? `
    (i32.store (i32.const ${KEY}) (i32.and (global.get $n) (i32.const 63)))
    (i32.store8 (i32.const ${KEY + 8n}) (i32.const 1))
    (i64.store (i32.const ${VAL}) (i64.const 0))
    (drop (call $lookup (global.get $map) (i64.const ${keyBp}) (i64.const ${valBp})))
    (i64.store (i32.const ${VAL}) (i64.add (i64.load (i32.const ${VAL})) (i64.const 1)))
    (drop (call $update (global.get $map) (i64.const ${keyBp}) (i64.const ${valBp}) (i64.const 0)))` : ''}))`;


async function mapsRound(maps: boolean): Promise<Round> {
  const inst = await GadgetInstance.load(await compileWat(guest(maps)), {
    dataSources: [{ name: 'events', type: 'single', fields: [{ name: 'a', kind: 'uint32' }] }],
    kernel: { maps: [{ name: 'counts', type: 1, keySize: 12, valueSize: 8, maxEntries: 1024 }] },
    onLog: (level, message) => console.error(`[${level}] ${message}`),
  });
  inst.onCallbackError = (e) => { throw e; };
  inst.callPhase('gadgetInit');
  inst.callPhase('gadgetStart');
  const emit = inst.prepareEmitter('events');
  const row: Value[] = [0];
  let total = 0;
  return () => {
    const t0 = cpuMs();
    for (let i = 0; i < EVENTS; i++) { row[0] = i; emit(row); }
    const ns = ((cpuMs() - t0) * 1e6) / EVENTS;
    total += EVENTS;
    if (maps) {
      const sum = inst.maps()[0].entries.reduce((s, e) => s + Number(new DataView((e.value as Uint8Array).buffer).getBigUint64(0, true)), 0);
      if (sum !== total) throw new Error(`map counts wrong: ${sum}, expected ${total}`);
    }
    return ns;
  };
}

async function main(): Promise<void> {
  const floorR = await floorRound();
  const mapsR = await mapsRound(true);
  const emptyR = await mapsRound(false);
  for (let i = 0; i < 3; i++) { floorR(); mapsR(); emptyR(); }
  const floors: number[] = [], events: number[] = [], ratios: number[] = [], empty: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const f = floorR();
    const m = mapsR();
    floors.push(f); events.push(m); ratios.push(m / f);
    empty.push(emptyR() / f);
  }
  const floor = median(floors), ns = median(events), ratio = median(ratios);
  console.log(`host-maps: floor (wasm loop, 2 JS imports with i64 args) ${floor.toFixed(1)} ns/iteration`);
  console.log(`host-maps: host emit → guest callback (mapLookup + mapUpdate, 12-byte key) ${ns.toFixed(1)} ns/event`);
  console.log(`host-maps: ratio ${ratio.toFixed(2)} (median of ${ROUNDS} interleaved pairs; target ≤ 6)`);
  console.log(`host-maps:   breakdown: host emit → empty guest callback: ${median(empty).toFixed(2)} × floor`);
  console.log(JSON.stringify({ bench: 'host-maps', floor_ns: round2(floor), ns_per_event: round2(ns), ratio: round2(ratio) }));
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
