import * as assert from 'node:assert/strict';
import { EventsFileError, parseEventsFile } from '../../../src/events/parse';
import { kernelFromEvents } from '../../../src/events/kernel';

const parse = (text: string) => parseEventsFile(text, 'ev.yaml');

function fails(text: string): EventsFileError {
  try {
    const ev = parse(text);
    kernelFromEvents(undefined, ev.kernel, 'ev.yaml');
  } catch (e) {
    if (e instanceof EventsFileError) return e;
    throw e;
  }
  throw new Error(`expected an EventsFileError for:\n${text}`);
}

describe('events files: the kernel side', () => {
  it('reads maps, perf records, kallsyms and the mntns filter into the host\'s kernel options', () => {
    const ev = parse([
      'maps:',
      '  counts: {type: BPF_MAP_TYPE_LRU_PERCPU_HASH, keySize: 4, valueSize: 8, maxEntries: 16}',
      '  events: {type: perf_event_array, keySize: 4, valueSize: 4, maxEntries: 0}',
      '  cfg:',
      '    type: Array',
      '    keySize: 4',
      '    valueSize: 2',
      '    maxEntries: 1',
      '    entries: [{key: AAAAAA==, value: [1, 2]}]',
      'perf:',
      '  events: [AQID, [4, 5]]',
      'kallsyms: [a, b]',
      'mntnsFilter: [18446744073709551615]',
    ].join('\n'));
    const k = kernelFromEvents(undefined, ev.kernel, 'ev.yaml', 2);
    assert.deepEqual(k.maps?.map((m) => [m.name, m.type, m.maxEntries]), [['counts', 10, 16], ['events', 4, 0], ['cfg', 2, 1]]);
    assert.deepEqual(k.maps?.[2].entries, [{ key: new Uint8Array(4), value: Uint8Array.from([1, 2]) }]);
    assert.deepEqual(k.maps?.[1].records, [Uint8Array.from([1, 2, 3]), Uint8Array.from([4, 5])]);
    assert.deepEqual(k.kallsyms, ['a', 'b']);
    assert.deepEqual(k.mntnsFilter, [2n ** 64n - 1n]);
    assert.equal(k.cpus, 2);
  });

  it('names the line of every mistake', () => {
    const cases: [string, number, RegExp][] = [
      ['maps: [a]\n', 1, /`maps` must be a mapping of map names/],
      ['maps:\n  m: 3\n', 2, /map 'm' must be a mapping/],
      ['maps:\n  m: {type: hash, keySize: -1}\n', 2, /map 'm': keySize must be an integer/],
      ['maps:\n  m: {type: hash, colour: red}\n', 2, /unknown key 'colour'/],
      ['maps:\n  m:\n    entries: {key: 1}\n', 3, /entries must be a list/],
      ['maps:\n  m:\n    entries:\n      - {key: [1]}\n', 4, /an entry needs both key and value/],
      ['maps:\n  m:\n    entries:\n      - {key: [1], value: [1], extra: 1}\n', 4, /unknown key 'extra' in an entry/],
      ['maps:\n  m:\n    entries:\n      - {key: [300], value: [1]}\n', 4, /map 'm', key: expected base64 text or a list of byte values/],
      ['maps:\n  m: {type: hash, keySize: 4, valueSize: 4, maxEntries: 1, entries: [{key: {a: 1}, value: [0, 0, 0, 0]}]}\n', 2, /members by name need the map's BTF type/],
      ['perf:\n  events: AQID\n', 2, /expected a list of records/],
      ['kallsyms: [1, 2]\n', 1, /`kallsyms` must be a list of symbol names/],
      ['mntnsFilter: [-1]\n', 1, /IDs are unsigned 64-bit integers/],
      ['perf:\n  nope: [AQID]\n', 2, /perf 'nope': no such map/],
    ];
    for (const [text, line, re] of cases) {
      const e = fails(text);
      assert.equal(e.line, line, `${text}: ${e.message}`);
      assert.match(e.problem, re, text);
    }
  });
});
