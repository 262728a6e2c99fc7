// Run Gadget's wiring: the orchestration lives in src/workbench/run (vscode-free); this file hands it
// VS Code's side — prompts, the progress notification and status-bar item, the output channel, the grid
// panel, remembered choices (run-ui.ts) and the gadget's files (gadgets.ts) — and opens map entry grids.
import * as vscode from 'vscode';
import { EmbeddedEngine, RunOrchestrator, type Engine, type RunSession } from '../workbench/run';
import type { MapSnapshot, RunResult, DataSourceInfo } from '../host/api';
import type { MapDecoder } from '../events/machine';
import type { Ctx } from './ctx';
import type { Gadget } from './gadgets';
import type { GridPanel } from './grid/gridPanel';
import { ExtensionGadgetFiles, ExtensionRunUi } from './run-ui';

export type { RunRequest, RunSummary } from '../workbench/run';

export class RunManager implements vscode.Disposable {
  private readonly orchestrator: RunOrchestrator<Gadget>;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Grids of map entries still open (for tests). */
  mapGrids: GridPanel[] = [];

  constructor(private readonly ctx: Ctx) {
    this.orchestrator = new RunOrchestrator(new ExtensionRunUi(ctx), new ExtensionGadgetFiles(ctx), new EmbeddedEngine());
    this.orchestrator.onDidChange(() => {
      void vscode.commands.executeCommand('setContext', 'igWorkbench.running', this.orchestrator.active.length > 0);
      void vscode.commands.executeCommand('setContext', 'igWorkbench.hasLastRun', this.orchestrator.hasLastRun);
      this.changed.fire();
    });
  }

  get active(): RunSession<Gadget>[] { return this.orchestrator.active; }
  get lastEnded(): RunSession<Gadget> | undefined { return this.orchestrator.lastEnded; }
  session(id: number): RunSession<Gadget> | undefined { return this.orchestrator.session(id); }
  dataSourcesOf(gadgetKey: string): DataSourceInfo[] | undefined { return this.orchestrator.dataSourcesOf(gadgetKey); }
  mapsOf(gadgetKey: string): { maps: MapSnapshot[]; decoder?: MapDecoder } | undefined { return this.orchestrator.mapsOf(gadgetKey); }
  /** On the embedded host unless another engine is given (IG's own: src/extension/engines.ts). */
  run(gadget: Gadget, request?: import('../workbench/run').RunRequest, engine?: Engine): Promise<RunSession<Gadget> | undefined> { return this.orchestrator.run(gadget, request, engine); }
  rerun(): Promise<RunSession<Gadget> | undefined> { return this.orchestrator.rerun(); }
  stop(id?: number): Promise<RunResult | undefined> { return this.orchestrator.stop(id); }

  /**
   * Opens a grid with the entries a gadget's map had when its last run ended (keys and values decoded by
   * the object's BTF types when known). Returns the rows shown, or undefined when there is no such map.
   */
  async showMap(gadgetKey: string, name: string): Promise<{ key: string; value: string }[] | undefined> {
    const found = this.mapsOf(gadgetKey);
    const m = found?.maps.find((x) => x.name === name);
    const gadget = this.orchestrator.gadgetOf(gadgetKey);
    if (!m || !gadget) {
      void vscode.window.showInformationMessage(`No entries of map ${name} yet: run the gadget first.`);
      return undefined;
    }
    const [{ entryTexts }, { GridPanel }] = await Promise.all([this.ctx.loadEvents(), import('./grid/gridPanel')]);
    const rows = entryTexts(m, found!.decoder);
    const ds = `map ${name}`;
    // Wide enough for a decoded struct (IG's `columns.width`; the user can still resize).
    const width = (n: number): { annotations: Record<string, string> } => ({ annotations: { 'columns.width': String(n) } });
    const metadata = { datasources: { [ds]: { annotations: {}, fields: { key: width(24), value: width(64) } } }, wasmParams: {} };
    const grid = GridPanel.create(this.ctx.extensionUri, { gadgetName: `${gadget.name}: ${ds}`, gadgetKey, metadata }, this.ctx.memento);
    this.mapGrids.push(grid);
    grid.onDidDispose(() => { this.mapGrids = this.mapGrids.filter((g) => g !== grid); });
    grid.setDataSources([{
      name: ds, type: 'single', origin: 'host',
      fields: [{ name: 'key', kind: 'string', tags: [], origin: 'host' }, { name: 'value', kind: 'string', tags: [], origin: 'host' }],
    }]);
    grid.push({ datasource: ds, fields: ['key', 'value'], rows: rows.map((r) => [r.key, r.value]), packet: rows.map((_, i) => i + 1) });
    grid.runEnded({ ok: true, config: {}, packets: rows.length });
    return rows;
  }

  dispose(): void {
    for (const g of this.mapGrids.splice(0)) g.dispose();
    this.orchestrator.dispose();
    this.changed.dispose();
  }
}
