// The Gadgets tree (activity bar): gadget folder → data sources → fields, plus the gadget's params.
// gadget.yaml gives names, descriptions, annotations and where to reveal each key; field kinds come from
// the last run's data sources or else the gadget's first events file. Refreshes on file changes and runs.
import * as path from 'path';
import * as vscode from 'vscode';
import type { DataSourceDecl, KindName } from '../host/api';
import type { GadgetMetadata, OutlineNode, WasmParam } from '../metadata/types';
import { toRange } from './convert';
import type { Ctx } from './ctx';
import { findEventsFiles, findGadgets, readText, type Gadget } from './gadgets';
import type { RunManager } from './run';

export const VIEW_ID = 'igWorkbench.gadgets';
/** Files whose change can change the tree: gadget.yaml, build.yaml, wasm modules, events files. */
const RELEVANT = /\/(gadget\.yaml|build\.yaml|[^/]*\.wasm|events\.[^/]*|[^/]*\.events\.[^/]*|events\/[^/]*)$/;

type Origin = 'gadget.yaml' | 'events file' | 'wasm module';

export type Node =
  | { type: 'gadget'; gadget: Gadget; metadata?: GadgetMetadata; error?: string }
  | { type: 'datasource'; gadget: Gadget; name: string; dsType?: string; origins: Origin[]; annotations: Record<string, string>; fields: FieldData[]; reveal?: vscode.Range }
  | { type: 'field'; gadget: Gadget; datasource: string; field: FieldData }
  | { type: 'params'; gadget: Gadget; params: ParamData[] }
  | { type: 'param'; gadget: Gadget; param: ParamData };

interface FieldData {
  name: string;
  kind?: KindName;
  tags: string[];
  origins: Origin[];
  annotations: Record<string, string>;
  reveal?: vscode.Range;
}

interface ParamData {
  param: WasmParam;
  reveal?: vscode.Range;
}

/** What the tree knows about a gadget beyond its gadget.yaml, computed when the gadget node is expanded. */
interface GadgetDetails {
  datasources: Node[];
  params?: Node;
}

