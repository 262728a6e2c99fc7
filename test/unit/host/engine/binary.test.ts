// The wasm binary reader (types, imports, exports, memory limits) and the memory-limit rewrite, plus the
// kind conversions used by host-side emits.
import * as assert from 'node:assert/strict';
import { writeScalarValue, kindFromName, dynamicBytes } from '../../../../src/host/engine/kinds';
import { Wasm } from '../../../../src/host/engine/wasm-api';
import { clampMemoryMax, parseModule } from '../../../../src/host/engine/wasm-binary';
import { compileWat } from '../../../support/wat';
import { load, throwsGadgetError } from '../guest';

describe('host: wasm binary reader', () => {
  it('reads imports with signatures, exports with signatures, tables, globals and memories', async () => {
    const m = parseModule(await compileWat(`(module
      (import "ig" "a" (func (param i32 i64 f32 f64) (result i64)))
      (import "env" "memory" (memory 1 10))
      (import "env" "t" (table 2 funcref))
      (import "env" "g" (global (mut i32)))
      (func (export "f") (param i32) (result i32) (local.get 0))
      (func (export "noop"))
      (global (export "gg") i32 (i32.const 0)))`));
    assert.deepEqual(m.imports, [
      { module: 'ig', name: 'a', kind: 'function', type: { params: ['i32', 'i64', 'f32', 'f64'], results: ['i64'] } },
      { module: 'env', name: 'memory', kind: 'memory', limits: { min: 1, max: 10, shared: false, memory64: false } },
      { module: 'env', name: 't', kind: 'table', element: 'funcref', limits: { min: 2, max: undefined, shared: false, memory64: false } },
      { module: 'env', name: 'g', kind: 'global', type: 'i32', mutable: true },
    ]);
    assert.deepEqual(m.exports, [
      { name: 'f', kind: 'function', index: 1, type: { params: ['i32'], results: ['i32'] } },
      { name: 'noop', kind: 'function', index: 2, type: { params: [], results: [] } },
      { name: 'gg', kind: 'global', index: 1 },
    ]);
    assert.deepEqual(m.memories, []);
  });

  it('clamps a defined memory\'s maximum to 256 pages and keeps the module valid', async () => {
    for (const [decl, want] of [['1', 256], ['1 65536', 256], ['2 300', 256], ['1 8', 8]] as const) {
      const bytes = await compileWat(`(module (memory (export "memory") ${decl}) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`);
      const out = clampMemoryMax(bytes, parseModule(bytes), 256);
      assert.equal(parseModule(out).memories[0].limits.max, want, decl);
      assert.ok(Wasm.validate(out));
      if (want === 8) assert.equal(out, bytes, 'unchanged modules are returned as is');
    }
  });

  it('malformed binaries fail with the offset', () => {
    assert.throws(() => parseModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])), /unsupported wasm binary version/);
    assert.throws(() => parseModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0x10, 1])), /section 1 runs past the end of the module at byte 8/);
    assert.throws(() => parseModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x50, 0, 0])), /unsupported type form 0x50 at byte 11/);
    assert.throws(() => parseModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 2, 5, 1, 1, 0x61, 1, 0x62])), /unexpected end of section/);
  });
});

describe('host: kind conversions', () => {
  const dv = new DataView(new ArrayBuffer(8));
  it('accepts in-range numbers, bigints and decimal strings for 64-bit kinds', () => {
    writeScalarValue(dv, 0, 9, '18446744073709551615');
    assert.equal(dv.getBigUint64(0, true), 2n ** 64n - 1n);
    writeScalarValue(dv, 0, 5, -5n);
    assert.equal(dv.getBigInt64(0, true), -5n);
    writeScalarValue(dv, 0, 5, -(2 ** 53) + 1);
    assert.equal(dv.getBigInt64(0, true), -(2n ** 53n) + 1n);
    writeScalarValue(dv, 0, 1, true);
    assert.equal(dv.getUint8(0), 1);
  });
  it('rejects out-of-range, inexact and mistyped values', () => {
    assert.throws(() => writeScalarValue(dv, 0, 9, -1n), /-1 is out of range for uint64/);
    assert.throws(() => writeScalarValue(dv, 0, 5, 2 ** 63), /not exact/);
    assert.throws(() => writeScalarValue(dv, 0, 2, 128), /128 is out of range for int8/);
    assert.throws(() => writeScalarValue(dv, 0, 1, 'yes'), /expected a boolean/);
    assert.throws(() => writeScalarValue(dv, 0, 10, 'x'), /expected a number/);
    assert.throws(() => dynamicBytes(12, 5), /expected a string/);
    assert.throws(() => dynamicBytes(14, [1, 256]), /expected bytes/);
    assert.deepEqual(dynamicBytes(14, [1, 2]), new Uint8Array([1, 2]));
    assert.equal(kindFromName('Uint32'), 8);
    assert.equal(kindFromName('u32'), undefined);
  });
});

