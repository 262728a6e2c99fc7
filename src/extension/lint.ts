// gadget.yaml in the editor: diagnostics (on open, debounced while typing, on save), quick fixes from the
// linter's edits, hover, completion and the outline. All answers come from src/metadata; this file only
// decides when to ask and converts the results.
import * as path from 'path';
import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import type * as md from '../metadata/types';
import { toCompletion, toDiagnostic, toRange, toSymbol, toWorkspaceEdit, fromPosition, DIAGNOSTIC_SOURCE } from './convert';
import type { Ctx } from './ctx';
import { GADGET_YAML, gadgetFor, gadgetObjectBytes } from './gadgets';

const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file', pattern: `**/${GADGET_YAML}` }];
/** The Red Hat YAML extension. It validates gadget.yaml against the schema we contribute (yamlValidation). */
export const YAML_EXTENSION_ID = 'redhat.vscode-yaml';
/** Our codes for what the YAML extension also reports (YAML syntax, duplicate keys, the schema's types and
 *  required keys): with it active they are left to it, so nobody sees them twice. See `lint.schemaErrors`. */
export const OVERLAPPING_CODES: ReadonlySet<string> = new Set(['yaml-syntax', 'duplicate-key', 'schema', 'missing-key']);

interface Linted {
  version: number;
  diagnostics: md.Diagnostic[];
}

