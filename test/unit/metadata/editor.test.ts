// Hover, completion and outline at chosen positions of a realistic gadget.yaml.
import * as assert from 'node:assert/strict';
import { completionsAt, hoverAt, outline } from '../../../src/metadata';
import type { OutlineNode } from '../../../src/metadata/types';
import { find } from './helpers';

const GADGET = `name: trace open
description: trace open files # a comment
datasources:
  open:
    annotations:
      cli.clear-screen-before: "true"
    fields:
      pid:
        annotations:
          template: pid
      comm:
        annotations:
          columns.with: 16
          columns.alignment: left
params:
  ebpf:
    targ_uid:
      key: uid
      type: uint32
  wasm:
    verbose:
      key: verbose
      typeHint: bool
`;

const labels = (text: string, line: number, character: number): string[] => completionsAt(text, { line, character }).map((c) => c.label);

describe('metadata: hover', () => {
  it('on a top-level key: the schema title and description', () => {
    const h = hoverAt(GADGET, find(GADGET, 3, 'datasources', 3));
    assert.ok(h);
    assert.match(h.markdown, /^\*\*`datasources`\*\*\n\nData sources the gadget emits/);
    assert.deepEqual(h.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 11 } });
  });

  it('on a data source name and a field name: what the entry is', () => {
    assert.match(hoverAt(GADGET, find(GADGET, 4, 'open'))!.markdown, /`open` — data source/);
    assert.match(hoverAt(GADGET, find(GADGET, 8, 'pid'))!.markdown, /`pid` — field/);
  });

  it('on an annotation name: the catalogue entry, with scope, value and reader', () => {
    const h = hoverAt(GADGET, find(GADGET, 6, 'cli.clear', 4))!;
    assert.match(h.markdown, /\*\*annotation\*\* `cli\.clear-screen-before` \(on datasource\)/);
    assert.match(h.markdown, /Read by: cli operator/);
    const a = hoverAt(GADGET, find(GADGET, 14, 'columns.alignment', 2))!;
    assert.match(a.markdown, /one of `left`, `right`/);
  });

  it('on an unknown annotation: did you mean', () => {
    assert.match(hoverAt(GADGET, find(GADGET, 13, 'columns.with'))!.markdown, /did you mean `columns\.width`\?/);
  });

  it('on a template value: what the template sets', () => {
    const h = hoverAt(GADGET, find(GADGET, 10, 'pid', 1))!;
    assert.match(h.markdown, /\*\*template\*\* `pid`\n\nSets: description: Process ID, columns\.minwidth: 7, columns\.alignment: right\./);
    assert.deepEqual(h.range.start, find(GADGET, 10, 'pid'));
  });

  it('on param keys: `type` under ebpf, `typeHint` under wasm', () => {
    assert.match(hoverAt(GADGET, find(GADGET, 19, 'type'))!.markdown, /Type hint: IG validates/);
    assert.match(hoverAt(GADGET, find(GADGET, 23, 'typeHint'))!.markdown, /wasm API's `Param\.typeHint`/);
  });

  it('nothing on a comment or blank space', () => {
    assert.equal(hoverAt(GADGET, find(GADGET, 2, '# a comment', 4)), undefined);
    assert.equal(hoverAt('', { line: 0, character: 0 }), undefined);
  });
});

