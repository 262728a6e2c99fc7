// IG's derivation on our BPF C fixtures: data sources, fields (kinds, offsets, parents, tags, hidden),
// operator-added fields, params with .rodata defaults and gadget.yaml merges, maps and programs.
import * as assert from 'node:assert/strict';
import { EbpfDataSource, GadgetSpec, gadgetConfigFromYaml, inspectObject } from '../../../src/ebpf';
import { objectBytes } from './helpers';

function field(ds: EbpfDataSource, name: string) {
  const f = ds.fields.find((x) => x.fullName === name);
  assert.ok(f, `no field ${name} in ${ds.fields.map((x) => x.fullName).join(', ')}`);
  return f;
}

describe('ebpf: IG derivation', function () {
  this.timeout(60000);
  let tracer: GadgetSpec;
  let iter: GadgetSpec;
  before(() => {
    tracer = inspectObject(objectBytes('tracer'));
    iter = inspectObject(objectBytes('iter'));
  });

  it('a tracer is a single data source with its struct\'s fields in member order, depth first', () => {
    assert.deepEqual(tracer.datasources.map((d) => [d.name, d.type, d.kind, d.map]), [['mount', 'single', 'tracer', 'events']]);
    const ds = tracer.datasources[0];
    const ebpf = ds.fields.filter((f) => f.origin === 'ebpf').map((f) => f.fullName);
    assert.deepEqual(ebpf.slice(0, 12), ['timestamp_raw', 'proc', 'proc.comm', 'proc.pid', 'proc.tid', 'proc.mntns_id', 'proc.creds',
      'proc.creds.uid', 'proc.creds.gid', 'proc.parent', 'proc.parent.comm', 'proc.parent.pid']);
    // skipped: __pad (name), ptr (pointer), big (128-bit), empty (zero length)
    for (const gone of ['__pad', 'ptr', 'big', 'empty']) assert.ok(!ebpf.includes(gone), gone);
  });

  it('kinds: ints by encoding and size, char arrays CString, other arrays IG array kinds, arrays of arrays', () => {
    const ds = tracer.datasources[0];
    const kinds = Object.fromEntries(ds.fields.map((f) => [f.fullName, f.kind]));
    const K = { bool: 1, int8: 2, int16: 3, uint8: 6, uint16: 7, uint32: 8, uint64: 9, float32: 10, float64: 11, string: 12, cstring: 13, bytes: 14 };
    assert.equal(kinds['timestamp_raw'], K.uint64);
    assert.equal(kinds['proc'], K.bytes);
    assert.equal(kinds['proc.comm'], K.cstring);
    assert.equal(kinds['fs'], K.cstring);
    assert.equal(kinds['ports'], 0x10000000 | K.uint16);
    assert.equal(kinds['dst.addr_raw.v6'], 0x10000000 | K.uint8);
    assert.equal(kinds['names'], 0x10000000 | K.cstring);
    assert.equal(kinds['matrix'], 0, 'an array of non-char arrays is Invalid but still a field');
    assert.equal(kinds['ok'], K.bool);
    assert.equal(kinds['ratio'], K.float32);
    assert.equal(kinds['weight'], K.float64);
    assert.equal(kinds['temp'], K.int16);
    assert.equal(kinds['sc'], K.int8);
    assert.equal(kinds['op_raw'], K.uint32, 'an unsigned enum (clang 14 never marks enums signed)');
    assert.equal(kinds['anon_u'], K.bytes);
  });

  it('offsets and sizes follow the C layout; bitfields share their word', () => {
    const ds = tracer.datasources[0];
    const at = (n: string): [number, number] => { const f = field(ds, n); return [f.offset, f.size]; };
    assert.deepEqual(at('timestamp_raw'), [0, 8]);
    assert.deepEqual(at('proc'), [8, 64]);
    assert.deepEqual(at('proc.creds.gid'), [44, 4]);
    assert.deepEqual(at('proc.parent.comm'), [48, 16]);
    assert.deepEqual(at('dst.addr_raw.v6'), [112, 16]);
    assert.deepEqual(at('names'), [176, 16]);
    const a = field(ds, 'bits_a');
    const b = field(ds, 'bits_b');
    assert.equal(a.offset, b.offset);
    assert.equal(a.size, 4);
    assert.equal(field(ds, 'proc.parent.pid').parent, ds.fields.indexOf(field(ds, 'proc.parent')));
  });

  it('tags carry the type chain; templates and gadget_process hide and alias', () => {
    const ds = tracer.datasources[0];
    assert.deepEqual(field(ds, 'timestamp_raw').tags, ['type:gadget_timestamp', 'type:__u64', 'type:unsigned long long', 'name:timestamp_raw', 'src:ebpf']);
    assert.deepEqual(field(ds, 'proc.comm').tags, ['type:gadget_comm', 'type:char', 'name:comm', 'src:ebpf']);
    assert.equal(field(ds, 'proc').hidden, true);
    assert.equal(field(ds, 'proc.pid').annotations['columns.alias'], 'pid');
    assert.equal(field(ds, 'proc.pid').annotations.description, 'Process ID');
    assert.equal(field(ds, 'proc.mntns_id').hidden, true, 'mntns_id template hides it');
    assert.equal(field(ds, 'proc.pid').hidden, false);
  });

  it('adds the fields of IG\'s operators: enums, formatters, endpoints, uid/gid names', () => {
    const ds = tracer.datasources[0];
    const added = ds.fields.filter((f) => f.origin !== 'ebpf' && f.origin !== 'localmanager').map((f) => `${f.fullName}:${f.origin}${f.hidden ? ':hidden' : ''}`);
    assert.deepEqual(added, [
      'op:ebpf.enum', 'flags:ebpf.enum', 'error:formatters', 'syscall:formatters', 'timestamp:formatters:hidden', 'delta:formatters',
      'dst.addr:formatters:hidden', 'dst.proto:formatters:hidden', 'dst.endpoint:formatters:hidden',
      'proc.creds.user:uidgidresolver:hidden', 'proc.creds.group:uidgidresolver:hidden',
    ]);
    for (const raw of ['op_raw', 'flags_raw', 'error_raw', 'syscall_raw', 'timestamp_raw', 'delta_raw']) assert.equal(field(ds, raw).hidden, true, raw);
    assert.equal(field(ds, 'sig').hidden, false, 'no _raw suffix and no target annotation: the signal formatter skips it');
    assert.equal(field(ds, 'dst').hidden, false);
    assert.equal(field(ds, 'dst').annotations['columns.replace'], 'dst.endpoint');
    assert.equal(field(ds, 'dst.port').hidden, true);
    assert.equal(field(ds, 'error').annotations['columns.width'], '12', 'errorString template');
    assert.equal(field(ds, 'flags').annotations['ebpf.formatter.bitfield.separator'], '|', '_set enums are bitmasks');
  });

  it('params: well-known keys, type hints, defaults from .rodata, operator params', () => {
    const p = Object.fromEntries(tracer.params.map((x) => [x.key, [x.typeHint, x.defaultValue, x.variable ?? '']]));
    assert.deepEqual(p, {
      pid: ['uint32', '0', 'targ_pid'],
      uid: ['uint32', '4294967295', 'targ_uid'],
      min_lat: ['int32', '-5', 'min_lat'],
      trace_all: ['bool', 'true', 'trace_all'],
      prefix: ['string', '', 'prefix'],
      target: ['ip', '0.0.0.0', 'target'],
      events_max_entries: ['uint64', '42', 'events_max_entries'],
      'trace-pipe': ['bool', 'false', ''],
    });
    assert.equal(tracer.params.find((x) => x.key === 'prefix')!.strLen, 16);
    assert.equal(tracer.params.find((x) => x.key === 'pid')!.fullKey, 'operator.oci.ebpf.pid');
    assert.deepEqual(tracer.params.find((x) => x.key === 'pid')!.tags, ['group:Process']);
  });

  it('gadget.yaml: params.ebpf key/description/defaultValue merge, .rodata defaults still win; field annotations apply', () => {
    const yaml = `name: t
paramDefaults:
  operator.oci.ebpf.Trace_All: "false"
params:
  ebpf:
    min_lat:
      key: min-latency
      defaultValue: "100"
      description: Minimum latency
    prefix:
      defaultValue: /tmp
datasources:
  mount:
    fields:
      sig:
        annotations:
          formatters.signal.target: signal
      fs:
        annotations:
          columns.hidden: true
`;
    const g = inspectObject(objectBytes('tracer'), gadgetConfigFromYaml(yaml));
    const lat = g.params.find((x) => x.variable === 'min_lat')!;
    assert.deepEqual([lat.key, lat.defaultValue, lat.description, lat.defaultFrom], ['min-latency', '-5', 'Minimum latency', 'rodata']);
    const prefix = g.params.find((x) => x.variable === 'prefix')!;
    assert.deepEqual([prefix.defaultValue, prefix.defaultFrom], ['/tmp', 'gadget.yaml'], 'string params keep the yaml default');
    const all = g.params.find((x) => x.variable === 'trace_all')!;
    assert.deepEqual([all.defaultValue, all.defaultFrom], ['false', 'paramDefaults'], 'paramDefaults (full key, any case) has the last word');
    const ds = g.datasources[0];
    assert.equal(field(ds, 'signal').origin, 'formatters');
    assert.equal(field(ds, 'sig').hidden, true);
    assert.equal(field(ds, 'fs').hidden, true);
  });

  it('maps as cilium/ebpf names them, with BTF key/value types and the inner map of a map-of-maps', () => {
    const m = Object.fromEntries(tracer.maps.map((x) => [x.name, x]));
    assert.deepEqual(Object.keys(m), ['outer', 'start', 'events', '.rodata', '.bss']);
    assert.deepEqual([m.outer.type, m.outer.keySize, m.outer.valueSize, m.outer.maxEntries], ['HashOfMaps', 4, 4, 8]);
    assert.deepEqual([m.outer.inner!.name, m.outer.inner!.type, m.outer.inner!.keySize, m.outer.inner!.valueSize, m.outer.inner!.maxEntries], ['outer_inner', 'Array', 4, 8, 4]);
    assert.deepEqual([m.start.type, m.start.pinning, m.start.keyType, m.start.valueType], ['Hash', 1, '__u32', '__u64']);
    assert.deepEqual([m.events.type, m.events.maxEntries], ['RingBuf', 262144]);
    assert.deepEqual([m['.rodata'].type, m['.rodata'].maxEntries], ['Array', 1]);
    assert.deepEqual(tracer.programs, [{ name: 'trace_mount', section: 'tracepoint/syscalls/sys_enter_mount', type: 'TracePoint' }]);
  });

  it('iterators and map iterators are array data sources; snapshotters are read as iterators with a note', () => {
    assert.deepEqual(iter.datasources.map((d) => [d.name, d.type, d.kind]), [['procs', 'array', 'iterator'], ['oldprocs', 'array', 'iterator'], ['counters', 'array', 'mapiter']]);
    const procs = iter.datasources[0];
    assert.deepEqual(procs.annotations, { 'fetch-interval': '0', 'fetch-count': '1' });
    assert.deepEqual(procs.programs, ['dump_tasks']);
    assert.ok(iter.problems.some((p) => /gadget_snapshotter_oldprocs.*deprecated/.test(p)));
    const counters = iter.datasources[2];
    assert.deepEqual(counters.fields.filter((f) => f.origin === 'ebpf').map((f) => `${f.fullName}@${f.payload}:${f.offset}`),
      ['pid@0:0', 'cpu@0:4', 'count@1:0', 'last_raw@1:8', 'proc@1:16', 'proc.ppid@1:16']);
    assert.ok(field(counters, 'pid').tags.includes('role:key'));
    // A gadget_mntns_id field brings the local manager's container fields; k8s.* hidden outside Kubernetes.
    assert.deepEqual(procs.fields.filter((f) => f.origin === 'localmanager' && !f.hidden).map((f) => f.fullName), ['runtime', 'runtime.containerName']);
    assert.equal(field(procs, 'k8s.podName').hidden, true);
    assert.equal(field(procs, 'k8s.owner.kind').parent, procs.fields.indexOf(field(procs, 'k8s.owner')));
    assert.ok(!counters.fields.some((f) => f.origin === 'localmanager'), 'no mntns/netns field, no enrichment');
    assert.ok(!field(counters, 'count').tags.includes('role:key'));
    assert.deepEqual(counters.sizes, [8, 24]);
    const keys = iter.params.map((p) => p.key);
    assert.deepEqual(keys, ['iface', 'trace-pipe', 'map-fetch-interval', 'map-fetch-count']);
    assert.deepEqual(iter.maps.find((m) => m.name === 'old_map'), { name: 'old_map', type: 'Array', keySize: 4, valueSize: 8, maxEntries: 16, flags: 0, pinning: 0, section: 'maps' });
    assert.equal(iter.programs.find((p) => p.name === 'dump_tasks')!.type, 'Tracing');
    assert.equal(iter.programs.find((p) => p.name === 'kp')!.type, 'Kprobe');
    assert.deepEqual(iter.maps.find((m) => m.name === '.kconfig'), { name: '.kconfig', type: 'Array', keySize: 4, valueSize: 4, maxEntries: 1, flags: 0x80, pinning: 0, section: '.kconfig' });
  });
});
