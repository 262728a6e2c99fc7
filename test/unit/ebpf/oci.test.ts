// Gadget image tarballs: the tar reader, the manifest for an architecture, gadget.yaml from the config
// blob, layers by media type, and `ig-wasm inspect IMAGE.tar` / `OBJECT.bpf.o` end to end.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EbpfError, goArch, readGadgetImage, readTar } from '../../../src/ebpf';
import { gadgetImageTar, tar } from '../../support/oci-builder';
import { TempDir, cli, helloWasm } from '../cli/helpers';
import { objectBytes, objectPath } from './helpers';

describe('ebpf: gadget images', function () {
  this.timeout(60000);
  let tmp: TempDir;
  beforeEach(() => { tmp = new TempDir(); });
  afterEach(() => tmp.remove());

  it('reads tar entries, including long names through PAX records; a bad checksum is refused', () => {
    const long = `blobs/sha256/${'a'.repeat(120)}`;
    const t = tar([{ path: 'a.txt', data: 'hello' }, { path: 'b/c.bin', data: new Uint8Array(1000).fill(7) }]);
    assert.deepEqual(readTar(t).map((e) => [e.path, e.data.length]), [['a.txt', 5], ['b/c.bin', 1000]]);
    // A PAX header giving the path, then the entry with a cut name.
    const rec = ` path=${long}\n`;
    const pax = `${rec.length + String(rec.length + 3).length}${rec}`;
    const withPax = tar([{ path: 'PaxHeader', data: pax }, { path: long.slice(0, 99), data: 'x' }]);
    withPax[156] = 'x'.charCodeAt(0);
    // fix the checksum of the edited header
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : withPax[i];
    Buffer.from(withPax.buffer).write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    assert.deepEqual(readTar(withPax).map((e) => e.path), [long]);
    const bad = tar([{ path: 'a', data: 'b' }]);
    bad[0] ^= 1;
    assert.throws(() => readTar(bad), /tar: bad header checksum at byte 0/);
  });

  it('picks the manifest of the architecture; gadget.yaml and the layers by media type', () => {
    const amd = objectBytes('tracer');
    const arm = objectBytes('iter');
    const wasm = new Uint8Array(readFileSync(helloWasm()));
    const t = gadgetImageTar({ ebpf: { amd64: amd, arm64: arm }, wasm, metadataYaml: 'name: t\n', extraLayer: { mediaType: 'application/x-unknown', data: new Uint8Array(3) } });
    const a = readGadgetImage(t, 'amd64');
    assert.deepEqual(a.ebpfObject, amd);
    assert.deepEqual(a.wasm, wasm);
    assert.equal(a.metadataYaml, 'name: t\n');
    assert.deepEqual(a.architectures, ['amd64', 'arm64']);
    assert.deepEqual(a.skippedLayers, ['application/x-unknown']);
    assert.equal(a.ref, 'ghcr.io/inspektor-gadget/gadget/test:latest');
    assert.deepEqual(readGadgetImage(t, 'arm64').ebpfObject, arm);
    assert.throws(() => readGadgetImage(t, 'riscv64'), (e: unknown) => e instanceof EbpfError && /no manifest for architecture riscv64 \(the image has: amd64, arm64\)/.test(e.message));
    assert.equal(readGadgetImage(gadgetImageTar({ ebpf: { amd64: amd } }), 'amd64').metadataYaml, undefined, 'empty config');
    assert.throws(() => readGadgetImage(tar([{ path: 'index.json', data: '{}' }]), 'amd64'), /oci-layout is missing/);
    assert.equal(goArch('x64'), 'amd64');
  });

  it('ig-wasm inspect IMAGE.tar: the eBPF report with gadget.yaml applied, the image and the wasm module', () => {
    const arch = goArch(process.arch);
    const yaml = 'name: t\nparams:\n  ebpf:\n    min_lat:\n      key: min-latency\n';
    const file = tmp.file('gadget.tar', gadgetImageTar({ ebpf: { [arch]: objectBytes('tracer') }, wasm: new Uint8Array(readFileSync(helloWasm())), metadataYaml: yaml }));
    const r = cli('inspect', file, '--output', 'json');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { image: { architecture: string; metadata: boolean }; datasources: { name: string }[]; params: { key: string }[]; wasm: { loadable: boolean } };
    assert.equal(j.image.architecture, arch);
    assert.equal(j.image.metadata, true);
    assert.deepEqual(j.datasources.map((d) => d.name), ['mount']);
    assert.ok(j.params.some((p) => p.key === 'min-latency'));
    assert.equal(j.wasm.loadable, true);
    const text = cli('inspect', file);
    assert.match(text.stdout, /layers: +eBPF \d+ bytes, wasm \d+ bytes/);
    assert.match(text.stdout, /wasm module: +API revision current, loadable/);
    const other = tmp.file('other.tar', gadgetImageTar({ ebpf: { s390x: objectBytes('tracer') } }));
    const bad = cli('inspect', other);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /no manifest for architecture/);
  });

  it('ig-wasm inspect OBJECT.bpf.o: JSON with the contract shape; text summary; exit 1 with IG\'s reason', () => {
    const r = cli('inspect', objectPath('tracer'), '--output', 'json');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as {
      datasources: { name: string; type: string; fields: { name: string; kind: string; parent?: string }[] }[];
      params: { key: string; typeHint: string; defaultValue: string }[];
      maps: { name: string; type: string; keySize: number; valueSize: number; maxEntries: number }[];
      problems: string[];
    };
    assert.equal(j.datasources[0].type, 'single');
    const kinds = Object.fromEntries(j.datasources[0].fields.map((f) => [f.name, f.kind]));
    assert.deepEqual([kinds['proc.comm'], kinds['dst.addr_raw.v6'], kinds.names, kinds.error], ['cstring', 'arrayofuint8', 'arrayofcstring', 'string']);
    assert.equal(j.datasources[0].fields.find((f) => f.name === 'proc.pid')!.parent, 'proc');
    assert.deepEqual(j.params.find((p) => p.key === 'uid'), { ...j.params.find((p) => p.key === 'uid'), typeHint: 'uint32', defaultValue: '4294967295' });
    assert.deepEqual(j.maps.find((m) => m.name === 'events'), { ...j.maps.find((m) => m.name === 'events'), type: 'RingBuf', maxEntries: 262144 });
    assert.deepEqual(j.problems, []);

    const text = cli('inspect', objectPath('iter'));
    assert.equal(text.status, 0);
    assert.match(text.stdout, /counters {2}array {2}\(mapiter, map counts, struct key_t \+ val_t\)/);
    assert.match(text.stdout, /old_map +Array +4 +8 +16/);
    assert.match(text.stdout, /dump_tasks +iter\/task +Tracing/);

    const yaml = tmp.file('gadget.yaml', 'name: t\nparams:\n  ebpf:\n    targ_pid:\n      key: process-id\n');
    const withMeta = JSON.parse(cli('inspect', objectPath('tracer'), '--metadata', yaml, '-o', 'json').stdout) as { params: { key: string; variable?: string }[] };
    assert.equal(withMeta.params.find((p) => p.variable === 'targ_pid')!.key, 'process-id');
    assert.equal(cli('inspect', objectPath('tracer'), '--metadata', tmp.file('x', '') + '.missing').status, 2);

    const refused = cli('inspect', objectPath('refuse', ['MISSING_MAP']), '--output', 'json');
    assert.equal(refused.status, 1);
    const rj = JSON.parse(refused.stdout) as { loadable: boolean; problems: string[] };
    assert.equal(rj.loadable, false);
    assert.match(rj.problems[0], /map "nosuchmap" not found in eBPF object/);
    const rt = cli('inspect', objectPath('refuse', ['MISSING_MAP']));
    assert.match(rt.stdout, /IG would refuse this object:\n {2}analyzing: handling type by prefix/);
    assert.doesNotMatch(rt.stdout + rt.stderr, /at .*\.js:\d+/, 'no stack trace');
  });
});

describe('ebpf: gadget images with a gadget.yaml that is not UTF-8', () => {
  it('is the image\'s error at the first bad byte (issue 11 §6), not replacement characters', () => {
    const metadataYaml = new Uint8Array(Buffer.concat([Buffer.from('name: t\ndescription: "'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')]));
    const t = gadgetImageTar({ ebpf: { amd64: objectBytes('tracer') }, metadataYaml });
    assert.throws(() => readGadgetImage(t, 'amd64'), (e: unknown) => e instanceof EbpfError && /config \(gadget\.yaml\) 2:15: invalid UTF-8 at byte 22/.test(e.message));
  });
});
