// The VS Code side of a run (src/workbench/run/ports.ts): quick picks, input boxes and file dialogs for
// the inputs, the progress notification and status-bar item, the output channel, the grid panel and
// notifications; and the gadget's files as gadgets.ts finds them.
import * as path from 'path';
import * as vscode from 'vscode';
import type { LogLevel } from '../host/api';
import type { GadgetFiles, GridSink, NoWasmAction, NoWasmFacts, Notice, ObjectInput, ParamQuestion, RunLog, RunSettings, RunTracker, RunUi } from '../workbench/run';
import { formatCount } from '../workbench/run/messages';
import type { GadgetMetadata, WasmParam } from '../metadata/types';
import { paramValueProblem } from '../metadata/params';
import type { Ctx } from './ctx';
import {
  discoverObject, discoverWasm, exists, findEventsFiles, findGadgets, gadgetYamlText, readGadgetObject, readImage, readStrictText, wasmMementoKey, type Gadget,
} from './gadgets';

const NO_WASM_LABELS: Record<NoWasmAction, string> = {
  buildObject: 'Build eBPF Object',
  runAnother: 'Run Another Gadget…',
  pickWasm: 'Pick a Wasm Module…',
};

export class ExtensionRunUi implements RunUi<Gadget> {
  constructor(private readonly ctx: Ctx) {}

  async pickWasm(g: Gadget, candidates: string[]): Promise<{ file: string } | { browse: true } | undefined> {
    type Item = vscode.QuickPickItem & { file?: string };
    const items: Item[] = candidates.map((file) => ({ label: path.relative(g.folder.fsPath, file), file }));
    items.push({ label: '$(folder-opened) Browse…' });
    const pick = await vscode.window.showQuickPick(items, { title: `Run ${g.name}: which wasm module?`, ignoreFocusOut: true });
    if (!pick) return undefined;
    return pick.file !== undefined ? { file: pick.file } : { browse: true };
  }

  async browseWasm(g: Gadget): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: `Run ${g.name}: pick its wasm module`, defaultUri: g.folder, canSelectMany: false,
      filters: { 'WebAssembly module': ['wasm'] }, openLabel: 'Run this module',
    });
    return picked?.[0]?.fsPath;
  }

  async noWasm(_g: Gadget, message: string, actions: NoWasmAction[]): Promise<NoWasmAction | undefined> {
    const choice = await vscode.window.showWarningMessage(message, ...actions.map((a) => NO_WASM_LABELS[a]));
    return actions.find((a) => NO_WASM_LABELS[a] === choice);
  }

  async wayOut(g: Gadget, action: 'buildObject' | 'runAnother'): Promise<void> {
    if (action === 'buildObject') {
      await vscode.commands.executeCommand('igWorkbench.buildEbpfObject', g.yaml);
      return;
    }
    const others = (await findGadgets(this.ctx)).filter((x) => x.key !== g.key);
    const pick = await vscode.window.showQuickPick(
      others.map((x) => ({ label: x.name, description: vscode.workspace.asRelativePath(x.image ? x.yaml : x.folder), x })),
      { title: 'Run which gadget?' });
    if (pick) await vscode.commands.executeCommand('igWorkbench.runGadget', pick.x.yaml);
  }

  async pickEvents(g: Gadget, files: string[], last: string | null | undefined): Promise<string | null | undefined> {
    type Item = vscode.QuickPickItem & { file: string | null };
    const items: Item[] = files.map((f) => ({ label: path.relative(g.folder.fsPath, f), description: 'emit its packets, then stop', file: f }));
    items.push({ label: 'No events file', description: 'run until stopped', file: null });
    const lastIndex = items.findIndex((i) => i.file === last);
    if (lastIndex > 0) items.unshift(...items.splice(lastIndex, 1));
    const pick = await vscode.window.showQuickPick(items, { title: `Run ${g.name}: events to feed the gadget's data sources`, ignoreFocusOut: true });
    return pick?.file;
  }

  async askParam(_g: Gadget, q: ParamQuestion): Promise<string | undefined> {
    const p = q.param;
    if (p.possibleValues?.length) return pickValue(q.title, p, q.initial);
    return vscode.window.showInputBox({
      title: q.title, value: q.initial, ignoreFocusOut: true,
      prompt: [p.description, p.defaultValue !== undefined ? `Default: ${p.defaultValue}` : undefined].filter(Boolean).join(' — '),
      placeHolder: p.typeHint ? `a ${p.typeHint}` : undefined,
      validateInput: (s) => paramValueProblem(p, s),
    });
  }

  async pickRunning<T extends { gadget: Gadget; id: number }>(running: T[]): Promise<T | undefined> {
    const pick = await vscode.window.showQuickPick(running.map((s) => ({ label: s.gadget.name, description: `run #${s.id}`, s })),
      { title: 'Stop Gadget', placeHolder: 'Which run to stop?' });
    return pick?.s;
  }

  remembered<T>(key: string): T | undefined {
    return this.ctx.memento.get<T>(key);
  }

  async remember(key: string, value: unknown): Promise<void> {
    await this.ctx.memento.update(key, value);
  }

  settings(): RunSettings {
    const c = this.ctx.config;
    return { logLevel: c.logLevel, callTimeoutMs: c.callTimeoutMs, openGrid: c.openGrid, cpus: c.cpus, mntnsFilter: c.mntnsFilter };
  }

  log(g: Gadget, record: (line: string) => void): RunLog {
    return this.ctx.log.forGadget(g.name, record);
  }

  logShows(level: LogLevel): boolean {
    return this.ctx.log.shows(level);
  }

  showLog(): void {
    this.ctx.log.show();
  }

  track(g: Gadget, id: number, cancel: () => void, where?: string): RunTracker {
    const name = where ? `${g.name} ${where}` : g.name;
    const status = vscode.window.createStatusBarItem(`igWorkbench.run.${id}`, vscode.StatusBarAlignment.Left, 10);
    status.name = `Inspektor Gadget: ${name}`;
    status.command = { title: 'Stop Gadget', command: 'igWorkbench.stopGadget', arguments: [id] };
    let progress: vscode.Progress<{ message?: string }> | undefined;
    let pending: string | undefined;
    let end!: () => void;
    const ended = new Promise<void>((r) => { end = r; });
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Inspektor Gadget: running ${name}`, cancellable: true },
      (p, token) => {
        token.onCancellationRequested(cancel);
        progress = p;
        if (pending !== undefined) p.report({ message: pending });
        return ended;
      });
    status.show();
    return {
      report: ({ packets, rate, stopping }) => {
        const text = `${formatCount(packets)} packets · ${formatCount(rate)}/s`;
        status.text = `$(pulse) ${name}: ${formatCount(rate)} ev/s`;
        status.tooltip = `Inspektor Gadget: ${name} (run #${id}) — ${text}. Click to stop.`;
        pending = stopping ? `stopping… ${text}` : text;
        progress?.report({ message: pending });
      },
      end: () => { end(); status.dispose(); },
    };
  }

  async openGrid(g: Gadget, metadata: GadgetMetadata | undefined, where?: string): Promise<GridSink> {
    const { GridPanel } = await import('./grid/gridPanel');
    // Column choices are remembered per gadget, whichever engine ran it.
    return GridPanel.create(this.ctx.extensionUri, { gadgetName: where ? `${g.name} ${where}` : g.name, gadgetKey: g.key, metadata }, this.ctx.memento);
  }

  async notify(n: Notice): Promise<string | undefined> {
    switch (n.kind) {
      case 'done':
        vscode.window.setStatusBarMessage(`$(check) ${n.message}`, 5000);
        return undefined;
      case 'info':
        return vscode.window.showInformationMessage(n.message);
      case 'error':
        return vscode.window.showErrorMessage(n.message, ...n.actions);
    }
  }
}

