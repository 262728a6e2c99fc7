import * as assert from 'node:assert/strict';
import { ALL_IG, Strings, VERSION, load } from './guest';

describe('host: smoke', () => {
  it('loads a guest, logs, subscribes and modifies a host packet', async () => {
    const s = new Strings();
    const wat = `(module ${ALL_IG()}
      (memory (export "memory") 1)
      (global $ds (mut i32) (i32.const 0))
      (global $f (mut i32) (i32.const 0))
      ${VERSION}
      (func (export "gadgetInit") (result i32)
        (call $gadgetLog (i32.const 2) ${s.bp('hello from init')})
        (global.set $ds (call $getDataSource ${s.bp('open')}))
        (global.set $f (call $dataSourceGetField (global.get $ds) ${s.bp('pid')}))
        (drop (call $dataSourceSubscribe (global.get $ds) (i32.const 1) (i32.const 0) (i64.const 7)))
        (i32.const 0))
      (func (export "dataSourceCallback") (param i64 i32 i32)
        (drop (call $fieldSet (global.get $f) (local.get 2) (i32.const 8)
          (i64.add (call $fieldGetScalar (global.get $f) (local.get 2) (i32.const 8) (i32.const 0)) (i64.const 1000)))))
      ${s.data()})`;
    const g = await load(wat, { dataSources: [{ name: 'open', type: 'single', fields: [{ name: 'pid', kind: 'uint32' }] }] });
    g.inst.callPhase('gadgetInit');
    const seen: unknown[] = [];
    g.inst.subscribeAll(50000, (_info, rows) => seen.push(rows[0][0]));
    g.inst.emit('open', { pid: 1 });
    assert.deepEqual(seen, [1001]);
    assert.deepEqual(g.messages('info'), ['hello from init']);
    assert.deepEqual(g.errors, []);
  });
});
