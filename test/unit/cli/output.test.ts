// The run command's printers (src/cli/output.ts), fed HostEvents directly.
import * as assert from 'node:assert/strict';
import type { HostEvent } from '../../../src/host/api';
import { ColumnsPrinter, RecordsPrinter, jsonValue, type Sinks } from '../../../src/cli/output';

function sinks(): Sinks & { o: string[]; e: string[] } {
  const o: string[] = [];
  const e: string[] = [];
  return { o, e, out: (s) => { o.push(s); }, err: (s) => { e.push(s); } };
}

const DS: HostEvent = {
  type: 'datasources',
  datasources: [{ name: 'open', type: 'single', origin: 'host', fields: [
    { name: 'comm', kind: 'string', tags: [], origin: 'host' }, { name: 'pid', kind: 'uint32', tags: [], origin: 'host' },
    { name: 'secret', kind: 'string', tags: [], origin: 'host' }, { name: 'path', kind: 'string', tags: [], origin: 'guest' },
  ] }],
};

describe('run output', () => {
  it('jsonValue: exact 64-bit numbers, big ones as strings, bytes base64, non-finite floats as text', () => {
    assert.equal(jsonValue(2n ** 53n - 1n), 2 ** 53 - 1);
    assert.equal(jsonValue(2n ** 53n), '9007199254740992');
    assert.equal(jsonValue(-(2n ** 63n)), '-9223372036854775808');
    assert.equal(jsonValue(new Uint8Array([104, 105])), 'aGk=');
    assert.equal(jsonValue(NaN), 'NaN');
    assert.equal(jsonValue(-Infinity), '-Infinity');
    assert.equal(jsonValue(true), true);
  });

  it('JSON printer: array packets grouped by packet number; logs filtered by level; stream kept', () => {
    const s = sinks();
    const p = new RecordsPrinter(s, 'info');
    p.event({ type: 'log', level: 'debug', message: 'hidden' });
    p.event({ type: 'log', level: 'info', message: 'out', stream: 'stdout' });
    p.event({ type: 'packets', batch: { datasource: 'a', fields: ['x'], rows: [[1], [2], [3]], packet: [4, 4, 5], element: [0, 1, 0] } });
    p.event({ type: 'error', phase: 'gadgetStop', message: 'boom' });
    p.flush();
    assert.deepEqual(s.o.join('').trim().split('\n').map((l) => JSON.parse(l)), [
      { type: 'log', level: 'info', message: 'out', stream: 'stdout' },
      { type: 'packet', datasource: 'a', data: [{ x: 1 }, { x: 2 }] },
      { type: 'packet', datasource: 'a', data: [{ x: 3 }] },
      { type: 'error', phase: 'gadgetStop', message: 'boom' },
    ]);
  });

  it('columns printer: widths, min/max, hidden, right alignment, ellipsis, header per data source switch', () => {
    const s = sinks();
    const p = new ColumnsPrinter(s, 'info', { open: {
      comm: { 'columns.width': '4' }, pid: { 'columns.alignment': 'right', 'columns.maxwidth': '6' }, secret: { 'columns.hidden': 'true' },
      path: { 'columns.minwidth': '6', 'columns.width': '2' },
    } }, { keep: 1 });
    p.event(DS);
    p.event({ type: 'packets', batch: { datasource: 'open', fields: ['comm', 'pid', 'secret', 'path'], rows: [['bash', 7, 'x', '/a'], ['systemd', 1234567, 'y', '/very/long']], packet: [1, 2] } });
    p.event({ type: 'packets', batch: { datasource: 'other', fields: ['v'], rows: [[true]], packet: [1] } });
    p.event({ type: 'packets', batch: { datasource: 'open', fields: ['comm', 'pid', 'secret', 'path'], rows: [['sh', 1, 'z', 'p\tq']], packet: [3] } });
    p.event({ type: 'config', config: { keep: 1, hello: { n: '2' } } });
    p.flush();
    assert.equal(s.o.join(''), [
      // As IG: every cell padded to its width, the last one too.
      'COMM    PID PATH  ',
      'bash      7 /a    ',
      'sys… 12345… /very…',
      '',
      'V               ',
      'true            ',
      '',
      'COMM    PID PATH  ',
      'sh        1 p q   ',
      '',
      'CONFIG  VALUE',
      'hello.n 2',
      '',
    ].join('\n'));
  });

  it('columns printer: guest logs and errors go to stderr as logrus lines', () => {
    const s = sinks();
    const p = new ColumnsPrinter(s, 'warn', {});
    p.event({ type: 'log', level: 'info', message: 'quiet' });
    p.event({ type: 'log', level: 'warn', message: 'careful' });
    p.event({ type: 'error', phase: 'gadgetInit', message: 'failed' });
    assert.deepEqual(s.e, ['WARN[0000] careful\n', 'ERRO[0000] gadgetInit: failed\n']);
  });
});
