// Run Gadget's pure input checks: param values by IG type hint, build.yaml's `wasm:`, status-bar counts.
import * as assert from 'node:assert/strict';
import { formatCount, validateParam, wasmFromBuildYaml } from '../../../src/extension/inputs';
import type { WasmParam } from '../../../src/metadata/types';

const p = (typeHint?: string, extra: Partial<WasmParam> = {}): WasmParam => ({ key: 'k', typeHint, ...extra });

describe('extension inputs', () => {
  describe('validateParam', () => {
    it('accepts an empty value unless the param is mandatory', () => {
      assert.equal(validateParam(p('uint32'), ''), undefined);
      assert.match(validateParam(p('string', { isMandatory: true, title: 'Target' }), '')!, /Target is mandatory/);
    });

    it('checks integers against their bit size, as strconv.ParseInt/ParseUint would', () => {
      assert.equal(validateParam(p('int8'), '-128'), undefined);
      assert.equal(validateParam(p('int8'), '127'), undefined);
      assert.match(validateParam(p('int8'), '128')!, /out of range for int8 \(-128 … 127\)/);
      assert.equal(validateParam(p('uint64'), '18446744073709551615'), undefined);
      assert.match(validateParam(p('uint64'), '18446744073709551616')!, /out of range/);
      assert.match(validateParam(p('uint16'), '-1')!, /≥ 0/);
      assert.match(validateParam(p('int'), '1.5')!, /whole number/);
      assert.equal(validateParam(p('int'), '-9223372036854775808'), undefined);
    });

    it('checks bools, floats, durations and IPs', () => {
      for (const ok of ['true', 'False', '1', '0']) assert.equal(validateParam(p('bool'), ok), undefined, ok);
      assert.match(validateParam(p('bool'), 'yes')!, /true or false/);
      assert.equal(validateParam(p('float64'), '-1.5e3'), undefined);
      assert.match(validateParam(p('float32'), 'abc')!, /a number/);
      for (const ok of ['5s', '1m30s', '500ms', '1.5h', '0']) assert.equal(validateParam(p('duration'), ok), undefined, ok);
      for (const bad of ['5', '5 s', 's', '1d']) assert.ok(validateParam(p('duration'), bad), bad);
      for (const ok of ['10.0.0.1', '::1', 'fe80::1']) assert.equal(validateParam(p('ip'), ok), undefined, ok);
      for (const bad of ['10.0.0.256', 'localhost', '1:2:3:4:5:6:7:8:9']) assert.ok(validateParam(p('ip'), bad), bad);
    });

    it('takes strings, bytes and unknown hints as they are', () => {
      for (const hint of [undefined, 'string', 'bytes', '[]string', 'something-new']) assert.equal(validateParam(p(hint), 'any value'), undefined);
    });
  });

  describe('wasmFromBuildYaml', () => {
    it('returns `wasm:` when it names a .wasm file, quoted or not, with a comment after it', () => {
      assert.equal(wasmFromBuildYaml('wasm: hello.wasm\n'), 'hello.wasm');
      assert.equal(wasmFromBuildYaml('ebpfsource: program.bpf.c\nwasm: "build/gadget.wasm"  # built by make\n'), 'build/gadget.wasm');
      assert.equal(wasmFromBuildYaml("wasm: 'out/x.WASM'"), 'out/x.WASM');
    });

    it('ignores sources, nested keys and files without it', () => {
      assert.equal(wasmFromBuildYaml('wasm: program.go\n'), undefined, 'IG builds it from Go source: nothing to run yet');
      assert.equal(wasmFromBuildYaml('cflags:\n  wasm: nested.wasm\n'), undefined);
      assert.equal(wasmFromBuildYaml('ebpfsource: program.bpf.c\n'), undefined);
      assert.equal(wasmFromBuildYaml(''), undefined);
    });
  });

  it('formats counts for the status bar', () => {
    assert.deepEqual([0, 950, 1234, 35_000, 1_400_000].map(formatCount), ['0', '950', '1.2k', '35k', '1.4M']);
  });
});
