import * as assert from 'node:assert/strict';
import { buildColumns } from '../../../src/metadata/columns';
import { compileFilter, compileTextFilter, parseRule, type FilterValue } from '../../../src/metadata/filter';

const cols = buildColumns([
  { name: 'pid', kind: 'uint32', annotations: {} },
  { name: 'comm', kind: 'string', annotations: {} },
  { name: 'ok', kind: 'bool', annotations: {} },
  { name: 'delta', kind: 'int64', annotations: {} },
  { name: 'load', kind: 'float64', annotations: {} },
  { name: 'flags', kind: 'uint32', annotations: { 'columns.hex': 'true' } },
  { name: 'raw', kind: 'bytes', annotations: {} },
]);
const rows: FilterValue[][] = [
  [1, 'bash', true, -5, 0.5, 255, 'ff'],
  [200, 'cat', false, '9007199254740993', 2.5, 16, '00'],
  [3000, 'bash', true, 7, 10, 0, ''],
];
const match = (f: string) => { const p = compileFilter(f, cols, 'ds')!; return rows.filter((r) => p(r)).map((r) => r[0]); };

describe('filters (IG syntax, shared by the grid and the CLI)', () => {
  it('parses rules like IG: name, operator run, value', () => {
    assert.deepEqual(parseRule('pid>=10'), { field: 'pid', op: '>=', value: '10' });
    assert.deepEqual(parseRule('comm=bash'), { field: 'comm', op: '==', value: 'bash' });
    assert.deepEqual(parseRule('open:comm!~^b'), { ds: 'open', field: 'comm', op: '!~', value: '^b' });
    assert.deepEqual(parseRule('comm==a=b'), { field: 'comm', op: '==', value: 'a=b' });
  });

  it('compares numbers by kind, exactly for 64-bit values', () => {
    assert.deepEqual(match('pid>100'), [200, 3000]);
    assert.deepEqual(match('pid<=200'), [1, 200]);
    assert.deepEqual(match('pid!=200'), [1, 3000]);
    assert.deepEqual(match('delta>9007199254740992'), [200]);
    assert.deepEqual(match('delta<0'), [1]);
    assert.deepEqual(match('load>=2.5'), [200, 3000]);
    assert.deepEqual(match('flags==255'), [1], 'hex columns compare their numbers');
  });

  it('compares the host\'s bigint values exactly (the CLI\'s rows)', () => {
    const p = compileFilter('delta>9007199254740992', cols, 'ds')!;
    assert.equal(p([1, 'a', true, 9007199254740993n, 0, 0, null]), true);
    assert.equal(p([1, 'a', true, 9007199254740992n, 0, 0, null]), false);
    assert.equal(compileFilter('pid==4026534661', buildColumns([{ name: 'pid', kind: 'uint64', annotations: {} }]), 'ds')!([4026534661n]), true);
  });

  it('compares strings, regexes, booleans; all rules must match', () => {
    assert.deepEqual(match('comm==bash'), [1, 3000]);
    assert.deepEqual(match('comm~^c'), [200]);
    assert.deepEqual(match('comm!~^c'), [1, 3000]);
    assert.deepEqual(match('ok==true'), [1, 3000]);
    assert.deepEqual(match('ok!=1'), [200]);
    assert.deepEqual(match('comm==bash,pid>1'), [3000]);
    assert.equal(compileFilter(' , ', cols, 'ds'), null);
  });

  it('says what is wrong with a bad rule', () => {
    const err = (f: string) => { try { compileFilter(f, cols, 'ds'); } catch (e) { return (e as Error).message; } return 'no error'; };
    assert.equal(err('nope==1'), 'filter "nope==1": field "nope" not found in data source "ds" (fields: pid, comm, ok, delta, load, flags, raw)');
    assert.equal(err('pid'), 'filter "pid": missing operator (one of ==, !=, >=, >, <=, <, ~, !~)');
    assert.equal(err('==3'), 'filter "==3": missing field name before the operator');
    assert.equal(err('pid=>3'), 'filter "pid=>3": invalid operator "=>" (use one of ==, !=, >=, >, <=, <, ~, !~)');
    assert.equal(err('pid>x'), 'filter "pid>x": "x" is not an integer (field "pid" is uint32)');
    assert.equal(err('pid>-1'), 'filter "pid>-1": -1 is out of range for uint32 (0..4294967295)');
    assert.equal(err('pid~1'), 'filter "pid~1": regular expressions only apply to string fields ("pid" is uint32)');
    assert.match(err('comm~('), /^filter "comm~\(": invalid regular expression: /);
    assert.equal(err('ok>true'), 'filter "ok>true": boolean fields can only be compared with == or !=');
    assert.equal(err('ok==yes'), 'filter "ok==yes": "yes" is not a boolean (true, false, 1 or 0)');
    assert.equal(err('load>fast'), 'filter "load>fast": "fast" is not a number (field "load" is float64)');
    assert.equal(err('raw==ff'), 'filter "raw==ff": fields of kind bytes can\'t be filtered (field "raw")');
    assert.equal(err('other:pid>1'), 'filter "other:pid>1": is for data source "other", this is "ds"');
  });

  it('matches free text in any column as shown, case-insensitively', () => {
    const p = compileTextFilter('0XF', cols)!;
    assert.deepEqual(rows.filter((r) => p(r)).map((r) => r[0]), [1], '255 shows as 0xFF');
    const q = compileTextFilter('BASH', cols)!;
    assert.deepEqual(rows.filter((r) => q(r)).map((r) => r[0]), [1, 3000]);
    assert.equal(compileTextFilter('  ', cols), null);
  });
});
