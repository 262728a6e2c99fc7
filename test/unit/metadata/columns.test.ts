import * as assert from 'node:assert/strict';
import { buildColumns, cellText, formatValue, headerText, padCell, shorten, type ColumnField } from '../../../src/metadata/columns';
import { isVisible } from '../../../src/webview/columns';

const f = (name: string, kind: ColumnField['kind'], annotations: Record<string, string> = {}): ColumnField => ({ name, kind, annotations });

describe('columns from annotations', () => {
  it('applies a template, with the field\'s own annotations over it', () => {
    const [pid, ts, comm] = buildColumns([
      f('pid', 'uint32', { template: 'pid', description: 'the PID' }),
      f('ts', 'uint64', { template: 'timestamp' }),
      f('comm', 'string', { template: 'comm', 'columns.hidden': 'true' }),
    ]);
    assert.equal(pid!.alignment, 'right');
    assert.equal(pid!.minWidth, 7);
    assert.equal(pid!.description, 'the PID');
    assert.equal(ts!.hiddenByDefault, true);
    assert.equal(ts!.width, 35);
    assert.equal(ts!.maxWidth, 35);
    assert.equal(ts!.description, 'Microseconds since Unix epoch');
    assert.equal(comm!.maxWidth, 16);
    assert.equal(comm!.hiddenByDefault, true);
  });

  it('left-aligns every kind by default, as IG does (only templates such as pid right-align); honours columns.alignment', () => {
    const cols = buildColumns([f('a', 'int64'), f('b', 'float32'), f('c', 'string'), f('d', 'uint8', { 'columns.alignment': 'left' }), f('e', 'string', { 'columns.alignment': 'right' }), f('p', 'uint32', { template: 'pid' })]);
    assert.deepEqual(cols.map((c) => c.alignment), ['left', 'left', 'left', 'left', 'right', 'right']);
  });

  it('sizes columns in characters: width, minwidth, maxwidth, defaults', () => {
    const cols = buildColumns([
      f('s', 'string'),
      f('w', 'string', { 'columns.width': '40', 'columns.maxwidth': '30' }),
      f('m', 'string', { 'columns.width': '5', 'columns.minwidth': '9' }),
      f('u', 'uint64'),
      f('x', 'uint32', { 'columns.hex': 'true' }),
    ]);
    assert.deepEqual(cols.map((c) => c.width), [16, 30, 9, 20, 10]);
  });

  it('keeps defaults and warns about bad annotation values', () => {
    const [c] = buildColumns([f('x', 'string', { 'columns.width': 'wide', 'columns.alignment': 'center', 'columns.ellipsis': 'both', 'columns.hex': 'true', template: 'nope' })]);
    assert.equal(c!.width, 16);
    assert.equal(c!.alignment, 'left');
    assert.equal(c!.ellipsis, 'end');
    assert.equal(c!.hex, false);
    assert.deepEqual(c!.warnings, [
      'template: unknown template "nope"',
      'columns.alignment: "center" is not left or right',
      'columns.ellipsis: "both" is not start, middle, end or ""',
      'columns.hex only applies to integer fields (this one is string)',
      'columns.width: "wide" is not a whole number',
    ]);
  });

  it('reads IG\'s spellings: "" for no ellipsis (warning on "none", which IG rejects), "type" for the kind\'s widest value', () => {
    const [a, b, c] = buildColumns([f('a', 'string', { 'columns.ellipsis': '' }), f('b', 'string', { 'columns.ellipsis': 'none' }), f('c', 'uint16', { 'columns.width': 'type' })]);
    assert.equal(a!.ellipsis, 'none');
    assert.deepEqual(a!.warnings, []);
    assert.equal(b!.ellipsis, 'none');
    assert.match(b!.warnings.join(), /fails on "none"/);
    assert.equal(c!.width, 5);
  });

  it('lets the user override visibility either way', () => {
    const [a, b] = buildColumns([f('a', 'string', { 'columns.hidden': 'true' }), f('b', 'string')]);
    assert.equal(isVisible(a!, undefined), false);
    assert.equal(isVisible(b!, undefined), true);
    assert.equal(isVisible(a!, { visible: { a: true }, widths: {} }), true);
    assert.equal(isVisible(b!, { visible: { b: false }, widths: {} }), false);
  });
});

