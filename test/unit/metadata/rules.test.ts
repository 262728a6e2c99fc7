// Hand-written bad files (test/fixtures/metadata/bad), one per rule family: each must give exactly the
// expected diagnostics, at the right place, with readable messages and working fixes.
import * as assert from 'node:assert/strict';
import { lintGadgetYaml } from '../../../src/metadata';
import type { Diagnostic } from '../../../src/metadata/types';
import { applyFix, at, fixture } from './helpers';

/** [severity code line:col, message fragment] */
type Expect = [string, RegExp];

function check(file: string, expected: Expect[]): Diagnostic[] {
  const ds = lintGadgetYaml(fixture(`bad/${file}`)).diagnostics;
  assert.deepEqual(ds.map((d) => `${d.severity} ${d.code} ${at(d)}`), expected.map((e) => e[0]), `diagnostics of ${file}`);
  ds.forEach((d, i) => assert.match(d.message, expected[i]![1], `message of ${expected[i]![0]}`));
  return ds;
}

function fixLine(file: string, d: Diagnostic): string {
  const fixed = applyFix(fixture(`bad/${file}`), d.fixes![0]!);
  return fixed.split('\n')[d.range.start.line]!;
}

describe('metadata: lint rules on hand-written bad files', () => {
  it('unknown keys at every level, with did-you-mean and a rename fix', () => {
    const ds = check('unknown-keys.gadget.yaml', [
      ['warning unknown-key 3:1', /Unknown key `descripton` in the top level; IG ignores it\. Did you mean `description`\?/],
      ['warning unknown-key 6:5', /`annotation` in a data source.*Did you mean `annotations`/],
      ['warning unknown-key 13:9', /`columns\.width` is an annotation: put it under `annotations:`/],
      ['warning unknown-key 15:9', /`anotations` in a field.*Did you mean `annotations`/],
      ['warning unknown-key 21:7', /`defualtValue` in a param under `params\.ebpf`.*Did you mean `defaultValue`/],
    ]);
    assert.equal(fixLine('unknown-keys.gadget.yaml', ds[0]!), 'description: misspelled top-level key');
    assert.equal(fixLine('unknown-keys.gadget.yaml', ds[4]!), '      defaultValue: "0"');
    assert.equal(ds[2]!.fixes, undefined, 'no rename is offered for an annotation in the wrong place');
  });

  it('annotations: names, stray colons, case, scope, and the values IG parses', () => {
    const ds = check('annotations.gadget.yaml', [
      ['warning annotation-value 4:33', /`enable-containers-datasource` must be `true` or `false` \(IG readers compare the text exactly\); got `maybe`\.$/],
      ['warning annotation-scope 8:7', /`columns\.width` is read on fields, not on data sources/],
      ['warning unknown-annotation 10:7', /did you mean `cli\.supported-output-modes`/],
      ['warning unknown-annotation 14:11', /IG reads no annotation `columns\.with`; did you mean `columns\.width`\?/],
      ['warning annotation-stray-colon 15:11', /`columns\.width:` has a stray colon/],
      ['warning key-case 16:11', /`columns\.maxWidth` works only because IG reads gadget\.yaml case-insensitively/],
      ['warning unknown-annotation 17:11', /IG reads no annotation `columns\.colour`; known `columns\.\*` annotations on fields: `columns\.width`/],
      ['error annotation-value 21:30', /`columns\.alignment` must be one of `left`, `right`; got `center`\. IG's columns output fails on it \("invalid alignment type for column …"\)/],
      ['error annotation-value 22:29', /`columns\.ellipsis` must be one of `""`, `start`, `middle`, `end`; got `End`\. Did you mean `end`\?/],
      ['error annotation-value 23:26', /`columns\.width` must be an integer; got `wide`\. IG's columns output fails on it \("reading width for column …"\)/],
      ['warning annotation-value 24:27', /`columns\.hidden` must be `true` or `false` \(IG readers compare the text exactly\); got `yes`\.$/],
      ['warning unknown-template 25:21', /no column template `pidd`.*Did you mean `pid`\?/],
      ['warning annotation-scope 26:11', /`cli\.clear-screen-before` is read on data sources, not on fields/],
      ['warning column-width-range 29:29', /`columns\.minwidth` \(20\) is larger than `columns\.maxwidth` \(10\)/],
      ['warning annotation-value 31:25', /`metrics\.type` must be one of `counter`, `gauge`, `histogram`, `key`; got `gague`\. Did you mean `gauge`\?/],
      ['error annotation-value 34:29', /`columns\.ellipsis` must be one of `""`.*got `none`\. Did you mean `""`\?/],
      ['warning annotation-value 35:26', /`columns\.width` is negative/],
      ['error annotation-value 36:11', /`columns\.alignment` must be one of `left`, `right`; got ``/],
    ]);
    const file = 'annotations.gadget.yaml';
    assert.equal(fixLine(file, ds[3]!), '          columns.width: 16');
    assert.equal(fixLine(file, ds[4]!), '          columns.width: 16');
    assert.equal(fixLine(file, ds[5]!), '          columns.maxwidth: 32');
    assert.equal(fixLine(file, ds[8]!), '          columns.ellipsis: end');
    assert.equal(fixLine(file, ds[11]!), '          template: pid');
    assert.equal(fixLine(file, ds[14]!), '          metrics.type: gauge');
    assert.equal(fixLine(file, ds[15]!), '          columns.ellipsis: ""');
    // `my.own.annotation` (line 18) is a free-form annotation for other tools: no diagnostic.
    assert.ok(!ds.some((d) => d.range.start.line === 17));
  });

  it('params: type key per operator, default not possible, mandatory with default, unknown hint, key ≠ map key', () => {
    const ds = check('params.gadget.yaml', [
      ['warning param-type-key 8:7', /IG reads `type` for params under `params\.ebpf`, not `typeHint`/],
      ['warning default-not-possible 13:21', /defaultValue `fast` is not one of possibleValues \(`slow`, `medium`\)/],
      ['warning param-type-key 20:7', /Under `params\.wasm`.*`typeHint`, not `type`/],
      ['warning mandatory-with-default 21:7', /Param `level` is mandatory but has defaultValue `3`/],
      ['warning param-key-mismatch 24:12', /Param `verb` has `key: verbose`; IG registers it as `--verbose`/],
      ['warning unknown-type-hint 25:17', /no type hint `strng`.*Did you mean `string`\?/],
      ['warning unknown-type-hint 28:17', /no type hint `integer`/],
    ]);
    const file = 'params.gadget.yaml';
    assert.equal(fixLine(file, ds[0]!), '      type: int');
    assert.equal(fixLine(file, ds[2]!), '      typeHint: uint');
    assert.equal(fixLine(file, ds[4]!), '      key: verb');
    assert.equal(fixLine(file, ds[5]!), '      typeHint: string');
    // ebpf params name the C variable in the map key and the flag in `key`: `targ_pid`/`pid` is fine.
    assert.ok(!ds.some((d) => d.code === 'param-key-mismatch' && d.range.start.line < 10));
  });

  it('wrong types are errors with one readable message on the offending value', () => {
    check('types.gadget.yaml', [
      ['error schema 2:7', /^`name` must be a single value \(text, number or true\/false\), not a list\.$/],
      ['error schema 6:7', /^`fields` must be a mapping \(`key: value` lines\), not a list\.$/],
      ['error schema 11:9', /^`description` must be a single value .*, not a mapping\.$/],
      ['error schema 16:20', /^`isMandatory` must be true or false, got the text `yes`\.$/],
      ['error schema 17:23', /^`possibleValues` must be a list, got the text `one`\.$/],
    ]);
  });

  it('duplicate keys are errors (IG rejects them); case-only duplicates warn', () => {
    check('duplicates.gadget.yaml', [
      ['error duplicate-key 4:1', /Duplicate key `description` \(first defined on line 3\); IG's YAML decoder rejects the file/],
      ['error duplicate-key 11:7', /Duplicate key `pid` \(first defined on line 8\)/],
      ['warning duplicate-key-case 14:1', /`Name` and `name` \(line 2\) are the same key to IG/],
    ]);
  });

  it('YAML syntax errors point at the problem and suppress follow-on noise', () => {
    check('syntax.gadget.yaml', [['error yaml-syntax 3:14', /quoted value is never closed/]]);
    check('tabs.gadget.yaml', [['error yaml-syntax 4:1', /tabs for indentation/]]);
    const only = (text: string): string[] => lintGadgetYaml(text).diagnostics.map((d) => `${d.code} ${at(d)} ${d.message}`);
    assert.deepEqual(only('name: a\ndatasources: {x: [\n'), ['yaml-syntax 3:1 The file ends before this YAML is complete (deficient indentation): is a `[` or `{` never closed?']);
    assert.deepEqual(only('name: a\n  bad: 1\nbogus: 2\n'), ['yaml-syntax 2:6 Bad indentation: this key is not in the column of the other keys of its mapping (or a value holds `: `: quote it).']);
    assert.deepEqual(only('name: a\nb: !!int twelve\n').filter((d) => d.startsWith('yaml')), ['yaml-warning 2:4 `twelve` is not a valid int; IG\'s YAML decoder rejects it.']);
  });

  it('keys of the old metadata format are flagged as no longer read', () => {
    check('old-format.gadget.yaml', [
      ['warning old-format-key 3:1', /`tracers` belongs to the old metadata format; IG no longer reads it/],
      ['warning old-format-key 7:1', /`structs`.*`datasources\.<name>\.fields\.<field>\.annotations`/],
      ['warning old-format-key 13:1', /`ebpfParams`.*`params\.ebpf`/],
      ['warning old-format-key 20:9', /`attributes`.*`columns\.\*` annotations/],
    ]);
  });

  it('a missing name is an error on the first key; an empty file says so', () => {
    check('missing-name.gadget.yaml', [['error missing-key 2:1', /Missing required key `name` \(`ig image build` fails without it\)/]]);
    const empty = lintGadgetYaml('# only a comment\n').diagnostics;
    assert.deepEqual(empty.map((d) => `${d.code} ${at(d)}`), ['missing-key 1:1']);
  });

  it('fixes keep comments and quoting', () => {
    const text = 'name: x # the name\ndatasources:\n  ds:\n    fields:\n      f:\n        annotations:\n          "columns.with": 3 # width\n';
    const d = lintGadgetYaml(text).diagnostics.find((x) => x.code === 'unknown-annotation')!;
    assert.equal(d.fixes![0]!.preferred, true);
    const fixed = applyFix(text, d.fixes![0]!);
    assert.equal(fixed, text.replace('"columns.with"', '"columns.width"'));
  });

  it('unknown keys deeper than the IG rules walk (custom param values) come from the schema, as warnings', () => {
    const text = 'name: x\nparams:\n  custom:\n    mode:\n      values:\n        a:\n          pach: {}\n';
    const ds = lintGadgetYaml(text).diagnostics;
    assert.deepEqual(ds.map((d) => `${d.severity} ${d.code} ${at(d)}`), ['warning unknown-key 7:11']);
    assert.match(ds[0]!.message, /Unknown key `pach` in `params\.custom\.mode\.values\.a`; IG ignores it\. Did you mean `patch`\?/);
    assert.equal(applyFix(text, ds[0]!.fixes![0]!).split('\n')[6], '          patch: {}');
  });

  it('annotation values are checked as the text Go receives, not as YAML reads them', () => {
    const text = 'name: x\ndatasources:\n  ds:\n    fields:\n      f:\n        annotations:\n          columns.hidden: True\n          columns.width: 0x10\n          columns.minwidth: "8"\n';
    const ds = lintGadgetYaml(text).diagnostics;
    assert.deepEqual(ds.map((d) => `${d.severity} ${d.code} ${at(d)}`), ['warning annotation-value 7:27', 'error annotation-value 8:26']);
    assert.match(ds[0]!.message, /must be `true` or `false` \(IG readers compare the text exactly\); got `True`\. Did you mean `true`\?/);
    assert.equal(applyFix(text, ds[0]!.fixes![0]!).split('\n')[6], '          columns.hidden: true');
    assert.match(ds[1]!.message, /must be an integer; got `0x10`/);
  });

  it('widths take IG\'s special value `type` (the widest value of the field\'s kind), other words are errors', () => {
    const text = 'name: x\ndatasources:\n  ds:\n    fields:\n      f:\n        annotations:\n          columns.width: type\n          columns.maxwidth: wide\n';
    const ds = lintGadgetYaml(text).diagnostics;
    assert.deepEqual(ds.map((d) => `${d.severity} ${d.code} ${at(d)}`), ['error annotation-value 8:29']);
  });

  it('options: minSeverity drops warnings', () => {
    const ds = lintGadgetYaml(fixture('bad/duplicates.gadget.yaml'), { minSeverity: 'error' }).diagnostics;
    assert.deepEqual(ds.map((d) => d.severity), ['error', 'error']);
  });
});
