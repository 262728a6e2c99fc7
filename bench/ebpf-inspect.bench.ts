// Inspecting an eBPF object (read file, ELF + BTF, IG's derivation, JSON report) vs `bpftool btf dump file
// OBJ format raw` on the same object. Target: ours ≤ 1× bpftool. bpftool is a process per dump, so ours is
// measured the way a tool would use it too: in process (the library the extension and CLI share) and as
// a CLI process (`node dist/cli.js inspect OBJ --output json`, Node start-up included).
// Objects: the tracer fixture, and a generated CO-RE-sized one (~6,000 BTF types, 4 tracers).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inspectObject, toReport } from '../src/ebpf';
import { OUT, bpfObject, bpftool, compileBpf } from '../test/support/bpf';

const REPO = resolve(__dirname, '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const WARMUP = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * A CO-RE-sized object: like a gadget built against vmlinux.h it carries thousands of kernel-like struct
 * types (here 3,000, reached through one pointer table), plus 4 tracers with IG's special types and enums.
 */
function largeObject(): string {
  mkdirSync(OUT, { recursive: true });
  const src = join(OUT, 'bench-large.bpf.c');
  const lines = ['#include "wb_gadget.h"', 'char LICENSE[] SEC("license") = "GPL";', 'WB_TRACER_MAP(events, 4096);'];
  const KERNEL = 3000;
  for (let i = 0; i < KERNEL; i++) {
    lines.push(`struct k${i} {`, `  struct k${(i + 1) % KERNEL} *next;`, `  __u${[8, 16, 32, 64][i % 4]} a${i};`, '  __u64 b[4];', '  union { __u32 c; __s16 d; } u;',
      `  enum ke${i} { KE${i}_A, KE${i}_B } state;`, '  char name[16];', '};');
  }
  lines.push('struct ktable {', ...Array.from({ length: KERNEL }, (_, i) => `  struct k${i} *k${i};`), '};', 'struct ktable *kernel_types __attribute__((unused));');
  for (let i = 0; i < 4; i++) {
    lines.push(`struct ev${i} {`, '  gadget_timestamp timestamp_raw;', '  struct gadget_process proc;', '  struct gadget_l4endpoint_t src;', '  gadget_errno error_raw;');
    for (let f = 0; f < 20; f++) lines.push(`  __u${[8, 16, 32, 64][f % 4]} f${f}${f % 5 === 0 ? '[4]' : ''};`);
    lines.push('  char name[32];', `  enum e${i} { E${i}_A, E${i}_B } kind${i}_raw;`, '};', `WB_TRACER(t${i}, events, ev${i});`);
  }
  lines.push('SEC("tracepoint/x/y") int p(void *ctx) { return 0; }');
  writeFileSync(src, lines.join('\n') + '\n');
  return compileBpf(src, join(OUT, 'bench-large.bpf.o'));
}

function main(): void {
  const tool = bpftool();
  if (!tool) throw new Error('bpftool is not installed (apt-get install bpftool)');
  // The shipped bundle (npm run bench builds it first); the tsc output otherwise.
  const cli = existsSync(join(REPO, 'dist/cli.js')) ? join(REPO, 'dist/cli.js') : join(REPO, 'out/src/cli/main.js');
  for (const obj of [bpfObject('tracer'), largeObject()]) {
    const ours: number[] = [];
    const oursCli: number[] = [];
    const theirs: number[] = [];
    let types = 0;
    let fields = 0;
    for (let i = 0; i < WARMUP + RUNS; i++) {
      let t = process.hrtime.bigint();
      const report = JSON.stringify(toReport(inspectObject(new Uint8Array(readFileSync(obj)))));
      const a = Number(process.hrtime.bigint() - t) / 1e6;
      fields = (JSON.parse(report) as { datasources: { fields: unknown[] }[] }).datasources.reduce((n, d) => n + d.fields.length, 0);
      t = process.hrtime.bigint();
      const r = spawnSync(tool, ['btf', 'dump', 'file', obj, 'format', 'raw'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const b = Number(process.hrtime.bigint() - t) / 1e6;
      if (r.status !== 0) throw new Error(`bpftool failed: ${r.stderr}`);
      types = r.stdout.split('\n').filter((l) => l.startsWith('[')).length;
      t = process.hrtime.bigint();
      const c = spawnSync(process.execPath, [cli, 'inspect', obj, '--output', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const d = Number(process.hrtime.bigint() - t) / 1e6;
      if (c.status !== 0) throw new Error(`ig-wasm inspect failed: ${c.stderr}`);
      if (i >= WARMUP) { ours.push(a); theirs.push(b); oursCli.push(d); }
    }
    const file = obj.slice(REPO.length + 1);
    const oursMs = Number(median(ours).toFixed(2));
    const cliMs = Number(median(oursCli).toFixed(2));
    const theirsMs = Number(median(theirs).toFixed(2));
    const ratio = Number((oursMs / theirsMs).toFixed(3));
    const cliRatio = Number((cliMs / theirsMs).toFixed(3));
    console.log(`${file} (${types} BTF types, ${fields} fields): inspect in process ${oursMs} ms, as CLI process ${cliMs} ms; bpftool btf dump ${theirsMs} ms; ratio ${ratio} (target ≤ 1), CLI ratio ${cliRatio}; median of ${RUNS}`);
    console.log(JSON.stringify({ bench: 'ebpf-inspect-vs-bpftool', file, btf_types: types, ours_ms: oursMs, ours_cli_ms: cliMs, theirs_ms: theirsMs, ratio, cli_ratio: cliRatio }));
  }
}

main();
