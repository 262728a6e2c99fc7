// `ig-wasm inspect` end to end on the example and on WAT modules.
import * as assert from 'node:assert/strict';
import { compileWat } from '../../support/wat';
import { TempDir, cli, helloWasm } from './helpers';

describe('ig-wasm inspect', function () {
  this.timeout(30000);
  let tmp: TempDir;
  beforeEach(() => { tmp = new TempDir(); });
  afterEach(() => tmp.remove());

  it('reports the example: current API, imports with signatures, exports, loadable (exit 0)', () => {
    const r = cli('inspect', helloWasm());
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /API revision: current \(host module 'ig'\)/);
    assert.match(r.stdout, /ig\.fieldGetScalar\s+\(i32, i32, i32, i32\) -> \(i64\)\s+current/);
    assert.match(r.stdout, /gadgetAPIVersion\s+\(\) -> \(i64\)/);
    assert.match(r.stdout, /loadable: every import is provided/);
  });

  it('lists unsupported imports and a missing gadgetAPIVersion (exit 1); --output json', async () => {
    const wasm = tmp.file('m.wasm', await compileWat(`(module
      (import "ig" "fooBar" (func (param i32) (result i32)))
      (import "env" "gadgetLog" (func (param i32 i64)))
      (memory (export "memory") 1))`));
    const r = cli('inspect', wasm, '--output', 'json');
    assert.equal(r.status, 1);
    const rep = JSON.parse(r.stdout) as { loadable: boolean; problems: string[]; moduleNames: string[] };
    assert.equal(rep.loadable, false);
    assert.ok(rep.problems.some((p) => /fooBar/.test(p)), rep.problems.join('\n'));
    assert.ok(rep.problems.some((p) => /gadgetAPIVersion/.test(p)));
    assert.deepEqual([...rep.moduleNames].sort(), ['env', 'ig']);
    const text = cli('inspect', wasm);
    assert.match(text.stdout, /ig\.fooBar\s+\(i32\) -> \(i32\)\s+UNSUPPORTED/);
    assert.match(text.stdout, /cannot be loaded \(2 problems\)/);
  });

  it('a file that is not wasm or does not exist: exit 2', () => {
    const bad = tmp.file('x.wasm', 'hello');
    const r = cli('inspect', bad);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not a valid wasm module/);
    assert.equal(cli('inspect', 'missing.wasm').status, 2);
    assert.equal(cli('inspect').status, 2);
  });
});