describe('cell text', () => {
  const [hex, dec, big] = buildColumns([f('h', 'int32', { 'columns.hex': 'true' }), f('d', 'uint32'), f('b', 'uint64', { 'columns.hex': 'true' })]);

  it('prints hex like IG: 0x and upper-case digits', () => {
    assert.equal(formatValue(255, hex!), '0xFF');
    assert.equal(formatValue(-26, hex!), '0x-1A');
    assert.equal(formatValue('18446744073709551615', big!), '0xFFFFFFFFFFFFFFFF');
    assert.equal(formatValue(255, dec!), '255');
  });

  it('prints booleans, missing values and text as is', () => {
    const [s, b] = buildColumns([f('s', 'string'), f('b', 'bool')]);
    assert.equal(formatValue(true, b!), 'true');
    assert.equal(formatValue(null, s!), '');
    assert.equal(formatValue('<b>x</b>', s!), '<b>x</b>');
  });

  it('prints bytes and array kinds by size only, as IG (pkg/datasource/columns.go `<%d bytes>`)', () => {
    const [raw, u16, f32, strs, n] = buildColumns([f('raw', 'bytes'), f('u16', 'arrayofuint16'), f('f32', 'arrayoffloat32', { 'columns.hex': 'true' }),
      f('strs', 'arrayofstring'), f('n', 'uint8')]);
    // Values travel as hex text: 3 uint16 elements are 6 bytes, 2 float32 elements 8.
    assert.equal(formatValue('0102ff', raw!), '<3 bytes>');
    assert.equal(formatValue('010002000300', u16!), '<6 bytes>');
    assert.equal(formatValue('0000803f00000040', f32!), '<8 bytes>');
    assert.equal(formatValue('6100620063000000', strs!), '<8 bytes>');
    assert.equal(formatValue('', u16!), '<0 bytes>');
    assert.equal(formatValue(null, u16!), '');
    assert.equal(formatValue(7, n!), '7');
    assert.equal(cellText('0102ff', raw!, 5), '<3 b…');
    // columns.hex does not apply to arrays (IG's hex is for integer columns).
    assert.equal(f32!.hex, false);
  });

  it('shortens with IG\'s ellipsis modes', () => {
    assert.equal(shorten('abcdefghij', 6, 'end'), 'abcde…');
    assert.equal(shorten('abcdefghij', 6, 'start'), '…fghij');
    assert.equal(shorten('abcdefghij', 6, 'middle'), 'abc…ij');
    assert.equal(shorten('abcdefghij', 7, 'middle'), 'abc…hij');
    assert.equal(shorten('abcdefghij', 6, 'none'), 'abcdef');
    assert.equal(shorten('abcdefghij', 1, 'end'), '…');
    assert.equal(shorten('abc', 6, 'end'), 'abc');
    assert.equal(shorten('😀😀😀😀', 3, 'end'), '😀😀…', 'counts code points, not UTF-16 units');
  });

  it('gives the cell text at a column width', () => {
    const [c] = buildColumns([f('p', 'string', { 'columns.ellipsis': 'start' })]);
    assert.equal(cellText('/usr/lib/x86_64/libc.so', c!, 8), '…libc.so');
  });

  it('pads to the width on the side opposite the alignment; headers are upper-cased and cut with an end ellipsis', () => {
    assert.equal(padCell('42', 5, 'right'), '   42');
    assert.equal(padCell('ab', 4, 'left'), 'ab  ');
    assert.equal(padCell('😀x', 3, 'left'), '😀x ', 'counts code points');
    assert.equal(headerText({ name: 'filename', width: 5, alignment: 'right' }), 'FILE…');
    assert.equal(headerText({ name: 'pid', width: 7, alignment: 'right' }), '    PID');
  });
});