async function pickValue(title: string, p: WasmParam, initial: string): Promise<string | undefined> {
  const items = (p.possibleValues ?? []).map((v) => ({ label: v, description: v === p.defaultValue ? 'default' : undefined, picked: v === initial }));
  const i = items.findIndex((x) => x.label === initial);
  if (i > 0) items.unshift(...items.splice(i, 1));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: p.description, ignoreFocusOut: true }))?.label;
}

export class ExtensionGadgetFiles implements GadgetFiles<Gadget> {
  constructor(private readonly ctx: Ctx) {}

  folder(g: Gadget): string { return g.folder.fsPath; }
  image(g: Gadget): string | undefined { return g.image ? g.yaml.fsPath : undefined; }

  async findWasm(g: Gadget): Promise<{ module?: string; candidates: string[] }> {
    // An image carries its module (the tarball stands for it), or has none and runs its object alone.
    if (g.image) return { module: (await readImage(this.ctx, g.yaml)).wasm ? g.yaml.fsPath : '', candidates: [] };
    const found = await discoverWasm(this.ctx, g);
    return { module: found.uri?.fsPath, candidates: found.candidates.map((u) => u.fsPath) };
  }

  async rememberWasm(g: Gadget, file: string): Promise<void> {
    await this.ctx.memento.update(wasmMementoKey(g), vscode.Uri.file(file).toString());
  }

  async wasmBytes(g: Gadget, file: string): Promise<Uint8Array | undefined> {
    if (g.image) return (await readImage(this.ctx, g.yaml)).wasm;
    return vscode.workspace.fs.readFile(vscode.Uri.file(file));
  }

  async hasObject(g: Gadget): Promise<boolean> {
    return (await discoverObject(this.ctx, g)).uri !== undefined;
  }

  async noWasmFacts(g: Gadget): Promise<NoWasmFacts> {
    const [ebpfSource, gadgets] = await Promise.all([exists(vscode.Uri.joinPath(g.folder, 'program.bpf.c')), findGadgets(this.ctx)]);
    return { ebpfSource, others: gadgets.filter((x) => x.key !== g.key).length };
  }

  async object(g: Gadget, yaml: string | undefined): Promise<ObjectInput> {
    const o = await readGadgetObject(this.ctx, g, yaml);
    return { ...o, path: o.uri?.fsPath };
  }

  async eventsFiles(g: Gadget): Promise<string[]> {
    return (await findEventsFiles(g)).map((u) => u.fsPath);
  }

  yamlText(g: Gadget, strict?: boolean): Promise<string | undefined> {
    return gadgetYamlText(this.ctx, g, strict);
  }

  readText(file: string): Promise<string | undefined> {
    return readStrictText(vscode.Uri.file(file));
  }
}
