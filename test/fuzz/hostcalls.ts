// A seeded host-call fuzzer (issue 11 §8): a real wasm guest imports every host function of the table,
// each variant of both API revisions (today's under `ig`, the seed's under `env`) and WASI, and re-exports
// each one; the fuzzer calls them with random arguments biased towards what matters (live handles, kinds,
// flagged element handles, bufPtrs in and around guest memory), now and then emits from the host side (so
// the guest's callback and host subscribers run) and reads the data sources back as JSON, as embedders do.
// A host fault (abi/guard.ts HostFault) or any other exception the host did not mean is a crash: it is
// reported with the seed, the call number and the call, which reproduce it (`--seed S --calls N`).
//   node out/test/fuzz/hostcalls.js [--calls N] [--seeds S] [--seed S]    (npm run fuzz)
import { GadgetError, type DataSourceDecl } from '../../src/host/api';
import { HostFault, IG_FUNCTIONS, WASI_FUNCTIONS, signatureOf, type HostFunctionDef } from '../../src/host/abi/table';
import { ProcExit } from '../../src/host/engine/context';
import { GadgetInstance } from '../../src/host/engine/instance';
import { HostTrap } from '../../src/host/engine/memory';
import { compileWat } from '../support/wat';

/** mulberry32: small, fast, and the same sequence for a seed on every machine. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  u32(): number { return (this.next() * 4294967296) >>> 0; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]; }
}

export interface Target { def: HostFunctionDef; module: string; exportName: string }

/** Every host function variant, with the module name the fuzz guest imports it from. */
export function targets(): Target[] {
  const all = [...IG_FUNCTIONS, ...WASI_FUNCTIONS];
  return all.map((def, i) => ({
    def,
    module: def.revision === 'wasi' ? 'wasi_snapshot_preview1' : def.revision === 'seed' ? 'env' : 'ig',
    exportName: `x${i}`,
  }));
}

const PAGES = 4;
const MEM = PAGES * 65536;
/** Strings the guest keeps in memory, so name lookups hit real data sources, fields and params. */
const WORDS = ['ev', 'arr', 'n', 's', 'b', 'f', 'u64', 'by', 't', 'verb', 'mine', 'x.y', 'EV', '', 'k', 'type:tag'];
const WORDS_AT = 0x100;

function guestWat(ts: Target[]): string {
  const imports = ts.map((t, i) => {
    const sig = signatureOf(t.def);
    return `(import "${t.module}" "${t.def.name}" (func $f${i} (param ${sig.params.join(' ')}) (result ${sig.results.join(' ')})))`
      .replace(' (param )', '').replace(' (result )', '');
  });
  const exportsW = ts.map((t, i) => {
    const sig = signatureOf(t.def);
    const params = sig.params.length ? ` (param ${sig.params.join(' ')})` : '';
    const results = sig.results.length ? ` (result ${sig.results.join(' ')})` : '';
    return `(func (export "${t.exportName}")${params}${results} (call $f${i} ${sig.params.map((_, k) => `(local.get ${k})`).join(' ')}))`;
  });
  let at = WORDS_AT;
  const data = WORDS.map((w) => { const d = `(data (i32.const ${at}) "${w}")`; at += 16; return d; });
  return `(module
    ${imports.join('\n    ')}
    (memory (export "memory") ${PAGES} ${PAGES})
    (global $heap (mut i32) (i32.const 0x8000))
    (func (export "malloc") (param $n i32) (result i32) (local $p i32)
      (if (i32.gt_u (i32.add (global.get $heap) (local.get $n)) (i32.const ${MEM})) (then (global.set $heap (i32.const 0x8000))))
      (if (i32.gt_u (local.get $n) (i32.const ${MEM - 0x8000})) (then (return (i32.const 0))))
      (local.set $p (global.get $heap))
      (global.set $heap (i32.add (global.get $heap) (local.get $n)))
      (local.get $p))
    (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
    (func (export "dataSourceCallback") (param i64 i32 i32))
    ${exportsW.join('\n    ')}
    ${data.join('\n    ')})`;
}

// Layouts that differ on purpose: a field of one used on a packet of the other must be refused (a wide
// uint64 of `ev` lies past the end of `arr`'s small fixed storage).
const DATA_SOURCES: DataSourceDecl[] = [
  { name: 'ev', type: 'single', fields: [{ name: 's', kind: 'string' }, { name: 'n', kind: 'uint32' }, { name: 'u64', kind: 'uint64' }, { name: 'b', kind: 'bool' }, { name: 'by', kind: 'bytes' }] },
  { name: 'arr', type: 'array', fields: [{ name: 'n', kind: 'uint32' }, { name: 's', kind: 'string' }, { name: 't', kind: 'string' }, { name: 'by', kind: 'bytes' }, { name: 'b', kind: 'bool' }, { name: 'f', kind: 'float64' }] },
];

const HANDLE_MAKERS = new Set(['newDataSource', 'getDataSource', 'dataSourceGetField', 'dataSourceAddField', 'dataSourceNewPacketSingle',
  'dataSourceNewPacketArray', 'dataArrayNew', 'dataArrayGet', 'newMap', 'getMap', 'newPerfReader']);

