// Objects IG refuses, with IG's reason: hand-built ELF/BTF edge cases and -D variants of a C fixture.
// And what IG silently ignores (markers of the wrong shape), which must not be refused.
import * as assert from 'node:assert/strict';
import { EbpfError, IgRefusal, inspectObject } from '../../../src/ebpf';
import { BtfBuilder, buildElf, SectionSpec, SymbolSpec } from '../../support/elf-builder';
import { objectBytes } from './helpers';

const SHF_ALLOC = 2;

/** A BTF with `const void *` and an `int`; returns the builder and the ids. */
function base(): { b: BtfBuilder; u32: number; cvp: number } {
  const b = new BtfBuilder();
  const u32 = b.int('unsigned int', 4);
  const cvp = b.ptr(b.const(0));
  return { b, u32, cvp };
}

function object(b: BtfBuilder, sections: SectionSpec[] = [], symbols: SymbolSpec[] = []): Uint8Array {
  return buildElf([...sections, { name: '.BTF', data: b.build() }], symbols);
}

/** A `.maps` section with one BTF map definition of the given type. */
function mapsSection(b: BtfBuilder, u32: number, name: string, type: number, extra: [string, number, number][] = []): number {
  const def = b.struct('', 16, [['type', b.uintMember(u32, type), 0], ['max_entries', b.uintMember(u32, 4096), 64], ...extra]);
  return b.var(name, def);
}

function refusal(bytes: Uint8Array): string {
  try {
    inspectObject(bytes);
  } catch (e) {
    if (e instanceof IgRefusal) return e.reason;
    if (e instanceof EbpfError) return `loading spec: ${e.message}`;
    throw e;
  }
  assert.fail('the object was accepted');
}

describe('ebpf: refusals', function () {
  this.timeout(60000);

  it('an object without BTF', () => {
    assert.match(refusal(buildElf([{ name: 'tracepoint/x', flags: 6, data: new Uint8Array(8) }])), /^initializing: missing types in ebpf spec/);
  });

  it('a tracer naming a missing map, and one whose map is not a ring buffer or perf array', () => {
    const { b, u32, cvp } = base();
    b.struct('event', 4, [['pid', u32, 0]]);
    b.var('gadget_tracer_ev___events___event', cvp);
    assert.equal(refusal(object(b)), 'analyzing: handling type by prefix "ev___events___event": map "events" not found in eBPF object');

    const h = base();
    h.b.struct('event', 4, [['pid', h.u32, 0]]);
    const m = mapsSection(h.b, h.u32, 'events', 1);
    h.b.datasec('.maps', [[m, 0, 16]]);
    h.b.var('gadget_tracer_ev___events___event', h.cvp);
    assert.match(refusal(object(h.b, [{ name: '.maps', flags: SHF_ALLOC | 1, data: new Uint8Array(16) }])),
      /map "events" has a wrong type, expected: ringbuf or perf event array, got: Hash$/);
  });

  it('a tracer naming a missing struct, or a name with several structs', () => {
    const { b, u32, cvp } = base();
    const m = mapsSection(b, u32, 'events', 27);
    b.datasec('.maps', [[m, 0, 16]]);
    b.var('gadget_tracer_ev___events___event', cvp);
    const maps = [{ name: '.maps', flags: SHF_ALLOC | 1, data: new Uint8Array(16) }];
    assert.match(refusal(object(b, maps)), /finding struct "event" in eBPF object: type "event": not found$/);
    b.struct('event', 4, [['pid', u32, 0]]);
    b.struct('event', 8, [['pid', u32, 0]]);
    assert.match(refusal(object(b, maps)), /multiple candidates/);
  });

  it('a tracer marker with the wrong number of parts', () => {
    const { b, cvp } = base();
    b.var('gadget_tracer_ev___events', cvp);
    assert.equal(refusal(object(b)), 'analyzing: handling type by prefix "ev___events": invalid tracer info: "ev___events"');
  });

  it('markers that are not global `const void *` variables are ignored, as IG does (no data source, no refusal)', () => {
    const { b, u32 } = base();
    b.var('gadget_tracer_a___missing___event', u32); // an int, not a pointer
    b.var('gadget_tracer_b___missing___event', b.ptr(u32)); // pointer to int
    b.var('gadget_tracer_c___missing___event', b.ptr(b.const(0)), 0); // static
    const g = inspectObject(object(b));
    assert.deepEqual(g.datasources, []);
  });

  it('corrupt BTF and map definitions are loader errors naming the type', () => {
    const { b } = base();
    b.raw(25, 'weird');
    assert.match(refusal(object(b)), /^loading spec: btf: type 4 has unknown kind 25$/);
    const t = base();
    const m = mapsSection(t.b, t.u32, 'events', 27, [['colour', t.u32, 128]]);
    t.b.datasec('.maps', [[m, 0, 16]]);
    assert.match(refusal(object(t.b)), /^loading spec: maps: map events: unrecognized field colour/);
    const cut = object(base().b);
    assert.match(refusal(cut.subarray(0, cut.length - 200)), /^loading spec: elf: /);
  });

  it('DATASEC offsets left 0 by the compiler are taken from the symbols (defaults read at the right place)', () => {
    const { b, u32, cvp } = base();
    const cv = (t: number): number => b.const(b.volatile(t));
    const a = b.var('first', cv(u32));
    const c = b.var('second', cv(u32));
    b.datasec('.rodata', [[a, 0, 4], [c, 0, 4]]);
    b.var('gadget_param_first', cvp);
    b.var('gadget_param_second', cvp);
    const rodata = new Uint8Array([7, 0, 0, 0, 9, 0, 0, 0]);
    const g = inspectObject(object(b, [{ name: '.rodata', flags: SHF_ALLOC, data: rodata }],
      [{ name: 'first', section: '.rodata', value: 0, size: 4 }, { name: 'second', section: '.rodata', value: 4, size: 4 }]));
    assert.deepEqual(g.params.filter((p) => p.variable).map((p) => [p.key, p.defaultValue]), [['first', '7'], ['second', '9']]);
  });

  describe('compiled variants of refuse.bpf.c', () => {
    const cases: [string, RegExp][] = [
      ['BAD_TRACER_MAP', /map "table" has a wrong type, expected: ringbuf or perf event array, got: Hash/],
      ['MISSING_MAP', /map "nosuchmap" not found in eBPF object/],
      ['MISSING_STRUCT', /finding struct "event_t" in eBPF object: type "event_t": not found/],
      ['BAD_MAPITER', /map "table" key is not a struct/],
      ['KSTACK_NO_MAP', /kernel stack map is not initialized but used/],
      ['MISSING_ITER_PROG', /program "nosuchprog" not found in eBPF object/],
    ];
    for (const [define, reason] of cases) {
      it(define, () => assert.match(refusal(objectBytes('refuse', [define])), reason));
    }
    it('the same program without a switch is accepted', () => {
      assert.deepEqual(inspectObject(objectBytes('refuse')).datasources.map((d) => d.name), ['ev']);
    });
    it('a map iterator whose value member repeats a key field\'s full name (IG\'s duplicate check)', () => {
      assert.match(refusal(objectBytes('iter', ['DUP_QUIRK'])), /field "pid" already exists/);
    });
  });
});
