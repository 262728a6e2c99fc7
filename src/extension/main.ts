// Extension entry point: activation stays short — build the context, register command factories.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Inspektor Gadget', { log: true });
  context.subscriptions.push(log);
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  // Everything is registered in context.subscriptions and disposed by VS Code.
}