export interface Crash { seed: number; call: number; description: string; error: string }
export interface FuzzResult { calls: number; hostExceptions: number; traps: number; crashes: Crash[] }

/** The bufPtr of one of WORDS. */
function word(w: string): bigint {
  const i = WORDS.indexOf(w);
  return (BigInt(w.length) << 32n) | BigInt(WORDS_AT + i * 16);
}

/** Arguments for one call: i32 numbers and i64 BigInts, drawn from a mix of interesting and random values. */
function args(rng: Rng, def: HostFunctionDef, live: number[]): unknown[] {
  return Object.entries(def.params).map(([name, t]) => (t === 'i64' ? i64(rng) : i32(rng, live, name)));
}

/** Parameters that carry handles, and those that carry small enumerations (kinds, levels, fds, types). */
const HANDLE_PARAMS = new Set(['field', 'data', 'ds', 'packet', 'array', 'handle', 'map', 'reader', 'perfMap']);
const SMALL_PARAMS = new Set(['kind', 'level', 'fd', 'type', 'index', 'id', 'whence', 'clock']);

function i32(rng: Rng, live: number[], name: string): number {
  // Mostly what the parameter is for, sometimes anything: wrong types are the point of a fuzzer too.
  if (HANDLE_PARAMS.has(name) && live.length && rng.next() < 0.7) return rng.pick(live);
  if (SMALL_PARAMS.has(name) && rng.next() < 0.7) return rng.int(16);
  switch (rng.int(10)) {
    case 0: case 1: case 2: return live.length ? rng.pick(live) : rng.int(8);
    case 3: return rng.int(16); // kinds, small handles, levels, fds
    case 4: return (0x80000000 | (rng.int(4) << 16) | (live.length ? rng.pick(live) : rng.int(16))) | 0; // element handles
    case 5: return rng.int(MEM + 64); // addresses, in bounds and just past them
    case 6: return rng.pick([0, -1, 1, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 4096, 4097, 32767, 32768]);
    case 7: return rng.int(40);
    default: return rng.u32() | 0;
  }
}

function i64(rng: Rng): bigint {
  const bp = (addr: number, len: number): bigint => (BigInt(len >>> 0) << 32n) | BigInt(addr >>> 0);
  switch (rng.int(9)) {
    case 0: case 1: case 7: { const w = rng.int(WORDS.length); return bp(WORDS_AT + w * 16, WORDS[w].length); } // a real string
    case 2: return bp(rng.int(MEM), rng.int(300)); // some bytes of memory
    case 3: return bp(rng.int(MEM + 64), rng.int(MEM + 64)); // in and around the bounds
    case 4: return 0n;
    case 5: return BigInt(rng.int(2000));
    case 6: return rng.pick([-1n, 1n << 63n, 0xffffffffn, 1n << 32n, (1n << 32n) | 0xfffffn]);
    case 8: default: return BigInt.asIntN(64, (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()));
  }
}

const describeArgs = (def: HostFunctionDef, a: unknown[]): string =>
  `${def.name}[${def.revision}](${Object.keys(def.params).map((n, i) => `${n}=${typeof a[i] === 'bigint' ? `0x${BigInt.asUintN(64, a[i] as bigint).toString(16)}n` : String(a[i])}`).join(', ')})`;

/** Whether a thrown value is an outcome the host means: a trap it raises on purpose, an exit, a refusal. */
function deliberate(err: unknown): boolean {
  return err instanceof HostTrap || err instanceof ProcExit || (err instanceof GadgetError && !err.problem.startsWith('host error'));
}

let compiled: Promise<{ bytes: Uint8Array; ts: Target[] }> | undefined;

