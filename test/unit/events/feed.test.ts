// Feeding an events file into a real run (src/events/feed.ts): the one path the CLI and the extension share.
import * as assert from 'node:assert/strict';
import { feedEvents, checkDeclaredPackets } from '../../../src/events/feed';
import { EventsFileError, parseEventsFile } from '../../../src/events/parse';
import { EmitError, type DataSourceInfo, type Value } from '../../../src/host/api';
import { GadgetRunner } from '../../../src/host/thread/runner';
import { buildGuest } from '../host/runner-guests';

const FILE = [
  'datasources:',
  '  ev:',
  '    fields: {n: uint32}',
  'events:',
  '  - {datasource: ev, data: {n: 1}}',
  '  - {datasource: ev, data: {n: 2}}',
  '  - {datasource: ev, data: {n: 3}}',
].join('\n');

describe('feeding an events file into a run', function () {
  this.timeout(20000);
  let runner: GadgetRunner | undefined;
  afterEach(async () => { await runner?.terminate(); runner = undefined; });

  async function start(text: string): Promise<{ r: GadgetRunner; ds: DataSourceInfo[]; rows: Value[][]; events: ReturnType<typeof parseEventsFile> }> {
    const events = parseEventsFile(text, 'ev.yaml');
    const r = runner = new GadgetRunner({ wasm: await buildGuest({ doubler: true }), dataSources: events.dataSources });
    const rows: Value[][] = [];
    r.onEvent((e) => { if (e.type === 'packets') rows.push(...e.batch.rows); });
    return { r, ds: await r.start(), rows, events };
  }

  it('emits every packet in order, converted by the kinds the gadget has after gadgetInit', async () => {
    const { r, ds, rows, events } = await start(FILE);
    assert.equal(await feedEvents(r, events, ds, { chunk: 2 }), true);
    const res = await r.stop();
    assert.equal(res.ok, true);
    assert.equal(res.packets, 3);
    // `twice` is the guest's field: the guest saw each packet.
    assert.deepEqual(rows, [[1, 2], [2, 4], [3, 6]]);
  });

  it('an unknown data source names the event\'s line and what the gadget has', async () => {
    const { r, ds, events } = await start(`${FILE}\n  - {datasource: nope, data: {n: 4}}`);
    await assert.rejects(feedEvents(r, events, ds), (e: unknown) => {
      assert.ok(e instanceof EventsFileError, String(e));
      assert.equal(e.line, 8);
      assert.match(e.problem, /unknown data source 'nope' \(after gadgetInit the gadget has: ev\)/);
      return true;
    });
  });

  it('a packet the host refuses becomes an error at that event\'s line', async () => {
    const { r, ds, events } = await start(FILE.replace('{n: 2}', '{n: 2, extra: 5}'));
    // The data sources as a stale description knows them: with a field the host does not have.
    const stale = ds.map((d) => ({ ...d, fields: [...d.fields, { name: 'extra', kind: 'uint32' as const, tags: [], origin: 'host' as const }] }));
    await assert.rejects(feedEvents(r, events, stale), (e: unknown) => {
      assert.ok(e instanceof EventsFileError, String(e));
      assert.equal(e.line, 6);
      assert.match(e.problem, /no field "extra"/);
      return true;
    });
    // The packet before it was emitted, the gadget still runs.
    const res = await r.stop();
    assert.equal(res.ok, true);
    assert.equal(res.packets, 1);
  });

  it('ends early, without error, once the run is stopped', async () => {
    const { r, ds, events } = await start(FILE);
    assert.equal(await feedEvents(r, events, ds, { stopped: Promise.resolve(), chunk: 1 }), false);
    assert.ok((await r.stop()).packets < 3);
  });

  it('checks the packets of declared data sources before anything runs', () => {
    const events = parseEventsFile(FILE.replace('{n: 3}', '{n: -3}'), 'ev.yaml');
    assert.throws(() => checkDeclaredPackets(events), (e: unknown) => e instanceof EventsFileError && e.line === 7 && /out of range/.test(e.problem));
  });
});

describe('EmitError', () => {
  it('carries the data source, the packet index and the problem', () => {
    const e = new EmitError('ev', 1, 'no field "x"');
    assert.deepEqual([e.datasource, e.index, e.problem], ['ev', 1, 'no field "x"']);
    assert.equal(e.message, `emit into 'ev' failed at packet 2: no field "x"`);
  });
});
