// gadget.yaml cross-checked with a compiled eBPF object: unknown data sources, fields and params with
// did-you-mean, IG's --validate-metadata rule as errors, and the --update-metadata quick fix as text edits
// that keep comments and order.
import * as assert from 'node:assert/strict';
import { lintFacts } from '../../../src/ebpf';
import { lintGadgetYaml } from '../../../src/metadata';
import type { Diagnostic } from '../../../src/metadata/types';
import { applyFix } from '../metadata/helpers';
import { cli, lines, TempDir } from '../cli/helpers';
import { objectBytes, objectPath } from './helpers';

function lint(yaml: string): Diagnostic[] {
  return lintGadgetYaml(yaml, { object: lintFacts(objectBytes('tracer'), yaml) }).diagnostics;
}
const codes = (ds: Diagnostic[], prefix = 'object-') => ds.filter((d) => d.code.startsWith(prefix)).map((d) => d.code);

describe('lint: gadget.yaml against the eBPF object', function () {
  this.timeout(60000);

  it('a data source the object does not have is a warning with did-you-mean and a rename fix', () => {
    const yaml = 'name: t\ndatasources:\n  mounts:\n    annotations:\n      cli.clear-screen-before: "true"\n';
    const d = lint(yaml).find((x) => x.code === 'object-unknown-datasource');
    assert.ok(d, JSON.stringify(lint(yaml)));
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /no data source `mounts`.*Did you mean `mount`\?/);
    assert.deepEqual([d.range.start.line, d.range.start.character], [2, 2]);
    assert.match(applyFix(yaml, d.fixes![0]), /\n {2}mount:\n/);
  });

  it('a field the object does not have is a warning; struct members, nested and operator fields are known', () => {
    const yaml = [
      'name: t', 'datasources:', '  mount:', '    fields:',
      '      timestamp:', '        annotations: {columns.width: "20"}',
      '      proc.comm: {}', '      error: {}', '      op: {}', '      k8s.node: {}',
      '      fss:', '        annotations:', '          description: typo', '',
    ].join('\n');
    const ds = lint(yaml).filter((x) => x.code === 'object-unknown-field');
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.match(ds[0].message, /no field `fss`.*Did you mean `fs`\?/);
    assert.equal(ds[0].range.start.line, 10);
  });

  it('params.ebpf: not const volatile or missing is an error (validate-metadata), unmarked is a warning', () => {
    const yaml = 'name: t\nparams:\n  ebpf:\n    targ_pdi:\n      key: pid\n    LICENSE:\n      key: lic\n    targ_pid:\n      key: pid\n    unmarked_knob:\n      key: knob\n';
    const all = lint(yaml);
    const typo = all.find((x) => x.message.includes('targ_pdi'))!;
    assert.equal(typo.severity, 'error');
    assert.equal(typo.code, 'object-param-var');
    assert.match(typo.message, /variable "targ_pdi" not found in eBPF object.*Did you mean `targ_pid`\?/);
    const lic = all.find((x) => x.message.includes('LICENSE'))!;
    assert.equal(lic.severity, 'error');
    assert.match(lic.message, /"LICENSE" is not const/);
    const knob = all.find((x) => x.message.includes('unmarked_knob') && x.code !== 'object-missing-param')!;
    assert.equal(knob.severity, 'warning');
    assert.equal(knob.code, 'object-unknown-param');
    // the declared param itself is fine: exactly these three
    assert.deepEqual(all.filter((x) => x.code.startsWith('object-') && x.severity !== 'info').map((x) => x.range.start.line), [3, 5, 9]);
  });

  it('without the object none of these rules run', () => {
    const yaml = 'name: t\ndatasources:\n  mounts: {}\n';
    assert.deepEqual(codes(lintGadgetYaml(yaml).diagnostics), []);
  });

  it('missing fields and params are hints whose fix adds what --update-metadata would, keeping comments', () => {
    const yaml = [
      '# my gadget', 'name: t # the name', 'datasources:', '  mount: # the tracer', '    fields:',
      '      fs: # file system', '        annotations:', '          description: the fs', '# trailing comment', 'params:',
      '  ebpf:', '    targ_pid:', '      key: pid', '      description: the pid',
    ].join('\n');
    const hints = lint(yaml).filter((x) => x.severity === 'info' && x.code.startsWith('object-'));
    assert.deepEqual(hints.map((h) => h.code).sort(), ['object-missing-field', 'object-missing-param']);
    assert.match(hints.find((h) => h.code === 'object-missing-field')!.message, /`timestamp_raw`, `proc`, `error_raw`/);
    const fixed = applyFix(yaml, hints[0].fixes![0]);
    // comments and the existing entries stay where they were; new fields come after `fs`
    assert.ok(fixed.startsWith(`${yaml.split('\n').slice(0, 8).join('\n')}\n      timestamp_raw:\n        annotations:\n          description: "TODO: Fill field description"\n`), fixed);
    assert.match(fixed, /# trailing comment\nparams:/);
    assert.match(fixed, / {6}description: the pid\n {4}targ_uid:\n {6}key: targ_uid\n {6}description: "TODO: Fill parameter description"\n/);
    // members that never become fields are not added (IG's Populate would list them; IG then ignores them)
    assert.doesNotMatch(fixed, /\n {6}(__pad|ptr|big|empty):/);
    // after the fix the file is complete: no hints, and it lints clean of object problems
    assert.deepEqual(codes(lint(fixed)), []);
    assert.deepEqual(lintGadgetYaml(fixed).diagnostics.filter((d) => d.severity !== 'info'), []);
  });

  it('the fix writes a whole section when the file has none, at the file\'s indentation', () => {
    const yaml = 'name: t\nannotations:\n    foo: bar';
    const hint = lint(yaml).find((x) => x.code === 'object-missing-datasource')!;
    assert.ok(hint);
    const fixed = applyFix(yaml, hint.fixes![0]);
    assert.ok(fixed.startsWith('name: t\nannotations:\n    foo: bar\ndatasources:\n    mount:\n        fields:\n            timestamp_raw:\n'), fixed);
    assert.match(fixed, /\nparams:\n {4}ebpf:\n {8}targ_pid:\n {12}key: targ_pid\n/);
    assert.deepEqual(codes(lint(fixed)), []);
  });
});