describe('metadata: completion', () => {
  it('top-level keys that are not there yet, replacing the word being typed', () => {
    const text = 'name: x\nda';
    const items = completionsAt(text, { line: 1, character: 2 });
    assert.deepEqual(items.map((i) => i.label), ['datasources']);
    assert.deepEqual(labels('name: x\npar', 1, 3), ['params', 'gadgetParams', 'paramDefaults']);
    const ds = items[0]!;
    assert.equal(ds.kind, 'key');
    assert.equal(ds.insertText, 'datasources:\n  ');
    assert.deepEqual(ds.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } });
    assert.match(ds.documentation!, /Data sources the gadget emits/);
    assert.ok(!labels('name: x\n', 1, 0).includes('name'), 'present keys are not offered again');
  });

  it('annotation names by scope: field annotations on fields, data-source annotations on data sources', () => {
    const field = 'name: x\ndatasources:\n  ds:\n    fields:\n      f:\n        annotations:\n          colu\n';
    const f = labels(field, 6, 14);
    assert.ok(f.includes('columns.width') && f.includes('columns.ellipsis'));
    assert.ok(!f.includes('cli.clear-screen-before'));
    const item = completionsAt(field, { line: 6, character: 14 }).find((i) => i.label === 'columns.width')!;
    assert.equal(item.kind, 'annotation');
    assert.equal(item.insertText, 'columns.width: ');
    const ds = 'name: x\ndatasources:\n  ds:\n    annotations:\n      cli\n';
    assert.deepEqual(labels(ds, 4, 9), ['cli.clear-screen-before', 'cli.supported-output-modes', 'cli.default-output-mode', 'cli.raw.fields']);
  });

  it('keys of a data source, a field and a param', () => {
    assert.deepEqual(labels('name: x\ndatasources:\n  ds:\n    \n', 3, 4), ['annotations', 'fields']);
    assert.deepEqual(labels('name: x\ndatasources:\n  ds:\n    fields:\n      f:\n        \n', 5, 8), ['annotations']);
    const wasm = labels('name: x\nparams:\n  wasm:\n    p:\n      key: p\n      \n', 5, 6);
    assert.ok(wasm.includes('typeHint') && !wasm.includes('type') && !wasm.includes('key'));
    const ebpf = labels('name: x\nparams:\n  ebpf:\n    p:\n      \n', 4, 6);
    assert.ok(ebpf.includes('type') && !ebpf.includes('typeHint'));
  });

  it('values: templates, enum values, booleans and type hints', () => {
    const base = 'name: x\ndatasources:\n  ds:\n    fields:\n      f:\n        annotations:\n';
    const t = completionsAt(`${base}          template: p\n`, { line: 6, character: 21 });
    assert.deepEqual(t.map((i) => i.label), ['pod', 'pcomm', 'pid', 'ppid']);
    assert.equal(t[0]!.kind, 'template');
    assert.deepEqual(t[0]!.range, { start: { line: 6, character: 20 }, end: { line: 6, character: 21 } });
    assert.deepEqual(labels(`${base}          columns.ellipsis: \n`, 6, 28), ['""', 'start', 'middle', 'end']);
    assert.deepEqual(labels(`${base}          columns.hidden: \n`, 6, 26), ['true', 'false']);
    assert.deepEqual(labels('name: x\nparams:\n  wasm:\n    p:\n      typeHint: int\n', 4, 19), ['int', 'int8', 'int16', 'int32', 'int64']);
    assert.deepEqual(labels('name: x\nparams:\n  wasm:\n    p:\n      isMandatory: \n', 4, 19), ['true', 'false']);
    assert.deepEqual(labels('name: x\ndatasources:\n  ds:\n    annotations:\n      cli.default-output-mode: j\n', 4, 33), ['json', 'jsonpretty']);
    const list = completionsAt('name: x\ndatasources:\n  ds:\n    annotations:\n      cli.supported-output-modes: json,co\n', { line: 4, character: 41 });
    assert.deepEqual(list.map((i) => i.label), ['columns']);
    assert.deepEqual(list[0]!.range, { start: { line: 4, character: 39 }, end: { line: 4, character: 41 } });
  });

  it('nothing inside free-form values or comments', () => {
    assert.deepEqual(labels('name: x\ndescription: some \n', 1, 18), []);
    assert.deepEqual(labels('# com\n', 0, 5), []);
  });
});

describe('metadata: outline', () => {
  const find1 = (nodes: OutlineNode[], kind: string, name: string): OutlineNode | undefined => {
    for (const n of nodes) {
      if (n.kind === kind && n.name === name) return n;
      const inner = find1(n.children, kind, name);
      if (inner) return inner;
    }
    return undefined;
  };

  it('gadget → datasources → data source → fields → field, and params', () => {
    const o = outline(GADGET);
    assert.equal(o.length, 1);
    const g = o[0]!;
    assert.equal(g.kind, 'gadget');
    assert.equal(g.name, 'trace open');
    assert.deepEqual(g.children.map((c) => `${c.kind}:${c.name}`), ['key:name', 'key:description', 'datasources:datasources', 'params:params']);
    const ds = find1(o, 'datasource', 'open')!;
    assert.equal(ds.detail, '2 fields');
    assert.deepEqual(ds.selectionRange, { start: { line: 3, character: 2 }, end: { line: 3, character: 6 } });
    assert.deepEqual(ds.range.start, { line: 3, character: 2 });
    assert.deepEqual(ds.range.end, { line: 13, character: 33 });
    const pid = find1(o, 'field', 'pid')!;
    assert.equal(pid.detail, 'template: pid');
    assert.deepEqual(pid.selectionRange.start, { line: 7, character: 6 });
    assert.deepEqual(pid.children.map((c) => `${c.kind}:${c.name}=${c.detail}`), ['annotation:template=pid']);
    const verbose = find1(o, 'param', 'verbose')!;
    assert.equal(verbose.detail, '--verbose · bool');
    assert.equal(find1(o, 'param', 'targ_uid')!.detail, '--uid · uint32');
  });

  it('a file that does not parse to a mapping has an empty outline', () => {
    assert.deepEqual(outline('- a\n'), []);
    assert.deepEqual(outline(''), []);
  });

  it('while a line is broken, the outline and hover keep the lines above it', () => {
    const text = `${GADGET}  broken: "never closed\n`;
    const names = outline(text)[0]?.children.map((c) => c.name);
    assert.deepEqual(names, outline(GADGET)[0]!.children.map((c) => c.name));
    assert.match(hoverAt(text, find(text, 1, 'name'))?.markdown ?? '', /name/);
  });
});
