// Helpers for integration tests running inside the extension host (real `vscode` API).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { layoutOfWorkspace } from './layout';

export const EXTENSION_ID = 'ig-workbench.ig-wasm-workbench';
/** `Diagnostic.source` of the extension's lint diagnostics (src/extension/convert.ts). */
export const DIAGNOSTIC_SOURCE = 'Inspektor Gadget';

/** The workspace both launchers open: a scratch copy of test/fixtures/workspace (see its README). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open: the launcher must open a copy of test/fixtures/workspace');
  return folder.uri;
}

export function fixtureUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...segments);
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  await ext.activate();
  return ext;
}

/** Polls `probe` until it returns a value other than undefined/false; fails with `what` on timeout. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The extension's diagnostics for `uri` (other extensions' diagnostics, e.g. the YAML extension's, are ignored). */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

export function diagnosticCode(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

/** 0-based line of the first line containing `text` in a document. */
export function lineOf(doc: vscode.TextDocument, text: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(text)) return i;
  throw new Error(`"${text}" not found in ${path.basename(doc.uri.fsPath)}`);
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * The text of the first element of the workbench's DOM matching `selector` and `text`, read by the offline
 * launcher's Playwright page (the extension host cannot see the DOM): the question and the answer are
 * files in the run's results folder (see answerAsks in run-offline.ts). Not available under run-electron.
 */
export async function workbenchText(selector: string, text: RegExp, timeoutMs = 15_000): Promise<string> {
  const { results } = layoutOfWorkspace(workspaceRoot().fsPath);
  const id = `${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
  const ask = path.join(results, `ask-${id}.json`);
  fs.writeFileSync(`${ask}.tmp`, JSON.stringify({ selector, text: text.source, timeoutMs }));
  fs.renameSync(`${ask}.tmp`, ask);
  const answerFile = path.join(results, `answer-${id}.json`);
  const answer = await waitFor(`the launcher to read ${selector} (only run-offline.js answers)`,
    () => fs.existsSync(answerFile) && (JSON.parse(fs.readFileSync(answerFile, 'utf8')) as { text?: string; error?: string }), timeoutMs + 10_000);
  if (answer.error !== undefined) throw new Error(`no ${selector} with text ${text} in the workbench: ${answer.error}`);
  return answer.text ?? '';
}