describe('cli: ig-wasm lint --ebpf', function () {
  this.timeout(60000);
  it('cross-checks with the object: warnings, validate-metadata errors → exit 1; unreadable object → exit 2', () => {
    const tmp = new TempDir();
    try {
      const obj = objectPath('tracer');
      const warn = tmp.file('w.yaml', 'name: t\ndatasources:\n  mounts: {}\n');
      let r = cli('lint', '--ebpf', obj, warn, '--format', 'json');
      assert.equal(r.status, 0, r.stderr);
      const d = (lines(r)[0].diagnostics as { code: string; line: number; column: number; message: string }[]).find((x) => x.code === 'object-unknown-datasource')!;
      assert.deepEqual([d.line, d.column], [3, 3]);
      assert.match(d.message, /Did you mean `mount`\?/);
      // without --ebpf the same file is clean of object rules
      assert.ok(!(lines(cli('lint', warn, '--format', 'json'))[0].diagnostics as { code: string }[]).some((x) => x.code.startsWith('object-')));
      const bad = tmp.file('e.yaml', 'name: t\nparams:\n  ebpf:\n    LICENSE:\n      key: lic\n');
      r = cli('lint', `--ebpf=${obj}`, bad);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /e\.yaml:4:5: error \[object-param-var\] .*"LICENSE" is not const/);
      r = cli('lint', '--ebpf', bad, bad);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /e\.yaml: not a readable eBPF object: /);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    } finally {
      tmp.remove();
    }
  });
});
