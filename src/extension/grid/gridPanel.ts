// The packet grid panel: one webview panel per run. Forwards the host's batches to the page through the
// RowBatcher, remembers column choices per gadget and data source (Memento), answers the page's requests
// (export with a save dialog, clipboard). The API is agreed with the extension's Run Gadget command.

import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { errorMessage } from '../../common/errors';
import type { DataSourceInfo, PacketBatch, RunResult } from '../../host/api';
import type { GadgetMetadata } from '../../metadata/types';
import { gridHtml, makeNonce } from '../../webview/html';
import type { ColumnPrefs, DataSourceStats, ExtensionRequests, FromPage, ToPage } from '../../webview/protocol';
import { isFromPage } from '../../webview/protocol';
import { RowBatcher } from './batcher';
import { toWireDataSource } from './wire';
import { PageChannel } from './channel';

export interface GridRunInfo {
  /** Title: "<gadgetName> — packets". */
  gadgetName: string;
  /** Stable id for remembering column widths/visibility (e.g. the gadget folder path). */
  gadgetKey: string;
  /** Annotations for columns (datasources.<ds>.fields.<f>.annotations). */
  metadata?: GadgetMetadata;
}

export const VIEW_TYPE = 'igWorkbench.grid';
const DEFAULT_MAX_ROWS = 100_000;

/** The Memento key of a data source's column choices. */
export function prefsKey(gadgetKey: string, ds: string): string {
  return `igWorkbench.grid.columns/${gadgetKey}/${ds}`;
}

export function readMaxRows(): number {
  const v = vscode.workspace.getConfiguration('igWorkbench').get<number>('grid.maxRows', DEFAULT_MAX_ROWS);
  return Number.isInteger(v) && v >= 100 ? Math.min(v, 5_000_000) : DEFAULT_MAX_ROWS;
}

export class GridPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly channel: PageChannel;
  private readonly batcher: RowBatcher;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly emitter = new vscode.EventEmitter<void>();
  private disposed = false;
  readonly onDidDispose: vscode.Event<void> = this.emitter.event;

  /** One panel per run. extensionUri: for asWebviewUri/localResourceRoots (dist/webview). */
  static create(extensionUri: vscode.Uri, run: GridRunInfo, memento: vscode.Memento): GridPanel {
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    // Beside the gadget's editor when there is one; otherwise in the active group (no empty group left over).
    const viewColumn = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, `${run.gadgetName} — packets`, { viewColumn, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [root],
      // The ring buffer (up to igWorkbench.grid.maxRows rows) lives in the page: keeping the page alive while
      // hidden costs its memory once, where restoring from state would need a second copy in the extension.
      retainContextWhenHidden: true,
      enableFindWidget: false,
    });
    return new GridPanel(panel, root, run, memento);
  }

  private constructor(panel: vscode.WebviewPanel, root: vscode.Uri, private readonly run: GridRunInfo, private readonly memento: vscode.Memento) {
    this.panel = panel;
    const webview = panel.webview;
    const asUri = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, f)).toString();
    webview.html = gridHtml({
      cspSource: webview.cspSource,
      scriptUri: asUri('grid.js'),
      styleUri: asUri('grid.css'),
      codiconUri: asUri('codicon.css'),
      nonce: makeNonce((n) => randomBytes(n)),
      title: `${run.gadgetName} — packets`,
    });
    this.channel = new PageChannel((m) => webview.postMessage(m), readMaxRows());
    this.batcher = new RowBatcher((m) => this.channel.post(m));
    this.channel.post({ type: 'init', title: `${run.gadgetName} — packets`, maxRows: readMaxRows() });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('igWorkbench.grid.maxRows')) void vscode.window.showInformationMessage('Inspektor Gadget: the new grid size applies to the next run.');
      }),
    );
  }

  /** Tabs + columns (guest-created data sources may come later, again with the full list). */
  setDataSources(ds: DataSourceInfo[]): void {
    if (this.disposed) return;
    const wire = ds.map((d) => toWireDataSource(d, this.run.metadata, this.memento.get<ColumnPrefs>(prefsKey(this.run.gadgetKey, d.name))));
    // Rows pending for earlier data sources go first, so the page never sees rows of an unknown layout.
    this.batcher.flush();
    this.channel.post({ type: 'datasources', datasources: wire });
  }

  /** Called for every host batch; rows are batched and sent on a timer. */
  push(batch: PacketBatch): void {
    if (!this.disposed) this.batcher.push(batch);
  }

  /** Shows the final status. */
  runEnded(result: RunResult): void {
    if (this.disposed) return;
    this.batcher.flush();
    const msg: ToPage = { type: 'runEnded', ok: result.ok, packets: result.packets };
    if (result.error) msg.error = `${result.error.phase}: ${result.error.message}`;
    this.channel.post(msg);
  }

  /** For tests: what the page reports it holds, per data source. */
  async stats(): Promise<DataSourceStats[]> {
    this.batcher.flush();
    return this.channel.request('stats', {});
  }

  /** Resolves once the page has said it is ready (for tests and the E2E). */
  whenReady(): Promise<void> { return this.channel.ready; }

  reveal(): void { this.panel.reveal(undefined, true); }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.batcher.dispose();
    this.channel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.emitter.fire();
    this.emitter.dispose();
  }

  private onMessage(m: unknown): void {
    if (!isFromPage(m)) return;
    const msg: FromPage = m;
    switch (msg.type) {
      case 'ready': this.channel.onReady(); break;
      case 'response': this.channel.onResponse(msg); break;
      case 'prefs': void this.memento.update(prefsKey(this.run.gadgetKey, msg.ds), msg.prefs); break;
      case 'log': if (msg.level === 'error') console.error(`grid page: ${msg.message}`); break;
      case 'request': void this.answer(msg.id, msg.method, msg.params); break;
    }
  }

  private async answer(id: number, method: keyof ExtensionRequests, params: unknown): Promise<void> {
    try {
      let result: unknown;
      if (method === 'export') result = await this.exportFile(params as ExtensionRequests['export']['params']);
      else if (method === 'copy') { await vscode.env.clipboard.writeText((params as { text: string }).text); result = { ok: true }; }
      else throw new Error(`unknown request "${String(method)}"`);
      this.channel.post({ type: 'response', id, result });
    } catch (e) {
      this.channel.post({ type: 'response', id, error: errorMessage(e) });
    }
  }

  private async exportFile(p: ExtensionRequests['export']['params']): Promise<ExtensionRequests['export']['result']> {
    const ext = p.format === 'csv' ? 'csv' : 'jsonl';
    const safe = `${this.run.gadgetName}-${p.ds}`.replace(/[^\w.-]+/g, '_');
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: `Export ${p.ds} rows`,
      saveLabel: 'Export',
      ...(base ? { defaultUri: vscode.Uri.joinPath(base, `${safe}.${ext}`) } : {}),
      filters: p.format === 'csv' ? { CSV: ['csv'] } : { 'JSON Lines': ['jsonl', 'json'] },
    });
    if (!target) return { path: null };
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(p.content));
    return { path: target.fsPath };
  }
}
