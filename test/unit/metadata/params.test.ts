// The params rules (src/metadata/params.ts) shared by the CLI's --param, Run Gadget's inputs and the linter.
import * as assert from 'node:assert/strict';
import { ParamError, paramDeclProblems, paramKey, paramValueProblem, resolveParams, typeHintProblem } from '../../../src/metadata/params';
import type { WasmParam } from '../../../src/metadata/types';

const p = (typeHint?: string, extra: Partial<WasmParam> = {}): WasmParam => ({ key: 'k', typeHint, ...extra });

describe('params', () => {
  describe('values', () => {
    it('accepts an empty value unless the param is mandatory', () => {
      assert.equal(paramValueProblem(p('uint32'), ''), undefined);
      assert.match(paramValueProblem(p('string', { isMandatory: true, title: 'Target' }), '')!, /Target is mandatory/);
    });

    it('checks integers against their bit size, as strconv.ParseInt/ParseUint would', () => {
      assert.equal(typeHintProblem('int8', '-128'), undefined);
      assert.equal(typeHintProblem('int8', '+127'), undefined);
      assert.match(typeHintProblem('int8', '128')!, /out of range for int8 \(-128 … 127\)/);
      assert.equal(typeHintProblem('uint64', '18446744073709551615'), undefined);
      assert.match(typeHintProblem('uint64', '18446744073709551616')!, /out of range/);
      assert.match(typeHintProblem('uint16', '-1')!, /≥ 0/);
      assert.match(typeHintProblem('uint16', '+1')!, /≥ 0/, 'ParseUint takes no sign');
      assert.match(typeHintProblem('int', '1.5')!, /whole number/);
      assert.equal(typeHintProblem('int', '-9223372036854775808'), undefined);
    });

    it('checks bools as IG\'s ValidateBool (true/false in any case, not 1/0), floats, durations and IPs', () => {
      for (const ok of ['true', 'False', 'TRUE']) assert.equal(typeHintProblem('bool', ok), undefined, ok);
      for (const bad of ['1', '0', 'yes', '']) assert.match(typeHintProblem('bool', bad)!, /true or false/, bad);
      assert.equal(typeHintProblem('float64', '-1.5e3'), undefined);
      assert.match(typeHintProblem('float32', 'abc')!, /a number/);
      for (const ok of ['5s', '1m30s', '500ms', '1.5h', '0']) assert.equal(typeHintProblem('duration', ok), undefined, ok);
      for (const bad of ['5', '5 s', 's', '1d']) assert.ok(typeHintProblem('duration', bad), bad);
      for (const ok of ['10.0.0.1', '::1', 'fe80::1']) assert.equal(typeHintProblem('ip', ok), undefined, ok);
      for (const bad of ['10.0.0.256', 'localhost', '1:2:3:4:5:6:7:8:9']) assert.ok(typeHintProblem('ip', bad), bad);
    });

    it('takes strings, bytes and unknown hints as they are', () => {
      for (const hint of [undefined, 'string', 'bytes', '[]string', 'something-new']) assert.equal(typeHintProblem(hint, 'any value'), undefined);
    });

    it('with possible values, the value must be one of them and the type hint is not checked (as IG)', () => {
      const mode = p('int', { possibleValues: ['fast', 'slow'] });
      assert.equal(paramValueProblem(mode, 'fast'), undefined);
      assert.match(paramValueProblem(mode, 'medium')!, /one of fast, slow/);
    });
  });

  describe('resolveParams', () => {
    const decls: Record<string, WasmParam> = {
      verb: { key: 'verb', defaultValue: 'opened' },
      count: { key: 'count', typeHint: 'uint32', defaultValue: '3' },
      target: { key: 'target', isMandatory: true },
      renamed: { key: 'flag-name', typeHint: 'bool' },
    };

    it('given values (with or without the wasm prefix) over defaults, by the param\'s key', () => {
      assert.deepEqual(resolveParams(decls, { 'operator.oci.wasm.target': 'x', 'flag-name': 'TRUE' }), { verb: 'opened', count: '3', target: 'x', 'flag-name': 'TRUE' });
      assert.equal(paramKey('operator.oci.wasm.verb'), 'verb');
    });

    it('names the param in each error, with what went wrong as data', () => {
      const fails = (given: Record<string, string>, reason: ParamError['reason'], param: string, message: RegExp): void => {
        assert.throws(() => resolveParams(decls, given), (e: unknown) => e instanceof ParamError && e.reason === reason && e.param === param && message.test(e.message));
      };
      fails({}, 'mandatory', 'target', /param 'target' is mandatory/);
      fails({ target: 'x', colour: 'red' }, 'unknown', 'colour', /unknown param 'colour': gadget.yaml declares verb, count, target, flag-name/);
      fails({ target: 'x', count: '-1' }, 'value', 'count', /param 'count': '-1' is not a whole number ≥ 0 \(uint32\)/);
    });

    it('without declarations passes the given values through', () => {
      assert.deepEqual(resolveParams(undefined, { 'operator.oci.wasm.a': '1' }), { a: '1' });
    });
  });

  describe('declaration problems (the linter\'s param rules)', () => {
    it('reports an unknown type hint, a default outside the possible values, a mandatory param with a default, a key unlike its name', () => {
      const codes = (name: string, op: string, decl: Parameters<typeof paramDeclProblems>[2]): string[] => paramDeclProblems(name, op, decl).map((d) => `${d.on}:${d.code}`);
      assert.deepEqual(codes('a', 'wasm', { typeHint: 'integer' }), ['typeHint:unknown-type-hint']);
      assert.deepEqual(codes('a', 'wasm', { defaultValue: 'x', possibleValues: ['y', 'z'] }), ['defaultValue:default-not-possible']);
      assert.deepEqual(codes('a', 'wasm', { defaultValue: '3', isMandatory: true }), ['isMandatory:mandatory-with-default']);
      assert.deepEqual(codes('a', 'wasm', { key: 'b' }), ['key:param-key-mismatch']);
      assert.deepEqual(codes('a', 'ebpf', { key: 'b' }), [], 'an ebpf param\'s key is its flag name, not its C variable');
      assert.deepEqual(codes('a', 'wasm', { key: 'a', typeHint: 'uint8', defaultValue: 'y', possibleValues: ['y', ''] }), []);
    });
  });
});
