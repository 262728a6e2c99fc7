// src/workbench: which object a gadget folder uses, reading it as IG does, and the Gadgets tree's model
// merging gadget.yaml, the eBPF object, the events file and the last run.
import * as assert from 'node:assert/strict';
import { chooseObject, gadgetLocation, gadgetModel, goArch, fieldDescription, readImageGadget, readObject, runDataSources, withObjectAnnotations } from '../../../src/workbench';
import { gadgetImageTar } from '../../support/oci-builder';
import { outline, readGadgetMetadata } from '../../../src/metadata';
import { objectBytes } from '../ebpf/helpers';

describe('workbench: the gadget\'s eBPF object', function () {
  this.timeout(60000);

  it('chooses program.bpf.o, then <arch>.bpf.o, then the only object at the top or in a build folder', () => {
    assert.equal(chooseObject(['x.bpf.o', 'program.bpf.o'], 'amd64'), 'program.bpf.o');
    assert.equal(chooseObject(['arm64.bpf.o', 'amd64.bpf.o'], 'amd64'), 'amd64.bpf.o');
    assert.equal(chooseObject(['build/arm64.bpf.o', 'build/amd64.bpf.o'], 'arm64'), 'build/arm64.bpf.o');
    assert.equal(chooseObject(['mine.bpf.o'], 'amd64'), 'mine.bpf.o');
    assert.equal(chooseObject(['out/mine.bpf.o'], 'amd64'), 'out/mine.bpf.o');
    assert.equal(chooseObject(['a.bpf.o', 'b.bpf.o'], 'amd64'), undefined, 'ambiguous: the setting decides');
    assert.equal(chooseObject([], 'amd64'), undefined);
  });

  it('reads an object with gadget.yaml applied; a refused or unreadable one is a message, not a throw', () => {
    const r = readObject(objectBytes('tracer'), 'name: t\ndatasources:\n  mount:\n    fields:\n      op_raw:\n        annotations:\n          ebpf.formatter.enum: operation\n');
    assert.ok(r.spec);
    assert.ok(r.spec.datasources[0].fields.some((f) => f.fullName === 'operation'));
    assert.ok(r.plan.dataSources[0].formatters?.some((f) => f.type === 'enum' && f.target === 'operation'));
    assert.match(readObject(objectBytes('refuse', ['MISSING_MAP'])).error ?? '', /^IG refuses this eBPF object: /);
    assert.match(readObject(new Uint8Array([1, 2, 3])).error ?? '', /^not a readable eBPF object: /);
  });
});

