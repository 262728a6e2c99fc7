// The run orchestration's surroundings for unit tests: a RunUi that answers from a script and records
// what it was asked and shown, and GadgetFiles over a real gadget folder on disk.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { DataSourceInfo, LogLevel, PacketBatch, RunResult } from '../../../src/host/api';
import type { GadgetMetadata } from '../../../src/metadata/types';
import { chooseObject, readObject } from '../../../src/workbench/object';
import { goArch } from '../../../src/ebpf';
import { wasmFromBuildYaml } from '../../../src/extension/inputs';
import { decodeUtf8 } from '../../../src/yaml/decode';
import type {
  GadgetFiles, GadgetRef, GridSink, NoWasmAction, NoWasmFacts, Notice, ObjectInput, ParamQuestion, RunLog, RunSettings, RunTracker, RunUi,
} from '../../../src/workbench/run';

export interface TestGadget extends GadgetRef { folder: string }

export function gadgetIn(folder: string, name = path.basename(folder)): TestGadget {
  return { name, key: folder, folder };
}

/** The packets a grid received, as rows of field → value. */
export class MemoryGrid implements GridSink {
  datasources: DataSourceInfo[] = [];
  readonly rows: Record<string, unknown>[] = [];
  ended?: RunResult;
  disposed = false;
  private readonly disposeListeners: (() => void)[] = [];
  constructor(readonly metadata: GadgetMetadata | undefined) {}
  setDataSources(ds: DataSourceInfo[]): void { this.datasources = ds; }
  push(b: PacketBatch): void {
    for (const row of b.rows) this.rows.push(Object.fromEntries(b.fields.map((f, i) => [f, row[i]])));
  }
  runEnded(result: RunResult): void { this.ended = result; }
  async stats(): Promise<{ datasource: string; received: number; shown: number }[]> {
    return [{ datasource: '*', received: this.rows.length, shown: this.rows.length }];
  }
  onDidDispose(listener: () => void): void { this.disposeListeners.push(listener); }
  dispose(): void { this.disposed = true; for (const l of this.disposeListeners) l(); }
}

/** Answers for the prompts; a missing answer fails the test with what was asked. */
export interface Script {
  pickWasm?: (candidates: string[]) => { file: string } | { browse: true } | undefined;
  browseWasm?: () => string | undefined;
  noWasm?: (message: string, actions: NoWasmAction[]) => NoWasmAction | undefined;
  pickEvents?: (files: string[], last: string | null | undefined) => string | null | undefined;
  askParam?: (q: ParamQuestion) => string | undefined;
  notice?: (n: Notice) => string | undefined;
}

export class MemoryRunUi implements RunUi<TestGadget> {
  readonly asked: string[] = [];
  readonly notices: Notice[] = [];
  readonly lines: string[] = [];
  readonly grids: MemoryGrid[] = [];
  readonly wayOuts: string[] = [];
  readonly reports: { packets: number; stopping: boolean }[] = [];
  readonly memory = new Map<string, unknown>();
  tracking = 0;
  logShown = 0;
  settingsNow: RunSettings = { logLevel: 'info', callTimeoutMs: 5000, openGrid: true, cpus: 1 };

  constructor(public script: Script = {}) {}

  private need<K extends keyof Script>(k: K): NonNullable<Script[K]> {
    this.asked.push(k);
    const f = this.script[k];
    if (!f) throw new Error(`unexpected prompt: ${k}`);
    return f;
  }

