// The Gadgets tree (activity bar): gadget folder → data sources → fields, plus the gadget's params.
// gadget.yaml gives names, descriptions, annotations and where to reveal each key; field kinds come from
// the last run's data sources or else the gadget's first events file. Refreshes on file changes and runs.
//
// Why the tree is a model built ahead of time: VS Code's extension-host tree layer throws away the answer
// of a getChildren that is still pending when the tree is refreshed (the fetch is cancelled and VS Code
// gets nothing, shown as no children), and a root fetch forgets every item handle until it completes, so
// asking for a gadget's children meanwhile answers [] ("No tree item with id … found"). When getChildren
// read files itself (tens to hundreds of ms) while file changes and runs kept refreshing, a gadget node
// could be left expanded with nothing under it. Now a load reads everything first, loads are debounced
// and run one at a time (a load overtaken by a newer request is dropped), the tree is told to re-read
// only when the result differs, and getChildren answers from the current model without waiting on I/O.
import * as path from 'path';
import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import type { EbpfMap } from '../ebpf';
import type { DataSourceDecl } from '../host/api';
import type { GadgetMetadata, OutlineNode } from '../metadata/types';
import { fieldDescription, gadgetLocation, type DataSourceModel, type EbpfParamModel, type FieldModel, type ParamModel } from '../workbench/tree-model';
import { toRange } from './convert';
import type { Ctx } from './ctx';
import { findEventsFiles, findGadgets, gadgetYamlText, readGadgetObject, type Gadget } from './gadgets';
import type { RunManager } from './run';

export const VIEW_ID = 'igWorkbench.gadgets';
/** Files whose change can change the tree: gadget.yaml, build.yaml, wasm modules, events files. */
const RELEVANT = /\/(gadget\.yaml|build\.yaml|[^/]*\.wasm|[^/]*\.bpf\.o|[^/]*\.tar|events\.[^/]*|[^/]*\.events\.[^/]*|events\/[^/]*)$/;

export type Node =
  | { type: 'gadget'; gadget: Gadget; metadata?: GadgetMetadata; error?: string }
  | { type: 'datasource'; gadget: Gadget; ds: DataSourceModel }
  | { type: 'field'; gadget: Gadget; datasource: string; field: FieldModel }
  | { type: 'params'; gadget: Gadget; params: ParamModel[] }
  | { type: 'param'; gadget: Gadget; param: ParamModel }
  | { type: 'ebpfParams'; gadget: Gadget; params: EbpfParamModel[]; object?: vscode.Uri }
  | { type: 'ebpfParam'; gadget: Gadget; param: EbpfParamModel; object?: vscode.Uri }
  /** `entries`: per map, how many it held when the gadget's last run ended. */
  | { type: 'maps'; gadget: Gadget; maps: EbpfMap[]; object?: vscode.Uri; entries?: Record<string, number> }
  /** `entries`: how many the map held when the gadget's last run ended (unknown before a run). */
  | { type: 'map'; gadget: Gadget; map: EbpfMap; object?: vscode.Uri; entries?: number }
  /** Something that could not be read: what went wrong and where, instead of a silently empty node. */
  | { type: 'error'; gadget?: Gadget; message: string; uri?: vscode.Uri };

/** What the tree knows about a gadget beyond its gadget.yaml. */
interface GadgetDetails {
  datasources: Node[];
  /** params, eBPF params, maps. */
  groups: Node[];
  /** Problems to show as error children (the rest of the details are still shown). */
  errors: Node[];
  /** A problem that may be transient (a file being rewritten): worth one more load. */
  transient: boolean;
}

/** One complete reading of the workspace's gadgets: what getChildren answers from. */
interface TreeModel {
  generation: number;
  roots: Node[];
  /** Children of each gadget node, by gadget key. */
  children: Map<string, Node[]>;
  /** The model as plain data: a load that finds the same tree does not refresh the view. */
  fingerprint: string;
  transient: boolean;
}

/** Quiet time after a file change before the tree is re-read (editors and builds write in bursts). */
const DEBOUNCE_MS = 300;
/** Delay of the one extra load after a transient failure. */
const RETRY_MS = 1000;
/** Readings overtaken in a row before one is shown anyway. */
const MAX_OVERTAKEN = 3;