/** A guest with nothing but its API version, and two host data sources: `s` (uint32 a, string b) and `arr`. */
const loadEmitTargets = () => load('(module (func (export "gadgetAPIVersion") (result i64) (i64.const 1)))', {
  dataSources: [
    { name: 's', type: 'single', fields: [{ name: 'a', kind: 'uint32' }, { name: 'b', kind: 'string' }] },
    { name: 'arr', type: 'array', fields: [] },
  ],
});

describe('host: emitRow', () => {
  it('emits column-ordered values with the same checks as emit', async () => {
    const g = await loadEmitTargets();
    const rows: unknown[] = [];
    g.inst.subscribe('s', 0, (_i, r) => rows.push(...r.map((x) => [...x])));
    g.inst.emitRow('s', [7, 'x']);
    g.inst.emitRow('s', [8]);
    assert.deepEqual(rows, [[7, 'x'], [8, '']]);
    assert.match(throwsGadgetError(() => g.inst.emitRow('s', [1, 'x', 3])).message, /has 2 fields, got 3 values/);
    assert.match(throwsGadgetError(() => g.inst.emitRow('s', [-1])).message, /field "a": -1 is out of range for uint32/);
    assert.match(throwsGadgetError(() => g.inst.emitRow('arr', [])).message, /array data source/);
    assert.match(throwsGadgetError(() => g.inst.emitRow('nope', [])).message, /unknown data source "nope"/);
  });

  it('prepareEmitter: the same checks as emitRow, bound to one data source', async () => {
    const g = await loadEmitTargets();
    const rows: unknown[] = [];
    g.inst.subscribe('s', 0, (_i, r) => rows.push(...r.map((x) => [...x])));
    const emit = g.inst.prepareEmitter('s');
    const values = [7, 'x'];
    emit(values);
    values[0] = 9; // the caller may reuse its array
    emit(values);
    emit([8]);
    assert.deepEqual(rows, [[7, 'x'], [9, 'x'], [8, '']]);
    assert.match(throwsGadgetError(() => emit([-1])).message, /field "a": -1 is out of range for uint32/);
    assert.match(throwsGadgetError(() => g.inst.prepareEmitter('arr')([])).message, /array data source/);
    assert.match(throwsGadgetError(() => g.inst.prepareEmitter('nope')).message, /unknown data source "nope"/);
  });

  it('a subscriber that emits into its own data source keeps its rows intact during its call', async () => {
    const g = await load('(module (func (export "gadgetAPIVersion") (result i64) (i64.const 1)))', {
      dataSources: [{ name: 's', type: 'single', fields: [{ name: 'a', kind: 'uint32' }] }],
    });
    const seen: unknown[] = [];
    g.inst.subscribe('s', 0, (_i, r) => {
      const before = r[0][0];
      if (before === 1) g.inst.emitRow('s', [2]); // nested delivery of the same data source
      seen.push([before, r[0][0]]);
    });
    g.inst.emitRow('s', [1]);
    g.inst.emitRow('s', [3]);
    assert.deepEqual(seen, [[2, 2], [1, 1], [3, 3]]);
  });

  it('a replaced data source is not served from the last-lookup cache', async () => {
    const g = await load(`(module (import "ig" "newDataSource" (func $new (param i64 i32) (result i32)))
      (import "ig" "dataSourceAddField" (func $add (param i32 i64 i32) (result i32)))
      (memory (export "memory") 1) (data (i32.const 0) "s") (data (i32.const 8) "z")
      (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
      (func (export "gadgetInit") (result i32)
        (drop (call $add (call $new (i64.const ${(1n << 32n)}) (i32.const 1)) (i64.const ${(1n << 32n) | 8n}) (i32.const 8)))
        (i32.const 0)))`, { dataSources: [{ name: 's', type: 'single', fields: [{ name: 'a', kind: 'uint32' }] }] });
    g.inst.emit('s', { a: 1 });
    g.inst.callPhase('gadgetInit');
    const rows: unknown[] = [];
    g.inst.subscribe('s', 0, (info, r) => rows.push([info.fields.map((f) => f.name), ...r.map((x) => [...x])]));
    g.inst.emit('s', { z: 2 });
    assert.deepEqual(rows, [[['z'], [2]]]);
  });
});
