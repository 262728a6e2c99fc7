import * as assert from 'node:assert/strict';
import { GadgetInstance, inspectModule } from '../../../../src/host/engine/instance';
import { compileWat } from '../../../support/wat';
import { VERSION, load, loadFails, loadProxy, throwsGadgetError } from '../guest';

const noop = { onLog: () => undefined };

describe('host: loading', () => {
  describe('imports', () => {
    it('accepts IG functions under both module names, ig and env', async () => {
      for (const module of ['ig', 'env']) {
        const g = await load(`(module (import "${module}" "gadgetLog" (func $log (param i32 i64)))
          (memory (export "memory") 1) (data (i32.const 0) "hi") ${VERSION}
          (func (export "gadgetInit") (result i32) (call $log (i32.const 2) (i64.const ${(2n << 32n)})) (i32.const 0)))`);
        g.inst.callPhase('gadgetInit');
        assert.deepEqual(g.messages(), ['hi'], module);
      }
    });

    it('lists every unknown import and signature mismatch with its signature in one load error', async () => {
      const err = await loadFails(`(module
        (import "ig" "noSuchFunction" (func (param i32) (result i32)))
        (import "ig" "fieldSet" (func (param i32 i32 i32 i32) (result i32)))
        (import "env" "gadgetLog" (func (param i32 i64)))
        (import "other" "thing" (func))
        (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32) (result i32)))
        (import "ig" "someGlobal" (global i32))
        ${VERSION})`);
      assert.equal(err.phase, 'load');
      const lines = err.message.split('\n').map((l) => l.trim());
      assert.match(lines[0], /unsupported imports \(5\)/);
      assert.ok(lines.includes('ig.noSuchFunction (i32) -> (i32): not provided by this host'), err.message);
      assert.ok(lines.some((l) => l.startsWith('ig.fieldSet (i32, i32, i32, i32) -> (i32): signature does not match; provided: (field i32, data i32, kind i32, value i64) -> (i32) or (field i32, data i32, kind i32, value i64) -> ()')), err.message);
      assert.ok(lines.includes('other.thing () -> (): unknown module "other"'), err.message);
      assert.ok(lines.some((l) => l.startsWith('wasi_snapshot_preview1.fd_write (i32, i32, i32) -> (i32): signature does not match')), err.message);
      assert.ok(lines.includes('ig.someGlobal (global): not provided by this host'), err.message);
      assert.ok(!err.message.includes('gadgetLog'), 'valid imports are not listed');
    });

    it('provides every kernel-bound function under both module names, answering as IG with no kernel state', async () => {
      const sigs: [string, string, string][] = [
        ['getMap', '(param i64) (result i32)', '(i64.const 0)'],
        ['newMap', '(param i64 i32 i32 i32 i32) (result i32)', '(i64.const 0) (i32.const 1) (i32.const 4) (i32.const 4) (i32.const 8)'],
        ['mapLookup', '(param i32 i64 i64) (result i32)', '(i32.const 7) (i64.const 0) (i64.const 0)'],
        ['mapUpdate', '(param i32 i64 i64 i64) (result i32)', '(i32.const 7) (i64.const 0) (i64.const 0) (i64.const 0)'],
        ['mapDelete', '(param i32 i64) (result i32)', '(i32.const 7) (i64.const 0)'],
        ['mapRelease', '(param i32) (result i32)', '(i32.const 7)'],
        ['getSyscallDeclaration', '(param i64 i64) (result i32)', '(i64.const 0) (i64.const 0)'],
        ['newPerfReader', '(param i32 i32 i32) (result i32)', '(i32.const 7) (i32.const 4096) (i32.const 0)'],
        ['perfReaderPause', '(param i32) (result i32)', '(i32.const 7)'],
        ['perfReaderResume', '(param i32) (result i32)', '(i32.const 7)'],
        ['perfReaderRead', '(param i32 i64) (result i32)', '(i32.const 7) (i64.const 0)'],
        ['perfReaderClose', '(param i32) (result i32)', '(i32.const 7)'],
        ['kallsymsSymbolExists', '(param i64) (result i32)', '(i64.const 0)'],
        ['shouldDiscardMntnsID', '(param i64) (result i32)', '(i64.const 12345)'],
      ];
      for (const module of ['ig', 'env']) {
        const g = await load(`(module
          ${sigs.map(([n, s]) => `(import "${module}" "${n}" (func $${n} ${s}))`).join('\n')}
          (memory (export "memory") 1) ${VERSION}
          ${sigs.map(([n, , args]) => `(func (export "x_${n}") (result i32) (call $${n} ${args}))`).join('\n')})`);
        const ex = g.inst.exports as Record<string, () => number>;
        const got = Object.fromEntries(sigs.map(([n]) => [n, ex[`x_${n}`]()]));
        assert.deepEqual(got, {
          getMap: 0, newMap: 1, mapLookup: 1, mapUpdate: 1, mapDelete: 1, mapRelease: 1, getSyscallDeclaration: 1,
          newPerfReader: 1, perfReaderPause: 1, perfReaderResume: 1, perfReaderRead: 1, perfReaderClose: 1,
          kallsymsSymbolExists: 0, shouldDiscardMntnsID: 0,
        }, module);
      }
    });
  });

  it('getSyscallName / getSyscallID use a static x86_64 table', async () => {
    const p = await loadProxy({ sigs: { getSyscallName: '(param i32 i64) (result i32)', getSyscallID: '(param i64) (result i32)' } });
    const name = (id: number, len = 64) => { const dst = p.buf(len); return [p.x.getSyscallName(id, dst), p.text(dst).replace(/\0+$/, '')]; };
    assert.deepEqual(name(0), [0, 'read']);
    assert.deepEqual(name(59), [0, 'execve']);
    assert.deepEqual(name(257), [0, 'openat']);
    assert.deepEqual(name(435), [0, 'clone3']);
    assert.deepEqual(name(400), [0, 'syscall_190'], 'unknown ids are named syscall_<hex>');
    assert.deepEqual(name(0x10000 + 1), [0, 'write'], 'the id is truncated to 16 bits');
    assert.deepEqual(name(257, 3), [1, ''], 'destination too small');
    assert.equal(p.x.getSyscallID(p.str('openat')), 257);
    assert.equal(p.x.getSyscallID(p.str('exit_group')), 231);
    assert.equal(p.x.getSyscallID(p.str('listns')), 470);
    assert.equal(p.x.getSyscallID(p.str('nosuchcall')), -1);
    assert.equal(p.x.getSyscallID((1n << 32n) | 0x7fffffffn), -1);
  });

  describe('memory cap (256 pages, 16 MiB)', () => {
    const grower = (mem: string) => `(module ${mem} ${VERSION}
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "size") (result i32) (memory.size)))`;

    for (const [label, mem] of [
      ['defined, no maximum', '(memory (export "memory") 1)'],
      ['defined, maximum above the cap', '(memory (export "memory") 1 65536)'],
      ['imported, no maximum', '(import "env" "memory" (memory 1))'],
      ['imported, maximum above the cap', '(import "env" "memory" (memory 1 1000))'],
    ] as const) {
      it(`${label}: growth to 256 pages works, past it memory.grow returns -1`, async () => {
        const g = await load(grower(mem));
        const ex = g.inst.exports as { grow: (n: number) => number; size: () => number };
        assert.equal(ex.grow(255), 1);
        assert.equal(ex.size(), 256);
        assert.equal(ex.grow(1), -1);
        assert.equal(ex.size(), 256);
      });
    }

    it('an imported memory whose maximum is below its minimum is a load error, not a crash', async () => {
      // wabt refuses to write this module: the bytes are hand-made (import env.memory, limits min 5 max 2).
      const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 2, 16, 1, 3, 0x65, 0x6e, 0x76, 6, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 2, 1, 5, 2]);
      await assert.rejects(GadgetInstance.load(bytes, noop),
        /GadgetError: load: unsupported imports \(1\):\n {2}env\.memory \(memory\): maximum 2 is below minimum 5/);
    });

    it('a smaller declared maximum is kept', async () => {
      const g = await load(grower('(memory (export "memory") 1 4)'));
      const ex = g.inst.exports as { grow: (n: number) => number };
      assert.equal(ex.grow(3), 1);
      assert.equal(ex.grow(1), -1);
    });

    it('a declared minimum above 256 pages is a load error (defined or imported)', async () => {
      const a = await loadFails(grower('(memory (export "memory") 257)'));
      assert.equal(a.phase, 'load');
      assert.match(a.message, /minimum of 257 pages; the limit is 256 pages \(16 MiB\)/);
      const b = await loadFails(grower('(import "env" "memory" (memory 300))'));
      assert.match(b.message, /env\.memory \(memory\): minimum of 300 pages exceeds the limit of 256 pages/);
    });

    it('host functions see memory grown by the guest (views re-fetched)', async () => {
      const g = await load(`(module (import "ig" "gadgetLog" (func $log (param i32 i64)))
        (memory (export "memory") 1) ${VERSION}
        (func (export "gadgetInit") (result i32)
          (drop (memory.grow (i32.const 2)))
          (i32.store8 (i32.const 0x20000) (i32.const 65)) ;; 'A' in the newly grown part
          (call $log (i32.const 2) (i64.const ${(1n << 32n) | 0x20000n}))
          (i32.const 0)))`);
      g.inst.callPhase('gadgetInit');
      assert.deepEqual(g.messages(), ['A']);
    });
  });

  describe('start, _initialize and gadgetAPIVersion', () => {
    it('calls _initialize, never _start; a start section runs during instantiation', async () => {
      const g = await load(`(module (import "ig" "gadgetLog" (func $log (param i32 i64)))
        (memory (export "memory") 1) (data (i32.const 0) "init") (data (i32.const 8) "START") (data (i32.const 16) "s")
        (global $started (mut i32) (i32.const 0))
        (func $start (global.set $started (i32.const 1)))
        (start $start)
        (func (export "_initialize") (call $log (i32.const 2) (i64.const ${(4n << 32n)})))
        (func (export "_start") (call $log (i32.const 2) (i64.const ${(5n << 32n) | 8n})))
        (func (export "started") (result i32) (global.get $started))
        ${VERSION})`);
      assert.deepEqual(g.messages(), ['init']);
      assert.equal((g.inst.exports as { started: () => number }).started(), 1);
    });

    it('a start section can call host functions when the memory is imported', async () => {
      const g = await load(`(module (import "ig" "gadgetLog" (func $log (param i32 i64)))
        (import "env" "memory" (memory 1)) (data (i32.const 0) "from start")
        (func $s (call $log (i32.const 2) (i64.const ${(10n << 32n)}))) (start $s) ${VERSION})`);
      assert.deepEqual(g.messages(), ['from start']);
    });

    it('gadgetAPIVersion is mandatory, must be 1, i64 or i32', async () => {
      const missing = await loadFails('(module)');
      assert.equal(missing.phase, 'gadgetAPIVersion');
      assert.match(missing.message, /wasm module doesn't export gadgetAPIVersion/);
      const two = await loadFails('(module (func (export "gadgetAPIVersion") (result i64) (i64.const 2)))');
      assert.match(two.message, /unsupported gadget API version: 2, expected: 1/);
      const neg = await loadFails('(module (func (export "gadgetAPIVersion") (result i64) (i64.const -1)))');
      assert.match(neg.message, /unsupported gadget API version: 18446744073709551615, expected: 1/);
      const none = await loadFails('(module (func (export "gadgetAPIVersion")))');
      assert.match(none.message, /no result/);
      await load('(module (func (export "gadgetAPIVersion") (result i32) (i32.const 1)))');
      const trap = await loadFails('(module (func (export "gadgetAPIVersion") (result i64) unreachable))');
      assert.equal(trap.phase, 'gadgetAPIVersion');
      assert.match(trap.message, /calling gadgetAPIVersion: wasm trap: unreachable/);
    });

    it('traps in _initialize and in the start section fail loading with their phase', async () => {
      const init = await loadFails(`(module (func (export "_initialize") unreachable) ${VERSION})`);
      assert.equal(init.phase, '_initialize');
      assert.match(init.message, /unreachable/);
      const start = await loadFails(`(module (func $s unreachable) (start $s) ${VERSION})`);
      assert.equal(start.phase, 'load');
      assert.match(start.message, /instantiating the module: .*unreachable/);
    });

    it('bytes that are not wasm, or a broken module, fail loading with the reason', async () => {
      await assert.rejects(GadgetInstance.load(new TextEncoder().encode('hello world'), noop),
        /load: not a valid wasm module: not a wasm module \(missing \\0asm magic\)/);
      const bytes = await compileWat(`(module (func (export "gadgetAPIVersion") (result i64) (i64.const 1)))`);
      await assert.rejects(GadgetInstance.load(bytes.slice(0, bytes.length - 3), noop), /load: not a valid wasm module: .* at byte \d+/);
      const invalid = bytes.slice();
      invalid[invalid.length - 3] = 0x41; // i64.const 1 becomes i32.const 1: a type error in the body
      await assert.rejects(GadgetInstance.load(invalid, noop), /load: compiling the module/);
    });
  });

  it('bad host data source declarations fail loading with what and where', async () => {
    const bad: [unknown, RegExp][] = [
      [[{ name: '', type: 'single', fields: [] }], /host data source with an empty name/],
      [[{ name: 'a', type: 'single', fields: [] }, { name: 'a', type: 'array', fields: [] }], /host data source "a" is declared twice/],
      [[{ name: 'a', type: 'multi', fields: [] }], /host data source "a": type must be single or array, got multi/],
      [[{ name: 'a', type: 'single', fields: {} }], /host data source "a": fields must be a list/],
      [[{ name: 'a', type: 'single', fields: [{ kind: 'uint8' }] }], /host data source "a": a field has no name/],
      [[{ name: 'a', type: 'single', fields: [{ name: 'x', kind: 'u8' }] }], /host data source "a", field "x": unknown kind "u8"/],
      [[{ name: 'a', type: 'single', fields: [{ name: 'x', kind: 'uint8' }, { name: 'x', kind: 'uint8' }] }], /field "x" is declared twice/],
      [[{ name: 'a', type: 'single', fields: [{ name: 'x', kind: 'uint8', tags: 't' }] }], /tags must be a list of strings/],
    ];
    for (const [dataSources, re] of bad) {
      const e = await loadFails(`(module ${VERSION})`, { dataSources: dataSources as never });
      assert.equal(e.phase, 'load');
      assert.match(e.message, re);
    }
    const cfg = await loadFails(`(module ${VERSION})`, { config: { f: () => 1 } });
    assert.match(cfg.message, /the initial config is not plain data/);
  });

  describe('dataSourceCallback signature', () => {
    const guest = (sig: string) => `(module
      (import "ig" "getDataSource" (func $get (param i64) (result i32)))
      (import "ig" "dataSourceSubscribe" (func $sub (param i32 i32 i32 i64) (result i32)))
      (memory (export "memory") 1) (data (i32.const 0) "open") ${VERSION}
      (global $last (mut i32) (i32.const -1))
      (func (export "gadgetInit") (result i32) (call $sub (call $get (i64.const ${4n << 32n})) (i32.const 1) (i32.const 0) (i64.const 0x100000007)))
      (func (export "last") (result i32) (global.get $last))
      (func (export "dataSourceCallback") ${sig} ${sig.includes('i32 i32 i32') ? '(global.set $last (local.get 0))' : ''}))`;
    const ds = { dataSources: [{ name: 'open', type: 'single' as const, fields: [] }] };

    it('an i32 callback id is accepted and truncated', async () => {
      const g = await load(guest('(param i32 i32 i32)'), ds);
      g.inst.callPhase('gadgetInit');
      g.inst.emit('open', {});
      assert.equal((g.inst.exports as { last: () => number }).last(), 7);
      assert.deepEqual(g.errors, []);
    });

    it('another shape is a load error naming it', async () => {
      const e = await loadFails(guest('(param i64 i32)'), ds);
      assert.equal(e.phase, 'load');
      assert.match(e.message, /dataSourceCallback has the signature \(i64, i32\) -> \(\); expected \(i64, i32, i32\) -> \(\)/);
    });
  });

  describe('lifecycle phases', () => {
    const phases = ['gadgetInit', 'gadgetPreStart', 'gadgetStart', 'gadgetStop', 'gadgetPostStop'] as const;

    it('all phases are optional', async () => {
      const g = await load(`(module ${VERSION})`);
      for (const p of phases) g.inst.callPhase(p);
    });

    for (const phase of phases) {
      it(`${phase}: a non-zero result or a trap fails the phase with the cause; no result is success`, async () => {
        const ret = await load(`(module ${VERSION} (func (export "${phase}") (result i32) (i32.const 3)))`);
        const e1 = throwsGadgetError(() => ret.inst.callPhase(phase));
        assert.equal(e1.phase, phase);
        assert.equal(e1.message, `${phase}: ${phase} failed (returned 3)`);
        const trap = await load(`(module ${VERSION} (func (export "${phase}") (result i32) (i32.div_s (i32.const 1) (i32.const 0))))`);
        const e2 = throwsGadgetError(() => trap.inst.callPhase(phase));
        assert.equal(e2.phase, phase);
        assert.match(e2.message, new RegExp(`calling ${phase}: wasm trap: divide by zero`));
        const none = await load(`(module ${VERSION} (func (export "${phase}")))`);
        none.inst.callPhase(phase);
      });
    }

    it('a stack overflow in a phase is reported, not a crash', async () => {
      const g = await load(`(module ${VERSION} (func $r (export "gadgetInit") (result i32) (call $r)))`);
      const e = throwsGadgetError(() => g.inst.callPhase('gadgetInit'));
      assert.match(e.message, /calling gadgetInit: wasm trap: call stack exhausted \(the guest recursed too deeply\)/);
    });

    it('guest handles are invalid after gadgetStop, as in IG', async () => {
      const g = await load(`(module (import "ig" "getDataSource" (func $get (param i64) (result i32)))
        (import "ig" "dataSourceIsReferenced" (func $isref (param i32) (result i32)))
        (memory (export "memory") 1) (data (i32.const 0) "open") (global $h (mut i32) (i32.const 0)) ${VERSION}
        (func (export "gadgetInit") (result i32) (global.set $h (call $get (i64.const ${4n << 32n}))) (i32.const 0))
        (func (export "check") (result i32) (call $isref (global.get $h))))`, { dataSources: [{ name: 'open', type: 'single', fields: [] }] });
      g.inst.callPhase('gadgetInit');
      const check = (g.inst.exports as { check: () => number }).check;
      assert.equal(check(), 1);
      g.inst.callPhase('gadgetStop');
      assert.equal(check(), 2, 'bad handle after Stop');
      assert.equal(g.inst.handleCount, 0);
    });
  });

  describe('inspectModule', () => {
    it('reports revision, module names, imports with variants, exports and memory', async () => {
      const current = inspectModule(await compileWat(`(module
        (import "ig" "fieldSet" (func (param i32 i32 i32 i64) (result i32)))
        (import "ig" "newMap" (func (param i64 i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 2 300) ${VERSION} (func (export "gadgetInit") (result i32) (i32.const 0)))`));
      assert.equal(current.apiRevision, 'current');
      assert.deepEqual(current.moduleNames, ['ig']);
      assert.equal(current.wasi, true);
      assert.deepEqual(current.imports[0], { module: 'ig', name: 'fieldSet', kind: 'function', signature: '(i32, i32, i32, i64) -> (i32)', provided: true, revision: 'current' });
      assert.equal(current.imports[1].revision, 'kernel');
      assert.equal(current.imports[2].revision, 'wasi');
      assert.deepEqual(current.memory, { imported: false, minPages: 2, maxPages: 300, effectiveMaxPages: 256 });
      assert.deepEqual(current.lifecycle, ['gadgetInit']);
      assert.equal(current.hasApiVersion, true);
      assert.deepEqual(current.exports.find((e) => e.name === 'gadgetAPIVersion'), { name: 'gadgetAPIVersion', kind: 'function', signature: '() -> (i64)' });
      assert.deepEqual(current.unsupported, []);

      const seed = inspectModule(await compileWat(`(module
        (import "env" "fieldGet" (func (param i32 i32 i32) (result i64)))
        (import "env" "fieldSet" (func (param i32 i32 i32 i64)))
        (import "env" "bogus" (func (param i32)))
        (import "env" "memory" (memory 1)))`));
      assert.equal(seed.apiRevision, 'seed');
      assert.deepEqual(seed.moduleNames, ['env']);
      assert.equal(seed.imports[1].revision, 'seed');
      assert.deepEqual(seed.unsupported, ['env.bogus (i32) -> (): not provided by this host']);
      assert.equal(seed.memory?.imported, true);
      assert.equal(seed.hasApiVersion, false);

      const mixed = inspectModule(await compileWat(`(module
        (import "env" "fieldGet" (func (param i32 i32 i32) (result i64)))
        (import "ig" "fieldGetScalar" (func (param i32 i32 i32 i32) (result i64))))`));
      assert.equal(mixed.apiRevision, 'mixed');
      assert.equal(inspectModule(await compileWat('(module)')).apiRevision, 'unknown');
      const goEnv = inspectModule(await compileWat(`(module (import "env" "fieldGetScalar" (func (param i32 i32 i32 i32) (result i64))))`));
      assert.equal(goEnv.apiRevision, 'current', 'the Go wasmapi imported today\'s functions from env before v0.39');
      assert.equal(inspectModule(await compileWat(`(module (import "env" "gadgetLog" (func (param i32 i64))))`)).apiRevision, 'unknown');
      assert.throws(() => inspectModule(new Uint8Array([1, 2, 3])), /not a wasm module/);
    });
  });
});