export class GadgetTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  /** Folders of the gadgets last listed. */
  private listed = new Set<string>();
  /** The model getChildren answers from; undefined until the first load completes. */
  private model?: TreeModel;
  /** The load in progress (loads never overlap). */
  private loading?: Promise<void>;
  /** Another load was asked for while one ran: the running one's result is already out of date. */
  private again = false;
  /** The next model is shown even if unchanged (the Refresh command). */
  private forceShow = false;
  /** Callers waiting for a model read after they asked (getChildren before the first load, refresh()). */
  private waiters: (() => void)[] = [];
  private generation = 0;
  /** Readings dropped in a row because a newer one was asked for. */
  private overtaken = 0;
  private firstRead?: Promise<void>;
  /** Transient failures in a row: one extra load is scheduled, not a loop. */
  private retries = 0;
  private injectedFailure?: string;
  private disposed = false;

  constructor(private readonly ctx: Ctx, private readonly runs: RunManager) {}

  start(): void {
    const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    // One watcher for everything: VS Code reports a folder created or deleted with its files as the folder
    // alone, so folder events count too, not only the names a gadget's tree is made of.
    const watcher = vscode.workspace.createFileSystemWatcher('**');
    const later = (): void => this.refreshSoon();
    this.disposables.push(
      view, watcher, this.changed,
      watcher.onDidCreate(async (uri) => { if (RELEVANT.test(uri.path) || (await isFolder(uri))) later(); }),
      watcher.onDidChange((uri) => { if (RELEVANT.test(uri.path)) later(); }),
      watcher.onDidDelete((uri) => {
        const gone = uri.fsPath + path.sep;
        if (RELEVANT.test(uri.path) || [...this.listed].some((f) => (f + path.sep).startsWith(gone))) later();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (path.basename(e.document.uri.fsPath) === 'gadget.yaml') later(); }),
      vscode.workspace.onDidChangeWorkspaceFolders(later),
      this.runs.onDidChange(later),
    );
  }

  /** How many times the tree told VS Code to re-read it (tests check that file changes refresh it). */
  refreshes = 0;
  /** How many loads completed (tests wait for one to tell "not refreshed" from "not yet loaded"). */
  loads = 0;

  /** Re-reads the workspace now and shows the result even if unchanged (the Refresh Gadgets command). */
  refresh(): Promise<void> {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    return this.reload(true);
  }

  private refreshSoon(delay = DEBOUNCE_MS): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      // Until VS Code first asks (the view never shown) there is nothing to keep fresh: read on demand.
      if (this.model || this.loading) void this.reload(false);
    }, delay);
  }

  /** Resolves once a model read after this call is current. Concurrent calls share loads. */
  private reload(force: boolean): Promise<void> {
    if (force) this.forceShow = true;
    const read = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.loading) this.again = true;
    else this.loading = this.loadLoop().finally(() => { this.loading = undefined; });
    return read;
  }

  private async loadLoop(): Promise<void> {
    do {
      this.again = false;
      const waiters = this.waiters.splice(0);
      const generation = ++this.generation;
      const next = await this.build(generation);
      if (this.disposed) return;
      // Overtaken by a newer request while reading: drop it and let the next round answer these waiters
      // too, so an older reading never replaces a newer one. Shown anyway when there is nothing to show
      // yet, or when files change so often that every reading is overtaken (it is still newer than the
      // model shown).
      if (this.again && this.model && ++this.overtaken < MAX_OVERTAKEN) {
        this.waiters.unshift(...waiters);
        continue;
      }
      this.overtaken = 0;
      this.apply(next);
      for (const w of waiters) w();
    } while (this.again);
  }

  private apply(next: TreeModel): void {
    if (this.model && next.generation <= this.model.generation) return;
    const previous = this.model;
    this.model = next;
    this.loads++;
    this.listed = new Set(next.roots.flatMap((n) => (n.type === 'gadget' ? [n.gadget.folder.fsPath] : [])));
    // The first model answers a pending getChildren: VS Code has nothing to re-read yet.
    if (previous && (this.forceShow || previous.fingerprint !== next.fingerprint)) {
      this.forceShow = false;
      this.refreshes++;
      this.changed.fire(undefined);
    }
    if (next.transient && this.retries === 0) {
      this.retries++;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => { this.retryTimer = undefined; void this.reload(false); }, RETRY_MS);
    } else if (!next.transient) {
      this.retries = 0;
    }
  }

  /** Test hook (via a test-only command): the next load fails reading gadget details with `message`. */
  failNextLoad(message: string): void {
    this.injectedFailure = message;
  }

  /** Never rejects: a failure is an error child (VS Code shows a rejected fetch as no children at all). */
  async getChildren(node?: Node): Promise<Node[]> {
    try {
      const model = this.model ?? (await this.firstModel());
      if (!node) return model.roots;
      switch (node.type) {
        case 'gadget':
          return model.children.get(node.gadget.key) ?? [];
        case 'datasource':
          return node.ds.fields.map((field) => ({ type: 'field', gadget: node.gadget, datasource: node.ds.name, field }));
        case 'params':
          return node.params.map((param) => ({ type: 'param', gadget: node.gadget, param }));
        case 'ebpfParams':
          return node.params.map((param) => ({ type: 'ebpfParam', gadget: node.gadget, param, object: node.object }));
        case 'maps':
          return node.maps.map((map) => ({ type: 'map', gadget: node.gadget, map, object: node.object, entries: node.entries?.[map.name] }));
        default:
          return [];
      }
    } catch (e) {
      this.ctx.log.error(`Gadgets tree: ${errorMessage(e)}`);
      this.refreshSoon(RETRY_MS);
      return [{ type: 'error', gadget: node?.gadget, message: `Could not list this: ${errorMessage(e)}`, uri: node?.gadget?.yaml }];
    }
  }

  private async firstModel(): Promise<TreeModel> {
    // VS Code may ask several times before the first reading is done: they all wait for that one.
    if (!this.model) await (this.firstRead ??= this.reload(false));
    if (!this.model) throw new Error('the tree was disposed before its first load');
    return this.model;
  }

  /** Reads the whole tree. Never throws: what fails becomes an error node. */
  private async build(generation: number): Promise<TreeModel> {
    const children = new Map<string, Node[]>();
    // Taken when the load starts: a load already running when the failure was asked for must not use it up.
    const injected = this.injectedFailure;
    this.injectedFailure = undefined;
    let transient = false;
    let roots: Node[];
    try {
      roots = await this.gadgets();
    } catch (e) {
      roots = [{ type: 'error', message: `Could not list the workspace's gadgets: ${errorMessage(e)}` }];
      transient = true;
    }
    for (const node of roots) {
      if (node.type !== 'gadget') continue;
      const g = node.gadget;
      try {
        if (injected) throw new Error(injected);
        const d = await this.details(g);
        children.set(g.key, [...d.errors, ...d.datasources, ...d.groups]);
        transient ||= d.transient;
      } catch (e) {
        children.set(g.key, [{ type: 'error', gadget: g, message: `Could not read this gadget: ${errorMessage(e)}`, uri: g.yaml }]);
        transient = true;
      }
    }
    return { generation, roots, children, transient, fingerprint: fingerprintOf(roots, children) };
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'gadget': {
        const item = new vscode.TreeItem(node.gadget.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `gadget:${node.gadget.key}`;
        item.contextValue = 'gadget';
        item.iconPath = new vscode.ThemeIcon('package');
        item.resourceUri = node.gadget.yaml;
        const where = vscode.workspace.asRelativePath(node.gadget.image ? node.gadget.yaml : node.gadget.folder);
        item.description = gadgetLocation(node.gadget.name, where);
        item.tooltip = markdown([`**${node.gadget.name}**`, node.metadata?.description, `${node.gadget.image ? 'Image' : 'Folder'}: \`${where}\``,
          node.error ? `$(warning) ${node.error}` : undefined]);
        item.command = reveal(node.gadget.yaml);
        return item;
      }
      case 'datasource': {
        const ds = node.ds;
        const item = new vscode.TreeItem(ds.name, ds.fields.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.id = `ds:${node.gadget.key}:${ds.name}`;
        item.contextValue = 'datasource';
        item.iconPath = new vscode.ThemeIcon('database');
        item.description = [ds.dsType, `${ds.fields.length} field${ds.fields.length === 1 ? '' : 's'}`].filter(Boolean).join(' · ');
        item.tooltip = markdown([`**${ds.name}** — data source${ds.dsType ? ` (${ds.dsType})` : ''}`,
          `From: ${ds.origins.join(', ')}`, annotationTable(ds.annotations)]);
        item.command = reveal(node.gadget.yaml, ds.reveal && toRange(ds.reveal));
        return item;
      }
      case 'field': {
        const f = node.field;
        const item = new vscode.TreeItem(f.name, vscode.TreeItemCollapsibleState.None);
        item.id = `field:${node.gadget.key}:${node.datasource}:${f.name}`;
        item.contextValue = 'field';
        item.iconPath = new vscode.ThemeIcon(f.hidden ? 'eye-closed' : 'symbol-field');
        item.description = fieldDescription(f.kind, f.origins);
        item.tooltip = markdown([
          `**${f.name}**: \`${f.kind ?? 'kind unknown until the gadget runs or an events file declares it'}\``,
          f.annotations.description,
          `From: ${f.origins.join(', ')}`,
          f.offset !== undefined ? `Offset ${f.offset}, size ${f.size} bytes in the eBPF struct` : undefined,
          f.hidden ? 'Hidden by default in IG\'s output' : undefined,
          f.tags.length ? `Tags: ${f.tags.map((t) => `\`${t}\``).join(', ')}` : undefined,
          annotationTable(f.annotations),
        ]);
        item.command = reveal(node.gadget.yaml, f.reveal && toRange(f.reveal));
        return item;
      }
      case 'ebpfParams': case 'maps': {
        const n = node.type === 'maps' ? node.maps.length : node.params.length;
        const item = new vscode.TreeItem(node.type === 'maps' ? 'maps' : 'eBPF params', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.type}:${node.gadget.key}`;
        item.contextValue = node.type;
        item.iconPath = new vscode.ThemeIcon(node.type === 'maps' ? 'symbol-structure' : 'settings-gear');
        item.description = `${n} from ${node.object ? path.basename(node.object.fsPath) : 'the eBPF object'}`;
        return item;
      }
      case 'ebpfParam': {
        const p = node.param;
        const item = new vscode.TreeItem(p.key, vscode.TreeItemCollapsibleState.None);
        item.id = `ebpfParam:${node.gadget.key}:${p.key}`;
        item.contextValue = 'ebpfParam';
        item.iconPath = new vscode.ThemeIcon('symbol-variable');
        item.description = [p.typeHint, p.defaultValue !== '' ? `= ${p.defaultValue}` : undefined, 'eBPF'].filter(Boolean).join(' ');
        item.tooltip = markdown([`**${p.key}**${p.variable ? ` (variable \`${p.variable}\`)` : ' (the ebpf operator\'s)'}`, p.description]);
        if (p.reveal) item.command = reveal(node.gadget.yaml, toRange(p.reveal));
        return item;
      }
      case 'map': {
        const m = node.map;
        const item = new vscode.TreeItem(m.name, vscode.TreeItemCollapsibleState.None);
        item.id = `map:${node.gadget.key}:${m.name}`;
        item.contextValue = 'map';
        item.iconPath = new vscode.ThemeIcon('symbol-array');
        item.description = `${m.type} · ${node.entries !== undefined ? `${node.entries}/` : ''}${m.maxEntries} entries`;
        item.tooltip = markdown([`**${m.name}**: \`${m.type}\``, `Key ${m.keySize} bytes${m.keyType ? ` (\`${m.keyType}\`)` : ''}, value ${m.valueSize} bytes${m.valueType ? ` (\`${m.valueType}\`)` : ''}, max entries ${m.maxEntries}`,
          m.inner ? `Inner map: \`${m.inner.type}\`` : undefined, `Section \`${m.section}\``,
          node.entries !== undefined ? `${node.entries} entries when the last run ended: click to show them.` : undefined]);
        // After a run, a click shows what the map held (Show Map Entries).
        if (node.entries !== undefined) item.command = { title: 'Show Map Entries', command: 'igWorkbench.showMapEntries', arguments: [{ gadgetKey: node.gadget.key, map: m.name }] };
        return item;
      }
      case 'params': {
        const item = new vscode.TreeItem('params', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `params:${node.gadget.key}`;
        item.contextValue = 'params';
        item.iconPath = new vscode.ThemeIcon('settings');
        item.description = `${node.params.length} wasm param${node.params.length === 1 ? '' : 's'}`;
        return item;
      }
      case 'error': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.id = `error:${node.gadget?.key ?? ''}:${node.uri?.toString() ?? ''}:${node.message}`;
        item.contextValue = 'error';
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.description = node.uri ? vscode.workspace.asRelativePath(node.uri) : undefined;
        item.tooltip = markdown([node.message, node.uri ? `File: \`${node.uri.fsPath}\`` : undefined]);
        if (node.uri) item.command = reveal(node.uri);
        return item;
      }
      case 'param': {
        const p = node.param.param;
        const item = new vscode.TreeItem(p.key, vscode.TreeItemCollapsibleState.None);
        item.id = `param:${node.gadget.key}:${p.key}`;
        item.contextValue = 'param';
        item.iconPath = new vscode.ThemeIcon('symbol-variable');
        item.description = [p.typeHint, p.defaultValue !== undefined ? `= ${p.defaultValue}` : undefined, p.isMandatory ? 'mandatory' : undefined].filter(Boolean).join(' ');
        item.tooltip = markdown([`**${p.title ?? p.key}**`, p.description,
          p.possibleValues?.length ? `Possible values: ${p.possibleValues.map((v) => `\`${v}\``).join(', ')}` : undefined]);
        item.command = reveal(node.gadget.yaml, node.param.reveal && toRange(node.param.reveal));
        return item;
      }
    }
  }

  /** The tree as plain data (labels, descriptions, context values): for tests and diagnostics. */
  async snapshot(node?: Node): Promise<TreeSnapshot[]> {
    const out: TreeSnapshot[] = [];
    for (const child of await this.getChildren(node)) {
      const item = this.getTreeItem(child);
      out.push({
        label: typeof item.label === 'string' ? item.label : item.label?.label ?? '',
        description: typeof item.description === 'string' ? item.description : '',
        contextValue: item.contextValue ?? '',
        tooltip: item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip ?? '',
        command: item.command ? { command: item.command.command, arguments: item.command.arguments ?? [] } : undefined,
        children: await this.snapshot(child),
      });
    }
    return out;
  }

  private async gadgets(): Promise<Node[]> {
    const gadgets = await findGadgets(this.ctx);
    const metadata = await this.ctx.loadMetadata();
    const nodes: Node[] = [];
    for (const gadget of gadgets) {
      const text = gadget.image ? await gadgetYamlText(this.ctx, gadget) : await textOf(gadget.yaml);
      try {
        nodes.push({ type: 'gadget', gadget, metadata: text === undefined ? undefined : metadata.readGadgetMetadata(text) });
      } catch (e) {
        nodes.push({ type: 'gadget', gadget, error: `gadget.yaml could not be read: ${errorMessage(e)}` });
      }
    }
    return nodes;
  }

  private async details(g: Gadget): Promise<GadgetDetails> {
    const lib = await this.ctx.loadMetadata();
    const errors: Node[] = [];
    let transient = false;
    const read = g.image ? { text: (await gadgetYamlText(this.ctx, g)) ?? '' } : await textOrError(g.yaml);
    if ('error' in read) {
      // Listed a moment ago, unreadable now: most likely being rewritten, so worth one more load.
      errors.push({ type: 'error', gadget: g, message: `gadget.yaml could not be read: ${read.error}`, uri: g.yaml });
      transient = true;
    }
    const text = 'text' in read ? read.text : '';
    let meta: GadgetMetadata = { datasources: {}, wasmParams: {} };
    let outline: OutlineNode[] = [];
    try {
      meta = lib.readGadgetMetadata(text);
      outline = lib.outline(text);
    } catch {
      // A gadget.yaml that does not parse: the linter reports it; the tree shows what runs and events say.
    }
    // Per data source: what the last run reported, else what the events file declares (a run without the
    // events file has no host-side data sources, but the file still says what they would be).
    const events = await this.eventsDeclarations(g);
    if (events.error) {
      errors.push({ type: 'error', gadget: g, message: events.error, uri: events.uri });
      transient ||= events.transient;
    }
    const object = await readGadgetObject(this.ctx, g, text);
    if (object.error) errors.push({ type: 'error', gadget: g, message: object.error, uri: object.uri });
    const { gadgetModel } = await this.ctx.loadWorkbench();
    const model = gadgetModel({ meta, outline, ran: this.runs.dataSourcesOf(g.key) ?? [], declared: events.dataSources ?? [], object: object.spec });
    const datasources: Node[] = model.datasources.map((ds) => ({ type: 'datasource', gadget: g, ds }));
    const groups: Node[] = [];
    if (model.params.length) groups.push({ type: 'params', gadget: g, params: model.params });
    if (model.ebpfParams.length) groups.push({ type: 'ebpfParams', gadget: g, params: model.ebpfParams, object: object.uri });
    if (model.maps.length) {
      const ran = this.runs.mapsOf(g.key)?.maps;
      const entries = ran && Object.fromEntries(ran.map((m) => [m.name, m.entries.length]));
      groups.push({ type: 'maps', gadget: g, maps: model.maps, object: object.uri, ...(entries ? { entries } : {}) });
    }
    return { datasources, groups, errors, transient };
  }

  /** The data sources the gadget's first events file declares (what IG's eBPF side would provide). */
  private async eventsDeclarations(g: Gadget): Promise<{ dataSources?: DataSourceDecl[]; error?: string; uri?: vscode.Uri; transient: boolean }> {
    const [file] = await findEventsFiles(g);
    if (!file) return { transient: false };
    const read = await textOrError(file);
    const name = path.basename(file.fsPath);
    if ('error' in read) return { error: `${name} could not be read: ${read.error}`, uri: file, transient: true };
    try {
      const { parseEventsFile } = await this.ctx.loadEvents();
      return { dataSources: parseEventsFile(read.text, file.fsPath).dataSources, transient: false };
    } catch (e) {
      // The file's content is wrong (or half written: its next change event loads the tree again).
      return { error: `${name} does not parse: ${errorMessage(e)}`, uri: file, transient: false };
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.retryTimer);
    for (const w of this.waiters.splice(0)) w();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export interface TreeSnapshot {
  label: string;
  description: string;
  contextValue: string;
  tooltip: string;
  /** What a click runs (a test runs it to click). */
  command?: { command: string; arguments: unknown[] };
  children: TreeSnapshot[];
}

/** The editor's text when the file is open (unsaved edits show in the tree), else the file on disk. */
async function textOf(uri: vscode.Uri): Promise<string | undefined> {
  const r = await textOrError(uri);
  return 'text' in r ? r.text : undefined;
}

async function textOrError(uri: vscode.Uri): Promise<{ text: string } | { error: string }> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { text: open.getText() };
  try {
    return { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
  } catch (e) {
    return { error: errorMessage(e) };
  }
}

/** The tree as plain data, to tell a load that changed something from one that did not. */
function fingerprintOf(roots: Node[], children: Map<string, Node[]>): string {
  const plain = (_key: string, v: unknown): unknown => (v instanceof vscode.Uri ? v.toString() : v);
  return JSON.stringify({ roots, children: [...children] }, plain);
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}

function reveal(uri: vscode.Uri, range?: vscode.Range): vscode.Command | undefined {
  // A gadget image's gadget.yaml is inside the tarball: nothing to open in an editor.
  if (uri.path.endsWith('.tar')) return undefined;
  return {
    title: 'Reveal in gadget.yaml', command: 'vscode.open',
    arguments: [uri, range ? { selection: range, preserveFocus: false } satisfies vscode.TextDocumentShowOptions : undefined],
  };
}

function annotationTable(a: Record<string, string>): string | undefined {
  const rows = Object.entries(a);
  if (rows.length === 0) return undefined;
  return ['| annotation | value |', '| --- | --- |', ...rows.map(([k, v]) => `| \`${k}\` | ${escapeCell(v)} |`)].join('\n');
}

function escapeCell(s: string): string {
  return s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function markdown(parts: (string | undefined)[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(parts.filter((p): p is string => !!p).join('\n\n'), true);
  md.isTrusted = false;
  return md;
}

