// Conversions between the metadata library's plain types (0-based LSP-style positions) and VS Code's.
import * as path from 'path';
import * as vscode from 'vscode';
import type * as md from '../metadata/types';
import type { CompilerDiagnostic } from '../workbench/build';

export const DIAGNOSTIC_SOURCE = 'Inspektor Gadget';

export function toPosition(p: md.Position): vscode.Position {
  return new vscode.Position(p.line, p.character);
}

export function toRange(r: md.Range): vscode.Range {
  return new vscode.Range(toPosition(r.start), toPosition(r.end));
}

export function fromPosition(p: vscode.Position): md.Position {
  return { line: p.line, character: p.character };
}

export function toSeverity(s: md.Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'info': return vscode.DiagnosticSeverity.Information;
  }
}

export function toDiagnostic(d: md.Diagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toRange(d.range), d.message, toSeverity(d.severity));
  out.source = DIAGNOSTIC_SOURCE;
  out.code = d.code;
  return out;
}

export function toWorkspaceEdit(uri: vscode.Uri, edits: md.TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(uri, toRange(e.range), e.newText);
  return we;
}

const COMPLETION_KINDS: Record<md.CompletionKind, vscode.CompletionItemKind> = {
  key: vscode.CompletionItemKind.Property,
  annotation: vscode.CompletionItemKind.Field,
  value: vscode.CompletionItemKind.Value,
  template: vscode.CompletionItemKind.EnumMember,
  kind: vscode.CompletionItemKind.TypeParameter,
};

export function toCompletion(c: md.CompletionItem): vscode.CompletionItem {
  const item = new vscode.CompletionItem(c.label, COMPLETION_KINDS[c.kind]);
  item.insertText = c.insertText;
  if (c.detail) item.detail = c.detail;
  if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
  if (c.range) item.range = toRange(c.range);
  return item;
}

const SYMBOL_KINDS: Record<md.OutlineKind, vscode.SymbolKind> = {
  gadget: vscode.SymbolKind.Module,
  datasources: vscode.SymbolKind.Namespace,
  datasource: vscode.SymbolKind.Class,
  fields: vscode.SymbolKind.Namespace,
  field: vscode.SymbolKind.Field,
  params: vscode.SymbolKind.Namespace,
  param: vscode.SymbolKind.Variable,
  annotation: vscode.SymbolKind.Property,
  key: vscode.SymbolKind.Key,
};

export function toSymbol(n: md.OutlineNode): vscode.DocumentSymbol {
  const range = toRange(n.range);
  // VS Code requires selectionRange ⊆ range; clamp rather than throw on an off-by-one from the library.
  const sel = toRange(n.selectionRange);
  const s = new vscode.DocumentSymbol(n.name || '(empty)', n.detail ?? '', SYMBOL_KINDS[n.kind] ?? vscode.SymbolKind.Key,
    range, range.contains(sel) ? sel : new vscode.Range(range.start, range.start));
  s.children = n.children.map(toSymbol);
  return s;
}

/**
 * Shows a compiler's file:line:column messages (clang, `ig image build`) in Problems, replacing what
 * `collection` showed before; relative file names are resolved against `folder`.
 */
export function showCompilerProblems(collection: vscode.DiagnosticCollection, diags: readonly CompilerDiagnostic[], source: string, folder: string): void {
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const d of diags) {
    const file = path.isAbsolute(d.file) ? d.file : path.join(folder, d.file);
    const pos = new vscode.Position(Math.max(0, d.line - 1), Math.max(0, d.column - 1));
    const diag = new vscode.Diagnostic(new vscode.Range(pos, pos), d.message,
      d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
    diag.source = source;
    byFile.set(file, [...(byFile.get(file) ?? []), diag]);
  }
  collection.clear();
  for (const [file, list] of byFile) collection.set(vscode.Uri.file(file), list);
}
