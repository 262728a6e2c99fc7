// The floor the host benchmarks are measured against, and their timing helpers: a bare wasm loop calling
// two JS imports with i64 arguments per iteration (what any host call costs at the least). Times are
// process CPU time: on a shared, oversubscribed machine wall time mostly measures the neighbours.
import { Wasm } from '../src/host/engine/wasm-api';
import { compileWat } from '../test/support/wat';

const FLOOR_ITERS = 1_000_000;

const FLOOR_WAT = `(module
  (import "bench" "a" (func $a (param i64)))
  (import "bench" "b" (func $b (param i64)))
  (func (export "run") (param $n i32) (local $i i32)
    (loop $l
      (call $a (i64.extend_i32_u (local.get $i)))
      (call $b (i64.extend_i32_u (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))))`;

/** ns per iteration/event for one round. */
export type Round = () => number;

export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export function round2(x: number): number { return Math.round(x * 100) / 100; }

/** One round of the floor: ns per iteration. */
export async function floorRound(): Promise<Round> {
  let sink = 0n;
  const inst = await Wasm.instantiate(await Wasm.compile(await compileWat(FLOOR_WAT)), {
    bench: { a: (v: bigint) => { sink = v; }, b: (v: bigint) => { sink = v; } },
  });
  const run = (inst.exports as unknown as { run: (n: number) => void }).run;
  return () => {
    const t0 = cpuMs();
    run(FLOOR_ITERS);
    const ns = ((cpuMs() - t0) * 1e6) / FLOOR_ITERS;
    if (sink < 0n) console.log(sink);
    return ns;
  };
}