/** Runs `calls` random host calls on one fresh instance seeded with `seed`. */
export async function fuzzSeed(seed: number, calls: number): Promise<FuzzResult> {
  compiled ??= (async () => { const ts = targets(); return { bytes: await compileWat(guestWat(ts)), ts }; })();
  const { bytes, ts } = await compiled;
  const rng = new Rng(seed);
  const inst = await GadgetInstance.load(bytes, {
    dataSources: DATA_SOURCES, params: { verb: 'opened', k: 'v' }, config: {}, logLevel: 'trace', onLog: () => undefined,
  });
  let callbackFaults = 0;
  inst.onCallbackError = (e) => { if (e.problem.includes('host error')) callbackFaults++; };
  inst.subscribeAll(50000, (info, rows) => { if (rows.length > 1e6) throw new Error(`${info.name}: impossible row count`); });
  const ex = inst.exports as unknown as Record<string, (...a: unknown[]) => unknown>;
  const live: number[] = [];
  const ig = ts.filter((t) => t.def.revision !== 'wasi'), wasi = ts.filter((t) => t.def.revision === 'wasi');
  const byName = Object.fromEntries(ig.filter((t) => t.def.revision !== 'seed').map((t) => [t.def.name, t]));
  const call = (t: Target, a: unknown[]): unknown => {
    try { return ex[t.exportName](...a); } catch (err) { crash(-1, describeArgs(t.def, a), err); return 0; }
  };
  const result: FuzzResult = { calls: 0, hostExceptions: 0, traps: 0, crashes: [] };
  const crash = (call: number, description: string, err: unknown): void => {
    result.hostExceptions++;
    if (result.crashes.length < 5) result.crashes.push({ seed, call, description, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  };
  for (let c = 0; c < calls; c++) {
    const r = rng.next();
    if (r < 0.01) {
      // The host side: an emit into a declared data source runs the guest's callback and the subscriber.
      const d = rng.int(2) === 0 ? 'ev' : 'arr';
      const row = { n: rng.u32(), s: 'x'.repeat(rng.int(5)) };
      try { inst.emit(d, d === 'arr' ? [row, row] : row); } catch (err) { if (!(err instanceof GadgetError)) crash(c, `emit(${d})`, err); }
      continue;
    }
    if (r < 0.03) {
      // Seed the pool with a coherent set of handles (a data source, one of its fields, a packet or an
      // element): random calls then mix handles of different data sources and kinds.
      const name = rng.pick(['ev', 'arr']);
      const ds = call(byName.getDataSource, [word(name)]);
      const f = call(byName.dataSourceGetField, [ds, word(rng.pick(name === 'ev' ? ['s', 'n', 'u64', 'b', 'by'] : ['n', 's', 't', 'by', 'b', 'f']))]);
      const p = name === 'ev' ? call(byName.dataSourceNewPacketSingle, [ds]) : call(byName.dataArrayNew, [call(byName.dataSourceNewPacketArray, [ds])]);
      for (const h of [ds, f, p]) if (typeof h === 'number' && h !== 0) live[live.length < 64 ? live.length : rng.int(64)] = h;
      continue;
    }
    if (r < 0.032) {
      try { JSON.stringify(inst.dataSources()); JSON.stringify(inst.config()); } catch (err) { crash(c, 'dataSources()/config() as JSON', err); }
      continue;
    }
    // IG's functions three times as often as WASI's: they hold the state worth fuzzing.
    const t = rng.next() < 0.75 ? ig[rng.int(ig.length)] : wasi[rng.int(wasi.length)];
    const a = args(rng, t.def, live);
    try {
      const v = ex[t.exportName](...a);
      result.calls++;
      // Handles the guest got back feed later calls (a ring of the last 64).
      if (typeof v === 'number' && v !== 0 && HANDLE_MAKERS.has(t.def.name)) live[live.length < 64 ? live.length : rng.int(64)] = v;
    } catch (err) {
      result.calls++;
      if (err instanceof HostFault || !deliberate(err)) crash(c, describeArgs(t.def, a), err);
      else result.traps++;
    }
    if (callbackFaults) { crash(c, `dataSourceCallback after ${describeArgs(t.def, a)}`, new Error('host fault in a callback')); callbackFaults = 0; }
  }
  return result;
}

/** Seeds `first`.. until `calls` calls in total, `perSeed` each. */
export async function fuzz(calls: number, perSeed: number, first = 1, log: (s: string) => void = () => undefined): Promise<FuzzResult> {
  const total: FuzzResult = { calls: 0, hostExceptions: 0, traps: 0, crashes: [] };
  for (let seed = first; total.calls < calls; seed++) {
    const r = await fuzzSeed(seed, Math.min(perSeed, calls - total.calls));
    total.calls += r.calls;
    total.hostExceptions += r.hostExceptions;
    total.traps += r.traps;
    for (const c of r.crashes) { total.crashes.push(c); log(`CRASH seed ${c.seed}, call #${c.call}: ${c.description}\n  ${c.error}\n  reproduce: node out/test/fuzz/hostcalls.js --seed ${c.seed} --calls ${c.call + 1}`); }
    if (seed % 10 === 0) log(`seed ${seed}: ${total.calls} calls, ${total.hostExceptions} host exceptions, ${total.traps} deliberate traps`);
  }
  return total;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const opt = (name: string, dflt: number): number => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
  const calls = opt('--calls', 1_000_000);
  const seed = opt('--seed', 0);
  const perSeed = opt('--per-seed', 10_000);
  const t0 = Date.now();
  const run = seed ? fuzzSeed(seed, calls).then((r) => {
    for (const c of r.crashes) console.log(`CRASH seed ${c.seed}, call #${c.call}: ${c.description}\n  ${c.error}`);
    return r;
  }) : fuzz(calls, perSeed, 1, (s) => console.log(s));
  void run.then((r) => {
    console.log(`${r.calls} host calls, ${r.hostExceptions} host exceptions, ${r.traps} deliberate traps (errPtr out of bounds, proc_exit), ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(JSON.stringify({ fuzz: 'hostcalls', calls: r.calls, hostExceptions: r.hostExceptions, traps: r.traps }));
    process.exitCode = r.hostExceptions ? 1 : 0;
  });
}
