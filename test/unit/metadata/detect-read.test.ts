// Gadget-file detection (snap meta/gadget.yaml is not ours) and readGadgetMetadata (what the runner,
// extension and grid read: annotations as strings, names as IG sees them, wasm params).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { isGadgetYaml, readGadgetConfig, readGadgetMetadata } from '../../../src/metadata';
import { YamlError } from '../../../src/yaml/read';
import { fixture, REPO } from './helpers';

const none = (): boolean => false;
const only = (...files: string[]) => (p: string): boolean => files.some((f) => p.endsWith(f));

describe('metadata: isGadgetYaml', () => {
  it('IG keys inside make it a gadget, whatever is beside it', () => {
    assert.equal(isGadgetYaml('/w/g/gadget.yaml', 'name: x\ndatasources:\n  ds: {}\n', none), true);
    assert.equal(isGadgetYaml('/w/g/gadget.yaml', 'Name: x\n', none), true, 'keys are case-insensitive, as in IG');
  });

  it('an IG build file or eBPF/wasm source beside it makes it a gadget', () => {
    assert.equal(isGadgetYaml('/w/g/gadget.yaml', 'custom: 1\n', only('/w/g/build.yaml')), true);
    assert.equal(isGadgetYaml('/w/g/gadget.yaml', 'custom: 1\n', only('/w/g/program.bpf.c')), true);
    assert.equal(isGadgetYaml('/w/g/gadget.yaml', 'custom: 1\n', none), false);
  });

  it('a snap\'s meta/gadget.yaml is not ours (by its keys, or by snap.yaml / snapcraft.yaml nearby)', () => {
    const snap = fixture('../workspace/snap/meta/gadget.yaml');
    assert.equal(isGadgetYaml(join(REPO, 'test/fixtures/workspace/snap/meta/gadget.yaml'), snap), false);
    assert.equal(isGadgetYaml('/s/meta/gadget.yaml', 'volumes:\n  pc: {}\n', none), false);
    assert.equal(isGadgetYaml('/s/meta/gadget.yaml', 'name: x\n', only('/s/meta/snap.yaml')), false);
    assert.equal(isGadgetYaml('/s/meta/gadget.yaml', 'name: x\n', only('/s/snapcraft.yaml')), false);
    assert.equal(isGadgetYaml('/s/meta/gadget.yaml', '', none), false, 'an empty meta/gadget.yaml is a snap in the making');
  });

  it('the real fixtures: the example gadget is ours, only files named gadget.yaml count', () => {
    const hello = join(REPO, 'test/fixtures/workspace/hello/gadget.yaml');
    assert.equal(isGadgetYaml(hello, fixture('../workspace/hello/gadget.yaml')), true);
    assert.equal(isGadgetYaml('/w/g/build.yaml', 'name: x\n', none), false);
    assert.equal(isGadgetYaml('/w/g/GADGET.YML', 'name: x\n', none), true);
  });

  it('a new, empty gadget.yaml is linted (completion helps there)', () => {
    assert.equal(isGadgetYaml('/w/new/gadget.yaml', '', none), true);
  });
});

describe('metadata: readGadgetMetadata', () => {
  it('reads data sources and field annotations as strings, names lower-cased as IG (viper) sees them', () => {
    const m = readGadgetMetadata(fixture('corpus/gadgets_top_process.gadget.yaml'));
    assert.equal(m.name, 'top process');
    assert.equal(m.description, 'Periodically report process statistics');
    const ds = m.datasources.processes!;
    assert.deepEqual(ds.annotations, { 'cli.clear-screen-before': 'true' });
    assert.deepEqual(ds.fields.memoryRSS!.annotations, { 'columns.alias': 'RES', 'columns.maxwidth': '12' });
    assert.deepEqual(ds.fields.comm!.annotations, { 'columns.alias': 'COMMAND', 'columns.with': '32', 'columns.maxwidth': '80', 'columns.ellipsis': 'end' });
    assert.deepEqual(m.wasmParams, {});
  });

  it('booleans and integers become Go-style strings; empty values become ""', () => {
    const m = readGadgetMetadata('name: 42\ndatasources:\n  ds:\n    fields:\n      f:\n        annotations:\n          columns.hidden: true\n          columns.width: 8\n          description:\n      g:\n');
    assert.equal(m.name, '42');
    assert.deepEqual(m.datasources.ds!.fields.f!.annotations, { 'columns.hidden': 'true', 'columns.width': '8', description: '' });
    assert.deepEqual(m.datasources.ds!.fields.g, { annotations: {} });
  });

  it('values are the text Go receives: `True` stays "True", `0x10` stays "0x10", quoted values unquoted', () => {
    const m = readGadgetMetadata('name: x\ndatasources:\n  ds:\n    fields:\n      f:\n        annotations:\n          columns.hidden: True\n          columns.width: 0x10\n          description: \'it\'\'s\'\n');
    assert.deepEqual(m.datasources.ds!.fields.f!.annotations, { 'columns.hidden': 'True', 'columns.width': '0x10', description: "it's" });
  });

  it('reads `dataSources` like `datasources` (IG is case-insensitive)', () => {
    const m = readGadgetMetadata(fixture('corpus/gadgets_profile_blockio.gadget.yaml'));
    assert.deepEqual(Object.keys(m.datasources), ['blockio']);
  });

  it('reads params.wasm with typeHint, possibleValues and isMandatory', () => {
    const m = readGadgetMetadata(fixture('corpus/pkg_operators_wasm_testdata_params.gadget.yaml'));
    assert.deepEqual(m.wasmParams, {
      'param-key': {
        key: 'param-key', title: 'param-title', description: 'param-description', defaultValue: 'param-default-value',
        typeHint: 'param-type-hint', isMandatory: true,
      },
    });
    const p = readGadgetMetadata('name: x\nparams:\n  wasm:\n    level:\n      defaultValue: 3\n      possibleValues: [1, 2, 3]\n').wasmParams.level!;
    assert.deepEqual(p, { key: 'level', defaultValue: '3', possibleValues: ['1', '2', '3'] });
  });

  it('broken YAML gives what could be read, never throws', () => {
    const m = readGadgetMetadata('name: half\ndatasources:\n  ds:\n    fields: [\n');
    assert.equal(m.name, 'half');
  });
});

describe('metadata: readGadgetConfig', () => {
  it('is the file as plain data; bad YAML, repeated keys and other roots are errors with a line', () => {
    assert.deepEqual(readGadgetConfig('name: x\nparams:\n  wasm: {n: {defaultValue: 3}}\n'), { name: 'x', params: { wasm: { n: { defaultValue: 3 } } } });
    assert.deepEqual(readGadgetConfig('# nothing\n'), {});
    const line = (text: string): number => {
      try { readGadgetConfig(text); } catch (e) { assert.ok(e instanceof YamlError); return e.line; }
      return assert.fail('no error');
    };
    assert.equal(line('name: a\nname: b\n'), 2);
    assert.equal(line('name: a\n\tb: 1\n'), 2);
    assert.equal(line('\n- a\n'), 2);
  });
});