describe('workbench: the Gadgets tree model', function () {
  this.timeout(60000);
  const yaml = 'name: t\ndatasources:\n  mount:\n    fields:\n      fs:\n        annotations:\n          description: file system\n      typo: {}\n';

  it('the object\'s data sources and fields appear with kind, origin eBPF, offset and size; gadget.yaml\'s merge in', () => {
    const spec = readObject(objectBytes('tracer'), yaml).spec!;
    const m = gadgetModel({ meta: readGadgetMetadata(yaml), outline: outline(yaml), ran: [], declared: [], object: spec });
    assert.deepEqual(m.datasources.map((d) => [d.name, d.dsType, d.origins]), [['mount', 'single', ['gadget.yaml', 'eBPF']]]);
    const f = (n: string) => m.datasources[0].fields.find((x) => x.name === n)!;
    assert.deepEqual([f('fs').kind, f('fs').origins, f('fs').annotations.description, f('fs').size], ['cstring', ['gadget.yaml', 'eBPF'], 'file system', 32]);
    assert.equal(typeof f('fs').offset, 'number');
    assert.deepEqual(f('typo').origins, ['gadget.yaml'], 'only gadget.yaml says so');
    assert.deepEqual([f('op').origins, f('op').offset, f('op_raw').hidden], [['eBPF (ebpf.enum)'], undefined, true]);
    assert.equal(f('ports').kind, 'arrayofuint16');
    assert.ok(f('fs').reveal, 'clicking reveals gadget.yaml\'s entry');
    assert.ok(m.ebpfParams.some((p) => p.key === 'pid' && p.variable === 'targ_pid'));
    assert.ok(m.maps.some((x) => x.name === 'events' && x.type === 'RingBuf'));
  });

  it('a run of the object\'s data source does not relabel its fields as the events file\'s; guest fields are the wasm module\'s', () => {
    const spec = readObject(objectBytes('tracer')).spec!;
    const ran = [{ name: 'mount', type: 'single' as const, origin: 'host' as const, fields: [
      { name: 'fs', kind: 'cstring' as const, tags: [], origin: 'host' as const },
      { name: 'extra', kind: 'string' as const, tags: [], origin: 'guest' as const },
    ] }];
    const m = gadgetModel({ meta: readGadgetMetadata('name: t\n'), outline: [], ran, declared: [], object: spec });
    const f = (n: string) => m.datasources[0].fields.find((x) => x.name === n)!;
    assert.deepEqual(m.datasources[0].origins, ['eBPF']);
    assert.deepEqual(f('fs').origins, ['eBPF']);
    assert.deepEqual(f('extra').origins, ['wasm module']);
  });

  it('without an object: gadget.yaml, events file and run as before', () => {
    const declared = [{ name: 'greetings', type: 'single' as const, fields: [{ name: 'msg', kind: 'string' as const }] }];
    const m = gadgetModel({ meta: readGadgetMetadata('name: t\n'), outline: [], ran: [], declared });
    assert.deepEqual(m.datasources.map((d) => [d.name, d.origins, d.fields.map((x) => [x.name, x.kind, x.origins])]),
      [['greetings', ['events file'], [['msg', 'string', ['events file']]]]]);
    assert.deepEqual([m.ebpfParams, m.maps], [[], []]);
  });

  it('labels read once: a gadget\'s place only when it adds to its name, a field\'s kind and short producers', () => {
    assert.equal(gadgetLocation('hello', 'hello'), undefined, 'not "hello hello"');
    assert.equal(gadgetLocation('hello', 'examples/hello'), 'examples');
    assert.equal(gadgetLocation('trace_open', 'gadgets/open'), 'gadgets/open');
    assert.equal(gadgetLocation('img', 'images/img.tar'), 'images/img.tar');
    assert.equal(fieldDescription('string', ['gadget.yaml', 'events file']), 'string · events', 'not "gadget.yaml, eve…"');
    assert.equal(fieldDescription('uint32', ['gadget.yaml', 'eBPF', 'wasm module']), 'uint32 · eBPF, wasm');
    assert.equal(fieldDescription(undefined, ['gadget.yaml']), 'gadget.yaml', 'not "kind unknown · gadget.yaml"');
    assert.equal(fieldDescription('uint64', ['eBPF (formatters)']), 'uint64 · eBPF', 'the operator is the tooltip\'s');
    assert.equal(fieldDescription('string', ['eBPF', 'eBPF (ebpf.enum)']), 'string · eBPF', 'said once');
    // The longest kind with two producers still fits the ~30 characters the default sidebar leaves.
    assert.ok(fieldDescription('arrayofuint64', ['eBPF', 'events file']).length <= 30);
  });
});

describe('workbench: what a run is made of', function () {
  this.timeout(60000);
  it('the object\'s data sources first, the events file\'s others after; the grid gets the object\'s annotations under gadget.yaml\'s', () => {
    const yaml = 'name: t\ndatasources:\n  mount:\n    fields:\n      fs:\n        annotations:\n          columns.width: "40"\n';
    const plan = readObject(objectBytes('tracer'), yaml).plan!;
    const declared = [
      { name: 'mount', type: 'single' as const, fields: [{ name: 'fs', kind: 'string' as const }] },
      { name: 'other', type: 'single' as const, fields: [] },
    ];
    const ds = runDataSources(plan, declared);
    assert.deepEqual(ds.map((d) => d.name), ['mount', 'other']);
    assert.equal(ds[0].fields.find((f) => f.name === 'fs')?.kind, 'cstring', 'the object\'s kind wins');
    assert.deepEqual(runDataSources(undefined, declared), declared);
    const meta = withObjectAnnotations(readGadgetMetadata(yaml), plan)!;
    const fs = meta.datasources.mount.fields.fs.annotations;
    assert.equal(fs['columns.width'], '40', 'gadget.yaml wins');
    assert.equal(meta.datasources.mount.fields.op_raw.annotations['columns.hidden'], 'true', 'the enum input is hidden, as IG hides it');
    assert.equal(withObjectAnnotations(undefined, undefined), undefined);
  });
});

describe('workbench: gadget images in the workspace', function () {
  this.timeout(60000);
  it('an image tarball gives its gadget.yaml (and name), object and wasm; anything else is an error, not a throw', () => {
    const arch = goArch(process.arch);
    const tar = gadgetImageTar({ ebpf: { [arch]: objectBytes('tracer') }, metadataYaml: 'name: from-image\n' });
    const img = readImageGadget(tar, arch);
    assert.equal(img.error, undefined);
    assert.equal(img.name, 'from-image');
    assert.ok(img.object && img.object.length > 0);
    assert.equal(img.wasm, undefined);
    assert.match(readImageGadget(tar, 'riscv64').error ?? '', /riscv64/);
    assert.equal(readImageGadget(new Uint8Array(10), arch).error, 'not a tar file');
  });
});