  async pickWasm(_g: TestGadget, candidates: string[]): Promise<{ file: string } | { browse: true } | undefined> { return this.need('pickWasm')(candidates); }
  async browseWasm(): Promise<string | undefined> { return this.need('browseWasm')(); }
  async noWasm(_g: TestGadget, message: string, actions: NoWasmAction[]): Promise<NoWasmAction | undefined> { return this.need('noWasm')(message, actions); }
  async wayOut(g: TestGadget, action: 'buildObject' | 'runAnother'): Promise<void> { this.wayOuts.push(`${action} ${g.name}`); }
  async pickEvents(_g: TestGadget, files: string[], last: string | null | undefined): Promise<string | null | undefined> { return this.need('pickEvents')(files, last); }
  async askParam(_g: TestGadget, q: ParamQuestion): Promise<string | undefined> { return this.need('askParam')(q); }
  async pickRunning<T>(running: T[]): Promise<T | undefined> { this.asked.push('pickRunning'); return running[running.length - 1]; }
  remembered<T>(key: string): T | undefined { return this.memory.get(key) as T | undefined; }
  async remember(key: string, value: unknown): Promise<void> { this.memory.set(key, value); }
  settings(): RunSettings { return this.settingsNow; }
  log(g: TestGadget, record: (line: string) => void): RunLog {
    const line = (level: LogLevel, message: string): void => {
      const text = `${level}: [${g.name}] ${message}`;
      this.lines.push(text);
      record(text);
    };
    return {
      line,
      event: (e) => {
        if (e.type === 'log') line(e.level, e.stream ? `${e.stream}: ${e.message}` : e.message);
        else if (e.type === 'error') line('error', `${e.phase} failed: ${e.message}`);
      },
    };
  }
  logShows(level: LogLevel): boolean { return level !== 'trace'; }
  showLog(): void { this.logShown++; }
  track(): RunTracker {
    this.tracking++;
    return { report: (p) => this.reports.push({ packets: p.packets, stopping: p.stopping }), end: () => { this.tracking--; } };
  }
  async openGrid(_g: TestGadget, metadata: GadgetMetadata | undefined): Promise<GridSink> {
    const grid = new MemoryGrid(metadata);
    this.grids.push(grid);
    return grid;
  }
  async notify(n: Notice): Promise<string | undefined> {
    this.notices.push(n);
    return this.script.notice?.(n);
  }
}

const EVENTS = /^(events|.*\.events)\.(ya?ml|json|jsonl)$/;

/** A gadget's files as the extension finds them, read from disk. */
export class FsGadgetFiles implements GadgetFiles<TestGadget> {
  readonly remembered = new Map<string, string>();
  others = 0;

  folder(g: TestGadget): string { return g.folder; }
  image(): undefined { return undefined; }
  async findWasm(g: TestGadget): Promise<{ module?: string; candidates: string[] }> {
    const build = path.join(g.folder, 'build.yaml');
    const named = existsSync(build) ? wasmFromBuildYaml(readFileSync(build, 'utf8')) : undefined;
    if (named && existsSync(path.join(g.folder, named))) return { module: path.join(g.folder, named), candidates: [] };
    const remembered = this.remembered.get(g.key);
    if (remembered) return { module: remembered, candidates: [] };
    const candidates = readdirSync(g.folder).filter((f) => f.endsWith('.wasm')).sort().map((f) => path.join(g.folder, f));
    return candidates.length === 1 ? { module: candidates[0], candidates } : { candidates };
  }
  async rememberWasm(g: TestGadget, file: string): Promise<void> { this.remembered.set(g.key, file); }
  async wasmBytes(_g: TestGadget, file: string): Promise<Uint8Array> { return readFileSync(file); }
  private objectFile(g: TestGadget): string | undefined {
    const chosen = chooseObject(readdirSync(g.folder).filter((f) => f.endsWith('.bpf.o')), goArch(process.arch));
    return chosen && path.join(g.folder, chosen);
  }
  async hasObject(g: TestGadget): Promise<boolean> { return this.objectFile(g) !== undefined; }
  async noWasmFacts(g: TestGadget): Promise<NoWasmFacts> {
    return { ebpfSource: existsSync(path.join(g.folder, 'program.bpf.c')), others: this.others };
  }
  async object(g: TestGadget, yaml: string | undefined): Promise<ObjectInput> {
    const file = this.objectFile(g);
    if (!file) return {};
    const bytes = readFileSync(file);
    const r = readObject(bytes, yaml);
    return r.error ? { path: file, error: r.error } : { path: file, bytes, spec: r.spec, plan: r.plan };
  }
  async eventsFiles(g: TestGadget): Promise<string[]> {
    return readdirSync(g.folder).filter((f) => EVENTS.test(f)).sort().map((f) => path.join(g.folder, f));
  }
  async yamlText(g: TestGadget): Promise<string | undefined> { return this.readText(path.join(g.folder, 'gadget.yaml')); }
  async readText(file: string): Promise<string | undefined> {
    return existsSync(file) ? decodeUtf8(readFileSync(file)) : undefined;
  }
}
