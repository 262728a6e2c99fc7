// Events files (src/events/parse.ts): both formats, line numbers in errors, conversion by kind.
import * as assert from 'node:assert/strict';
import { EventsFileError, convertPacket, parseEventsFile, toValue } from '../../../src/events/parse';

const throwsAt = (fn: () => unknown, line: number, problem: RegExp): void => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof EventsFileError, String(e));
    assert.equal(e.line, line, e.message);
    assert.match(e.problem, problem);
    assert.equal(e.message, `${e.file}:${e.line}: ${e.problem}`);
    return true;
  });
};

describe('events files', () => {
  it('YAML: declarations with kinds and tags, events with lines, nested mappings as dotted names', () => {
    const f = parseEventsFile([
      'datasources:',
      '  open:',
      '    fields:',
      '      pid: uint32',
      '      k8s.namespace: {kind: string, tags: [kubernetes]}',
      '  top:',
      '    type: array',
      '    fields: {cpu: float64}',
      'events:',
      '  - datasource: open',
      '    data:',
      '      pid: 7',
      '      k8s: {namespace: default}',
      '  - {datasource: top, data: [{cpu: 1}, {cpu: 0.5}]}',
    ].join('\n'), 'ev.yaml');
    assert.equal(f.format, 'yaml');
    assert.deepEqual(f.dataSources, [
      { name: 'open', type: 'single', fields: [{ name: 'pid', kind: 'uint32' }, { name: 'k8s.namespace', kind: 'string', tags: ['kubernetes'] }] },
      { name: 'top', type: 'array', fields: [{ name: 'cpu', kind: 'float64' }] },
    ]);
    assert.deepEqual(f.events.map((e) => [e.datasource, e.line]), [['open', 10], ['top', 14]]);
    assert.deepEqual(convertPacket(f.file, f.events[0], f.dataSources[0]), { pid: 7, 'k8s.namespace': 'default' });
    assert.deepEqual(convertPacket(f.file, f.events[1], f.dataSources[1]), [{ cpu: 1 }, { cpu: 0.5 }]);
  });

  it('JSON with the same shape, also on one line', () => {
    const f = parseEventsFile('{"datasources": {"a": {"fields": {"x": "int64"}}}, "events": [{"datasource": "a", "data": {"x": -9223372036854775808}}]}', 'ev.json');
    assert.equal(f.format, 'yaml');
    assert.deepEqual(convertPacket(f.file, f.events[0], f.dataSources[0]), { x: -(2n ** 63n) });
  });

  it('problems name their line', () => {
    throwsAt(() => parseEventsFile('datasources:\n  a:\n    type: list\n', 'f'), 3, /type must be single or array/);
    throwsAt(() => parseEventsFile('datasources:\n  a:\n    fields:\n      x: {tags: [t]}\n', 'f'), 4, /missing `kind`/);
    throwsAt(() => parseEventsFile('events:\n  - datasource: a\n    data: 5\n', 'f'), 3, /`data` must be a mapping/);
    throwsAt(() => parseEventsFile('events:\n  - data: {x: 1}\n', 'f'), 2, /without a `datasource`/);
    throwsAt(() => parseEventsFile('events:\n  - {datasource: a, data: {}, when: now}\n', 'f'), 2, /unknown key 'when' in event/);
    throwsAt(() => parseEventsFile('a: 1\na: 2\n', 'f'), 2, /unique|duplicate/i);
    throwsAt(() => parseEventsFile('events: {}\n', 'f'), 1, /`events` must be a list/);
    const f = parseEventsFile('datasources:\n  a:\n    fields: {x: uint8}\nevents:\n  - datasource: a\n    data:\n      x: 256\n', 'f');
    throwsAt(() => convertPacket(f.file, f.events[0], f.dataSources[0]), 7, /256 is out of range for kind uint8/);
  });

  it('JSON Lines: detected, dotted names, inferred kinds, --kind overrides, exact 64-bit values', () => {
    const f = parseEventsFile('{"a":{"b":1},"n":-2,"f":1.5,"s":"x","t":true}\n{"a":{"b":18446744073709551615},"n":3,"f":2,"s":"y","t":false}\n', '/rec/trace_open.txt', { kinds: { n: 'int32' } });
    assert.equal(f.format, 'jsonl');
    assert.deepEqual(f.dataSources, [{ name: 'trace_open', type: 'single', fields: [
      { name: 'a.b', kind: 'uint64' }, { name: 'n', kind: 'int32' }, { name: 'f', kind: 'float64' }, { name: 's', kind: 'string' }, { name: 't', kind: 'bool' },
    ] }]);
    assert.deepEqual(convertPacket(f.file, f.events[1], f.dataSources[0]), { 'a.b': 2n ** 64n - 1n, n: 3, f: 2, s: 'y', t: false });
  });

  it('JSON Lines: array lines are array packets; mixing objects and arrays is an error', () => {
    const f = parseEventsFile('[{"x":1}]\n[]\n', 'r.jsonl', { datasource: 'ds' });
    assert.deepEqual(f.dataSources[0], { name: 'ds', type: 'array', fields: [{ name: 'x', kind: 'uint64' }] });
    assert.equal(f.events.length, 2);
    throwsAt(() => parseEventsFile('[{"x":1}]\n{"x":2}\n', 'r.jsonl'), 2, /JSON object after arrays/);
    throwsAt(() => parseEventsFile('\n\n', 'r.jsonl'), 1, /empty/);
    throwsAt(() => parseEventsFile('{"x":1}\n"str"\n', 'r.jsonl'), 2, /expected a JSON object/);
  });

  it('YAML: aliases expand, bombs and a second document are errors on their line', () => {
    const f = parseEventsFile('datasources:\n  a: {fields: {x: uint8}}\nevents:\n  - &e {datasource: a, data: {x: 1}}\n  - *e\n', 'f');
    assert.deepEqual(f.events.map((e) => e.datasource), ['a', 'a']);
    const bomb = ['datasources:', '  a: {fields: {y: string}}', 'events:', '  - datasource: a', '    data:', '      y0: &x0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]'];
    for (let i = 1; i < 5; i++) bomb.push(`      y${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]`);
    throwsAt(() => parseEventsFile(`${bomb.join('\n')}\n`, 'f'), 9, /aliases expand to more than/);
    throwsAt(() => parseEventsFile('events: []\n---\nevents: []\n', 'f'), 2, /second YAML document/);
    throwsAt(() => parseEventsFile('events:\n  - datasource: "a\n', 'f'), 2, /never closed/);
  });

  it('toValue converts by kind and refuses what does not fit', () => {
    assert.equal(toValue('uint64', '18446744073709551615'), 2n ** 64n - 1n);
    assert.equal(toValue('int16', 0x10n), 16);
    assert.equal(toValue('uint32', '0xff'), 255);
    assert.equal(toValue('bool', 'true'), true);
    assert.equal(toValue('string', 12n), '12');
    assert.deepEqual(toValue('bytes', 'AAH/'), new Uint8Array([0, 1, 255]));
    assert.deepEqual(toValue('bytes', [1n, 2n]), new Uint8Array([1, 2]));
    assert.throws(() => toValue('int8', 1.5), /expected an integer for kind int8/);
    assert.throws(() => toValue('uint64', -1n), /out of range/);
    assert.throws(() => toValue('bool', 1n), /expected true or false/);
    assert.throws(() => toValue('bytes', 'not base64!'), /base64/);
    assert.throws(() => toValue('float32', 'fast'), /expected a number/);
  });
});
