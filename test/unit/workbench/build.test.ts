// Build eBPF Object's vscode-free half: IG's builder flags, and clang's output as diagnostics.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { clangArgs, parseClangOutput, readObject } from '../../../src/workbench';

const INCLUDE = resolve(__dirname, '../../../../test/fixtures/ebpf/include');

describe('workbench: Build eBPF Object', function () {
  this.timeout(60000);

  it('uses IG\'s builder flags, per architecture', () => {
    assert.deepEqual(clangArgs('p.bpf.c', 'p.bpf.o', ['/inc'], 'x64'),
      ['-target', 'bpf', '-Wall', '-g', '-O2', '-I/usr/include/x86_64-linux-gnu', '-D__TARGET_ARCH_x86', '-c', 'p.bpf.c', '-I/inc', '-o', 'p.bpf.o']);
    assert.ok(clangArgs('a', 'b', [], 'arm64').includes('-D__TARGET_ARCH_arm64'));
  });

  it('a real clang run: the object IG reads, and errors with file, line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-build-'));
    try {
      const src = join(dir, 'program.bpf.c');
      writeFileSync(src, '#include "wb_gadget.h"\nchar LICENSE[] SEC("license") = "GPL";\nstruct ev { __u32 pid; };\nWB_TRACER_MAP(events, 4096);\nWB_TRACER(t, events, ev);\n');
      const ok = spawnSync('clang', clangArgs(src, join(dir, 'p.bpf.o'), [INCLUDE], process.arch), { encoding: 'utf8' });
      assert.equal(ok.status, 0, ok.stderr);
      assert.deepEqual(readObject(new Uint8Array(readFileSync(join(dir, 'p.bpf.o')))).spec?.datasources.map((d) => d.name), ['t']);
      writeFileSync(src, '#include "wb_gadget.h"\nint x = undeclared_thing;\n');
      const bad = spawnSync('clang', clangArgs(src, join(dir, 'q.bpf.o'), [INCLUDE], process.arch), { encoding: 'utf8' });
      assert.notEqual(bad.status, 0);
      const d = parseClangOutput(bad.stderr).find((x) => x.severity === 'error')!;
      assert.deepEqual([d.file, d.line, d.column], [src, 2, 9]);
      assert.match(d.message, /undeclared_thing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses warnings, notes and fatal errors; other lines are ignored', () => {
    const out = parseClangOutput('a.c:1:2: warning: w [-Wx]\nsome context\n  ^\nb.c:3:4: note: n\nc.c:5:6: fatal error: \'x.h\' file not found\n1 error generated.\n');
    assert.deepEqual(out.map((d) => [d.file, d.line, d.column, d.severity]), [['a.c', 1, 2, 'warning'], ['b.c', 3, 4, 'info'], ['c.c', 5, 6, 'error']]);
  });
});