export class GadgetTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer?: NodeJS.Timeout;
  /** Folders of the gadgets last listed. */
  private listed = new Set<string>();

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

  refresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.refreshes++;
    this.changed.fire(undefined);
  }

  private refreshSoon(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), 300);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.gadgets();
    switch (node.type) {
      case 'gadget': {
        const d = await this.details(node.gadget);
        return d.params ? [...d.datasources, d.params] : d.datasources;
      }
      case 'datasource':
        return node.fields.map((field) => ({ type: 'field', gadget: node.gadget, datasource: node.name, field }));
      case 'params':
        return node.params.map((param) => ({ type: 'param', gadget: node.gadget, param }));
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'gadget': {
        const item = new vscode.TreeItem(node.gadget.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `gadget:${node.gadget.key}`;
        item.contextValue = 'gadget';
        item.iconPath = new vscode.ThemeIcon('package');
        item.resourceUri = node.gadget.yaml;
        item.description = vscode.workspace.asRelativePath(node.gadget.folder);
        item.tooltip = markdown([`**${node.gadget.name}**`, node.metadata?.description, node.error ? `$(warning) ${node.error}` : undefined]);
        item.command = reveal(node.gadget.yaml);
        return item;
      }
      case 'datasource': {
        const item = new vscode.TreeItem(node.name, node.fields.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.id = `ds:${node.gadget.key}:${node.name}`;
        item.contextValue = 'datasource';
        item.iconPath = new vscode.ThemeIcon('database');
        item.description = [node.dsType, `${node.fields.length} field${node.fields.length === 1 ? '' : 's'}`].filter(Boolean).join(' · ');
        item.tooltip = markdown([`**${node.name}** — data source${node.dsType ? ` (${node.dsType})` : ''}`,
          `From: ${node.origins.join(', ')}`, annotationTable(node.annotations)]);
        item.command = reveal(node.gadget.yaml, node.reveal);
        return item;
      }
      case 'field': {
        const f = node.field;
        const item = new vscode.TreeItem(f.name, vscode.TreeItemCollapsibleState.None);
        item.id = `field:${node.gadget.key}:${node.datasource}:${f.name}`;
        item.contextValue = 'field';
        item.iconPath = new vscode.ThemeIcon(f.annotations['columns.hidden'] === 'true' ? 'eye-closed' : 'symbol-field');
        item.description = [f.kind ?? 'kind unknown', f.origins.join(', ')].join(' · ');
        item.tooltip = markdown([
          `**${f.name}**: \`${f.kind ?? 'kind unknown until the gadget runs or an events file declares it'}\``,
          f.annotations.description,
          `From: ${f.origins.join(', ')}`,
          f.tags.length ? `Tags: ${f.tags.map((t) => `\`${t}\``).join(', ')}` : undefined,
          annotationTable(f.annotations),
        ]);
        item.command = reveal(node.gadget.yaml, f.reveal);
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
      case 'param': {
        const p = node.param.param;
        const item = new vscode.TreeItem(p.key, vscode.TreeItemCollapsibleState.None);
        item.id = `param:${node.gadget.key}:${p.key}`;
        item.contextValue = 'param';
        item.iconPath = new vscode.ThemeIcon('symbol-variable');
        item.description = [p.typeHint, p.defaultValue !== undefined ? `= ${p.defaultValue}` : undefined, p.isMandatory ? 'mandatory' : undefined].filter(Boolean).join(' ');
        item.tooltip = markdown([`**${p.title ?? p.key}**`, p.description,
          p.possibleValues?.length ? `Possible values: ${p.possibleValues.map((v) => `\`${v}\``).join(', ')}` : undefined]);
        item.command = reveal(node.gadget.yaml, node.param.reveal);
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
    this.listed = new Set(gadgets.map((g) => g.folder.fsPath));
    const metadata = await this.ctx.loadMetadata();
    const nodes: Node[] = [];
    for (const gadget of gadgets) {
      const text = await textOf(gadget.yaml);
      try {
        nodes.push({ type: 'gadget', gadget, metadata: text === undefined ? undefined : metadata.readGadgetMetadata(text) });
      } catch (e) {
        nodes.push({ type: 'gadget', gadget, error: `gadget.yaml could not be read: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    return nodes;
  }

  private async details(g: Gadget): Promise<GadgetDetails> {
    const lib = await this.ctx.loadMetadata();
    const text = (await textOf(g.yaml)) ?? '';
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
    const ran = this.runs.dataSourcesOf(g.key) ?? [];
    const declared = (await this.eventsDeclarations(g)) ?? [];

    const dsNames = unique([...Object.keys(meta.datasources), ...ran.map((d) => d.name), ...declared.map((d) => d.name)]);
    const datasources: Node[] = dsNames.map((name) => {
      const yamlDs = meta.datasources[name];
      const fromRun = ran.find((d) => d.name === name);
      const info = fromRun ?? declared.find((d) => d.name === name);
      const origins: Origin[] = [];
      if (yamlDs) origins.push('gadget.yaml');
      if (info) origins.push(originOf(info, !!fromRun));
      const dsOutline = findNode(outline, 'datasource', name);
      const fieldNames = unique([...Object.keys(yamlDs?.fields ?? {}), ...(info?.fields ?? []).map((f) => f.name)]);
      const fields: FieldData[] = fieldNames.map((fname) => {
        const yf = yamlDs?.fields[fname];
        const fi = info?.fields.find((f) => f.name === fname);
        const forigins: Origin[] = [];
        if (yf) forigins.push('gadget.yaml');
        if (fi) forigins.push(originOf(fi, !!fromRun));
        const fOutline = dsOutline ? findNode(dsOutline.children, 'field', fname) : undefined;
        return {
          name: fname, kind: fi?.kind, tags: fi?.tags ?? [], origins: forigins, annotations: yf?.annotations ?? {},
          reveal: fOutline ? toRange(fOutline.selectionRange) : dsOutline ? toRange(dsOutline.selectionRange) : undefined,
        };
      });
      return {
        type: 'datasource', gadget: g, name, dsType: info?.type, origins, annotations: yamlDs?.annotations ?? {}, fields,
        reveal: dsOutline ? toRange(dsOutline.selectionRange) : undefined,
      };
    });
    const params = Object.values(meta.wasmParams).map((param) => {
      const n = findNode(outline, 'param', param.key);
      return { param, reveal: n ? toRange(n.selectionRange) : undefined };
    });
    return { datasources, params: params.length ? { type: 'params', gadget: g, params } : undefined };
  }

  /** The data sources the gadget's first events file declares (what IG's eBPF side would provide). */
  private async eventsDeclarations(g: Gadget): Promise<DataSourceDecl[] | undefined> {
    const [file] = await findEventsFiles(g);
    if (!file) return undefined;
    const text = await readText(file);
    if (text === undefined) return undefined;
    try {
      const { parseEventsFile } = await this.ctx.loadEvents();
      return parseEventsFile(text, file.fsPath).dataSources;
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
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

/** Run results say who made a data source or field: the host (events file) or the guest (wasm module). */
function originOf(d: object, ran: boolean): Origin {
  return ran && 'origin' in d && d.origin === 'guest' ? 'wasm module' : 'events file';
}

/** The editor's text when the file is open (unsaved edits show in the tree), else the file on disk. */
async function textOf(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : readText(uri);
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}

function findNode(nodes: OutlineNode[], kind: OutlineNode['kind'], name: string): OutlineNode | undefined {
  for (const n of nodes) {
    if (n.kind === kind && n.name === name) return n;
    const inner = findNode(n.children, kind, name);
    if (inner) return inner;
  }
  return undefined;
}

function reveal(uri: vscode.Uri, range?: vscode.Range): vscode.Command {
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

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
