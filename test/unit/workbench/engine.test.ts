// The embedded engine's start/feed/stop sequence, which the extension's run session and `ig-wasm run`
// share: a real guest (the example's module) fed a real events file, ended by an input error the way each
// caller asks.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseEventsFile } from '../../../src/events/parse';
import { EmbeddedEngine, type RunEvent, type RunSetup } from '../../../src/workbench/run';
import { helloWasm } from '../cli/helpers';

const EVENTS = path.resolve(__dirname, '../../../../examples/hello/events.yaml');

function setup(extra: Partial<RunSetup> = {}): RunSetup {
  const events = parseEventsFile(readFileSync(EVENTS, 'utf8'), EVENTS);
  return {
    gadget: { name: 'hello', folder: path.dirname(EVENTS) }, wasm: readFileSync(helloWasm()), params: {}, config: {},
    dataSources: events.dataSources, kernel: {}, events, untilStopped: false, logLevel: 'info', callTimeoutMs: 5000, ...extra,
  };
}

async function run(s: RunSetup): Promise<{ events: RunEvent[]; result: Awaited<ReturnType<ReturnType<EmbeddedEngine['start']>['stop']>> }> {
  const r = new EmbeddedEngine().start(s);
  const events: RunEvent[] = [];
  r.onEvent((e) => events.push(e));
  return { events, result: await r.done };
}

const stopped = (events: RunEvent[]): boolean => events.some((e) => e.type === 'phase' && e.phase === 'gadgetStop');
const packets = (events: RunEvent[]): number => events.filter((e) => e.type === 'packets').length;

describe('workbench embedded engine', function () {
  this.timeout(30_000);

  it('feeds the events file after gadgetStart and stops cleanly', async () => {
    const { events, result } = await run(setup());
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal(result.inputError, undefined);
    assert.equal(result.packets, 4);
    assert.ok(stopped(events));
  });

  it('a refusal from checkStarted is an input error before any packet: the run is stopped cleanly by default', async () => {
    const seen: string[] = [];
    const { events, result } = await run(setup({ checkStarted: (ds) => { seen.push(...ds.map((d) => d.name)); return "--fields: no field 'nope'"; } }));
    assert.ok(seen.includes('open'), `checkStarted saw the started data sources: ${seen.join(', ')}`);
    assert.equal(result.ok, false);
    assert.equal(result.inputError, "--fields: no field 'nope'");
    assert.deepEqual(result.error, { phase: 'emit', message: "--fields: no field 'nope'" });
    assert.equal(packets(events), 0, 'nothing was fed');
    assert.ok(stopped(events), 'gadgetStop ran');
    assert.ok(events.some((e) => e.type === 'note' && e.level === 'error' && e.message.includes('nope')));
  });

  it("onInputError 'terminate' ends the gadget at once: no gadgetStop, no config", async () => {
    const { events, result } = await run(setup({ checkStarted: () => 'bad field', onInputError: 'terminate' }));
    assert.equal(result.inputError, 'bad field');
    assert.deepEqual(result.error, { phase: 'emit', message: 'bad field' });
    assert.ok(!stopped(events), 'gadgetStop did not run');
    assert.ok(!events.some((e) => e.type === 'config'));
  });

  it('a packet the host refuses is an input error naming its line; the gadget itself did not fail', async () => {
    const s = setup({ onInputError: 'terminate' });
    s.events = { ...s.events!, events: [...s.events!.events, { ...s.events!.events[0], datasource: 'missing', line: 99 }] };
    const { result } = await run(s);
    assert.match(result.inputError ?? '', /:99:.*unknown data source 'missing'/);
    assert.equal(result.error?.phase, 'emit');
  });
});
