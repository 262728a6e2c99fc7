// Feeding an events file into a run: the one way the CLI and the extension emit its packets after
// gadgetStart. Packets are converted by the kinds their data sources have once the gadget is started
// (guest-created data sources exist only after gadgetInit); consecutive packets of one data source go in
// one message to the worker. A packet the host refuses becomes an EventsFileError naming its line.
import { EmitError, type DataSourceDecl, type DataSourceInfo, type PacketData } from '../host/api';
import { EventsFileError, convertPacket, type EventsFile } from './parse';

/** The part of GadgetRunner feeding needs (tests may pass their own). */
export interface PacketSink {
  emitMany(datasource: string, packets: PacketData[]): Promise<number>;
}

export interface FeedOptions {
  /** Resolves when the user stops the run: feeding ends after the message in flight. */
  stopped?: Promise<unknown>;
  /** Most packets per message (default 1024): bounds the latency of a stop. */
  chunk?: number;
}

/**
 * Checks the packets of the data sources the file declares itself, before anything runs: a bad value is
 * then reported before the gadget is loaded. Throws EventsFileError.
 */
export function checkDeclaredPackets(events: EventsFile): void {
  const decls = new Map<string, DataSourceDecl>(events.dataSources.map((d) => [d.name, d]));
  for (const ev of events.events) {
    const d = decls.get(ev.datasource);
    if (d) convertPacket(events.file, ev, d);
  }
}

/**
 * Emits the file's packets in order into a started run whose data sources are `dataSources` (as
 * `start()` reported them). Resolves with false when `stopped` ended it early, true when every packet was
 * emitted. Throws EventsFileError for an unknown data source, a bad value or a refused packet, and
 * rethrows the runner's GadgetError when the gadget fails.
 */
export async function feedEvents(sink: PacketSink, events: EventsFile, dataSources: readonly DataSourceInfo[], opts: FeedOptions = {}): Promise<boolean> {
  const chunk = opts.chunk ?? 1024;
  const stopped = opts.stopped?.then(() => STOP);
  const byName = new Map<string, DataSourceInfo>(dataSources.map((d) => [d.name, d]));
  const list = events.events;
  for (let i = 0; i < list.length;) {
    const name = list[i].datasource;
    const ds = byName.get(name);
    if (!ds) {
      throw new EventsFileError(events.file, list[i].line, `unknown data source '${name}' (after gadgetInit the gadget has: ${[...byName.keys()].join(', ') || 'none'})`);
    }
    const start = i;
    const packets: PacketData[] = [];
    for (; i < list.length && list[i].datasource === name && packets.length < chunk; i++) packets.push(convertPacket(events.file, list[i], ds));
    try {
      const emitted = sink.emitMany(name, packets);
      if (stopped && (await Promise.race([emitted, stopped])) === STOP) {
        emitted.catch(() => undefined); // its outcome no longer matters: the run is stopping
        return false;
      }
      await emitted;
    } catch (e) {
      if (e instanceof EmitError) throw new EventsFileError(events.file, list[start + e.index]?.line ?? list[start].line, e.problem);
      throw e;
    }
  }
  return true;
}

const STOP = Symbol('stop');