export class Linter implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('igWorkbench');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Last lint of each open document, by version: code actions reuse it instead of linting again. */
  private readonly results = new Map<string, Linted>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly ctx: Ctx) {}

  start(): void {
    const ws = vscode.workspace;
    const objects = ws.createFileSystemWatcher('**/*.bpf.o');
    this.disposables.push(
      ws.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      ws.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.ctx.config.lintOnType) this.schedule(e.document, this.ctx.config.lintDebounceMs);
      }),
      ws.onDidSaveTextDocument((d) => this.schedule(d, 0)),
      ws.onDidCloseTextDocument((d) => this.onClose(d)),
      ws.onDidChangeConfiguration((e) => { if (this.ctx.config.affects(e, 'lint') || this.ctx.config.affects(e, 'run.ebpfObject')) this.relintAll(); }),
      // A rebuilt eBPF object changes what gadget.yaml is checked against.
      objects, objects.onDidCreate(() => this.relintAll()), objects.onDidChange(() => this.relintAll()), objects.onDidDelete(() => this.relintAll()),
      // The YAML extension installed or removed changes who reports what (lint.schemaErrors = auto).
      vscode.extensions.onDidChange(() => this.relintAll()),
      vscode.languages.registerCodeActionsProvider(SELECTOR, new FixProvider(this),
        { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.languages.registerHoverProvider(SELECTOR, { provideHover: (d, p) => this.hover(d, p) }),
      vscode.languages.registerCompletionItemProvider(SELECTOR, { provideCompletionItems: (d, p) => this.complete(d, p) }, ':', '.'),
      vscode.languages.registerDocumentSymbolProvider(SELECTOR, { provideDocumentSymbols: (d) => this.symbols(d) },
        { label: 'Gadget' }),
      vscode.window.onDidChangeActiveTextEditor((e) => void this.updateActiveContext(e)),
    );
    for (const d of ws.textDocuments) this.schedule(d, 0);
    void this.updateActiveContext(vscode.window.activeTextEditor);
  }

  /** Lints open documents again although their text did not change (settings that filter results did). */
  private relintAll(): void {
    this.results.clear();
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** Lints every gadget.yaml in the workspace (open documents from the editor, others from disk). */
  async lintWorkspace(token?: vscode.CancellationToken): Promise<{ files: number; errors: number; warnings: number }> {
    const uris = await vscode.workspace.findFiles(`**/${GADGET_YAML}`, '**/{node_modules,.git,.vscode-test}/**', undefined, token);
    let files = 0, errors = 0, warnings = 0;
    for (const uri of uris) {
      if (token?.isCancellationRequested) break;
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const diags = open ? await this.lintText(uri, open.getText()) : await this.lintFile(uri);
      if (diags === undefined) continue;
      files++;
      errors += diags.filter((d) => d.severity === 'error').length;
      warnings += diags.filter((d) => d.severity === 'warning').length;
    }
    return { files, errors, warnings };
  }

  /** The fixes of the lint diagnostics overlapping `range`, from the lint of the document's current version. */
  async fixesAt(doc: vscode.TextDocument, range: vscode.Range): Promise<{ diagnostic: md.Diagnostic; fix: md.Fix }[]> {
    const linted = await this.current(doc);
    const out: { diagnostic: md.Diagnostic; fix: md.Fix }[] = [];
    for (const d of linted?.diagnostics ?? []) {
      if (!d.fixes?.length || !toRange(d.range).intersection(range)) continue;
      for (const fix of d.fixes) out.push({ diagnostic: d, fix });
    }
    return out;
  }

  private schedule(doc: vscode.TextDocument, delayMs: number): void {
    if (!isCandidate(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.current(doc).catch((e: unknown) => this.ctx.log.error(`lint ${doc.uri.fsPath}: ${errorMessage(e)}`));
    }, delayMs));
  }

  private async current(doc: vscode.TextDocument): Promise<Linted | undefined> {
    const key = doc.uri.toString();
    const cached = this.results.get(key);
    if (cached && cached.version === doc.version) return cached;
    const version = doc.version;
    const diagnostics = await this.lintText(doc.uri, doc.getText());
    if (diagnostics === undefined) return undefined;
    const linted = { version, diagnostics };
    if (!doc.isClosed) this.results.set(key, linted);
    return linted;
  }

  /** Lints a file as it is on disk: invalid UTF-8 is an error at the first bad byte (IG refuses the file). */
  private async lintFile(uri: vscode.Uri): Promise<md.Diagnostic[] | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      this.collection.delete(uri);
      return undefined;
    }
    const metadata = await this.ctx.loadMetadata();
    const d = metadata.decodeGadgetYaml(bytes);
    if ('text' in d) return this.lintText(uri, d.text);
    this.collection.set(uri, d.diagnostics.map(toDiagnostic));
    return d.diagnostics;
  }

  /** Lints and publishes; undefined when the file is not an IG gadget's metadata (e.g. a snap's meta/gadget.yaml). */
  private async lintText(uri: vscode.Uri, text: string): Promise<md.Diagnostic[] | undefined> {
    const metadata = await this.ctx.loadMetadata();
    if (!isGadget(metadata, uri, text)) {
      this.collection.delete(uri);
      return undefined;
    }
    const leave = this.leaveOverlapToYamlExtension();
    const object = await this.objectFacts(uri, text);
    const diagnostics = metadata.lintGadgetYaml(text, { object }).diagnostics.filter((d) => !(leave && OVERLAPPING_CODES.has(d.code)));
    this.collection.set(uri, diagnostics.map(toDiagnostic));
    return diagnostics;
  }

  /** The gadget's eBPF object, for the cross-checks; none (or unreadable: the tree says why) checks nothing. */
  private async objectFacts(uri: vscode.Uri, text: string): Promise<import('../metadata').ObjectFacts | undefined> {
    try {
      // Read once per lint, derived once (with this text's annotations) by objectFactsFor.
      const o = await gadgetObjectBytes(this.ctx, gadgetFor(uri));
      return o.bytes ? (await this.ctx.loadWorkbench()).objectFactsFor(o.bytes, text) : undefined;
    } catch (e) {
      this.ctx.log.error(`lint ${uri.fsPath}: reading the eBPF object: ${errorMessage(e)}`);
      return undefined;
    }
  }

  /** `igWorkbench.activeIsGadget`: the editor title's Run button shows for gadgets' gadget.yaml only (not a snap's). */
  private async updateActiveContext(editor: vscode.TextEditor | undefined): Promise<void> {
    let active = false;
    if (editor && isCandidate(editor.document)) {
      const metadata = await this.ctx.loadMetadata();
      active = isGadget(metadata, editor.document.uri, editor.document.getText());
    }
    if (vscode.window.activeTextEditor !== editor) return; // switched meanwhile: that change sets it
    await vscode.commands.executeCommand('setContext', 'igWorkbench.activeIsGadget', active);
  }

  private leaveOverlapToYamlExtension(): boolean {
    const policy = this.ctx.config.schemaErrors;
    if (policy !== 'auto') return policy === 'yamlExtension';
    return vscode.extensions.getExtension(YAML_EXTENSION_ID) !== undefined;
  }

  private async onClose(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.results.delete(key);
    if (!isCandidate(doc)) return;
    // Problems keeps showing the file's state on disk (what a workspace lint would say); an untitled one goes.
    if (doc.uri.scheme !== 'file') { this.collection.delete(doc.uri); return; }
    await this.lintFile(doc.uri).catch(() => this.collection.delete(doc.uri));
  }

  private async hover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const metadata = await this.ctx.loadMetadata();
    if (!isGadget(metadata, doc.uri, doc.getText())) return undefined;
    const h = metadata.hoverAt(doc.getText(), fromPosition(pos));
    return h ? new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(h.range)) : undefined;
  }

  private async complete(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const metadata = await this.ctx.loadMetadata();
    if (!isGadget(metadata, doc.uri, doc.getText())) return undefined;
    return metadata.completionsAt(doc.getText(), fromPosition(pos)).map(toCompletion);
  }

  private async symbols(doc: vscode.TextDocument): Promise<vscode.DocumentSymbol[] | undefined> {
    const metadata = await this.ctx.loadMetadata();
    if (!isGadget(metadata, doc.uri, doc.getText())) return undefined;
    return metadata.outline(doc.getText()).map(toSymbol);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.results.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

class FixProvider implements vscode.CodeActionProvider {
  constructor(private readonly linter: Linter) {}

  async provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (context.only && !vscode.CodeActionKind.QuickFix.contains(context.only)) return [];
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const fixes = await this.linter.fixesAt(doc, range);
    return fixes.map(({ diagnostic, fix }) => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = toWorkspaceEdit(doc.uri, fix.edits);
      action.isPreferred = fix.preferred ?? false;
      const matching = ours.find((d) => d.code === diagnostic.code && d.range.isEqual(toRange(diagnostic.range)));
      if (matching) action.diagnostics = [matching];
      return action;
    });
  }
}

function isCandidate(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme === 'file') return path.basename(doc.uri.fsPath) === GADGET_YAML;
  return false;
}

/** The linter library's detection: sibling files (build.yaml, program.bpf.c, wasm sources) or IG keys inside. */
function isGadget(metadata: typeof import('../metadata'), uri: vscode.Uri, text: string): boolean {
  return uri.scheme === 'file' && metadata.isGadgetYaml(uri.fsPath, text);
}
