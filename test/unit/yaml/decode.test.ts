// Text files must be UTF-8 (issue 11 §6): the first invalid byte is an error with its line and column,
// never a silent U+FFFD. Checked against the strict WHATWG decoder byte sequence by byte sequence.
import * as assert from 'node:assert/strict';
import { TextDecodeError, decodeUtf8, firstInvalid } from '../../../src/yaml/decode';
import { lintGadgetYamlBytes } from '../../../src/metadata';

const B = (...b: number[]): Uint8Array => new Uint8Array(b);
const fails = (bytes: Uint8Array): TextDecodeError => {
  try { decodeUtf8(bytes); } catch (e) { if (e instanceof TextDecodeError) return e; throw e; }
  throw new Error('expected a TextDecodeError');
};

describe('decodeUtf8', () => {
  it('decodes valid text (a BOM dropped), multi-byte characters included', () => {
    assert.equal(decodeUtf8(new TextEncoder().encode('name: é€😀\n')), 'name: é€😀\n');
    assert.equal(decodeUtf8(B(0xef, 0xbb, 0xbf, 0x61)), 'a');
  });

  it('the issue\'s bytes \\xff\\xfe\\xc3( are refused at the \\xff, with line and column', () => {
    const e = fails(new Uint8Array([...Buffer.from('name: x\ndescription: "'), 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x0a]));
    assert.equal(e.line, 2);
    assert.equal(e.column, 15);
    assert.equal(e.offset, 22);
    assert.match(e.reason, /invalid UTF-8 at byte 22 \(\\xff\\xfe\\xc3\\x28\)/);
  });

  it('columns count characters, not bytes', () => {
    const e = fails(new Uint8Array([...Buffer.from('é€'), 0x80]));
    assert.deepEqual([e.line, e.column], [1, 3]);
  });

  it('finds the same first bad byte as the strict decoder: overlong, surrogates, past U+10FFFF, truncated', () => {
    const cases: [Uint8Array, number][] = [
      [B(0xc0, 0xaf), 0], [B(0xe0, 0x80, 0xaf), 0], [B(0xed, 0xa0, 0x80), 0], [B(0xf4, 0x90, 0x80, 0x80), 0],
      [B(0x61, 0xe2, 0x82), 1], [B(0x61, 0xf0, 0x9f, 0x98), 1], [B(0x61, 0xc3, 0x28), 1], [B(0xf8, 0x88, 0x80, 0x80, 0x80), 0],
      [B(0x61, 0x62), 2], [B(0xf0, 0x9f, 0x98, 0x80, 0xfe), 4],
    ];
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (const [bytes, at] of cases) {
      assert.equal(firstInvalid(bytes), at, Buffer.from(bytes).toString('hex'));
      const valid = (() => { try { strict.decode(bytes); return true; } catch { return false; } })();
      assert.equal(valid, at === bytes.length, Buffer.from(bytes).toString('hex'));
      if (!valid) assert.doesNotThrow(() => strict.decode(bytes.subarray(0, at)));
    }
  });

  it('lintGadgetYamlBytes: an invalid-utf8 error at the first bad byte, otherwise the text\'s lint', () => {
    const bad = lintGadgetYamlBytes(new Uint8Array([...Buffer.from('name: x\ndescription: "'), 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x0a]));
    assert.deepEqual(bad.diagnostics.map((d) => [d.severity, d.code, d.range.start.line, d.range.start.character]), [['error', 'invalid-utf8', 1, 14]]);
    const good = lintGadgetYamlBytes(Buffer.from('name: x\n'));
    assert.equal(good.text, 'name: x\n');
    assert.equal(good.diagnostics.filter((d) => d.severity === 'error').length, 0);
  });
});
