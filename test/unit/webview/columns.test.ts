import * as assert from 'node:assert/strict';
import { buildColumns, isVisible } from '../../../src/webview/columns';
import { cellText, formatValue, shorten } from '../../../src/webview/format';
import type { WireField } from '../../../src/webview/protocol';

const f = (name: string, kind: WireField['kind'], annotations: Record<string, string> = {}): WireField => ({ name, kind, annotations });

describe('webview columns from annotations', () => {
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

  it('right-aligns numbers by default, left-aligns the rest, honours columns.alignment', () => {
    const cols = buildColumns([f('a', 'int64'), f('b', 'float32'), f('c', 'string'), f('d', 'uint8', { 'columns.alignment': 'left' }), f('e', 'string', { 'columns.alignment': 'right' })]);
    assert.deepEqual(cols.map((c) => c.alignment), ['right', 'right', 'left', 'left', 'right']);
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
      'columns.ellipsis: "both" is not none, start, middle or end',
      'columns.hex only applies to integer fields (this one is string)',
      'columns.width: "wide" is not a whole number',
    ]);
  });

  it('lets the user override visibility either way', () => {
    const [a, b] = buildColumns([f('a', 'string', { 'columns.hidden': 'true' }), f('b', 'string')]);
    assert.equal(isVisible(a!, undefined), false);
    assert.equal(isVisible(b!, undefined), true);
    assert.equal(isVisible(a!, { visible: { a: true }, widths: {} }), true);
    assert.equal(isVisible(b!, { visible: { b: false }, widths: {} }), false);
  });
});

describe('webview formatting', () => {
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
});
