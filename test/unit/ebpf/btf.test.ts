// The ELF and BTF readers against bpftool's view of the same objects, and DATASEC fix-ups from the ELF.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inspectObject, parseElf, readObjectBtf, toReport } from '../../../src/ebpf';
import { bpfObject, bpftool } from '../../support/bpf';
import { objectBytes, objectPath } from './helpers';

describe('ebpf: ELF and BTF readers', function () {
  this.timeout(60000);

  for (const name of ['tracer', 'iter']) {
    it(`${name}.bpf.o: every type's id, kind, name and size as bpftool dumps them`, function () {
      const tool = bpftool();
      if (!tool) this.skip();
      const btf = readObjectBtf(parseElf(objectBytes(name)))!;
      const dump = spawnSync(tool!, ['btf', 'dump', 'file', objectPath(name), 'format', 'raw'], { encoding: 'utf8' });
      assert.equal(dump.status, 0, dump.stderr);
      const theirs = dump.stdout.split('\n').filter((l) => l.startsWith('['));
      assert.equal(btf.types.length - 1, theirs.length);
      for (const line of theirs) {
        const m = /^\[(\d+)\] (\S+) '([^']*)'(?:.* size=(\d+))?(?:.* nr_elems=(\d+))?(?:.* linkage=(\w+))?/.exec(line)!;
        const t = btf.types[Number(m[1])];
        assert.equal(t.kind.toUpperCase(), m[2], line);
        assert.equal(t.name || '(anon)', m[3], line);
        if (m[4] !== undefined && t.kind !== 'datasec') assert.equal(t.size, Number(m[4]), line);
        if (m[5] !== undefined) assert.equal(t.nelems, Number(m[5]), line);
      }
    });
  }

  it('fixes DATASEC sizes and variable offsets from the ELF sections and symbols', () => {
    const elf = parseElf(objectBytes('tracer'));
    const btf = readObjectBtf(elf)!;
    const rodata = btf.types.find((t) => t.kind === 'datasec' && t.name === '.rodata')!;
    assert.equal(rodata.size, elf.section('.rodata')!.size);
    const offsets = Object.fromEntries(rodata.vars.map((v) => [btf.types[v.type].name, v.offset]));
    for (const s of elf.symbols.filter((x) => x.shndx === elf.section('.rodata')!.index && x.name in offsets)) {
      assert.equal(offsets[s.name], s.value, s.name);
    }
    // Not all zero: clang leaves them 0 in the object.
    assert.ok(Object.values(offsets).some((o) => o > 0), JSON.stringify(offsets));
  });

  it('a big-endian object (bpfeb) gives the same report as the little-endian one', () => {
    const eb = new Uint8Array(readFileSync(bpfObject('tracer', ['-target', 'bpfeb'], 'bpfeb')));
    assert.equal(parseElf(eb).littleEndian, false);
    assert.deepEqual(toReport(inspectObject(eb)), toReport(inspectObject(objectBytes('tracer'))));
  });

  it('reads sections and symbols of the object', () => {
    const elf = parseElf(objectBytes('tracer'));
    assert.equal(elf.machine, 247);
    assert.ok(elf.section('.maps') && elf.section('.BTF') && elf.section('tracepoint/syscalls/sys_enter_mount'));
    const fn = elf.symbols.find((s) => s.name === 'trace_mount')!;
    assert.equal(fn.type, 2);
    assert.equal(elf.sections[fn.shndx].name, 'tracepoint/syscalls/sys_enter_mount');
  });
});
