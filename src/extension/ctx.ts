// The extension's state: settings, the log channel, lazily loaded libraries, and command registration.
// Commands come from factories (see commands.ts) so each one decides how it behaves in an untrusted folder.
import * as vscode from 'vscode';
import { Config } from './config';
import { Log } from './log';

type Metadata = typeof import('../metadata');
type Runner = typeof import('../host/thread/runner');
type Events = typeof import('../events');
type Workbench = typeof import('../workbench');

// VS Code calls a command with whatever its caller passes (a tree node, a Uri, nothing), and each handler
// declares the arguments it takes; `unknown[]` would reject those declarations.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (...args: any[]) => unknown;

export interface CommandFactory {
  /** The command as it runs in a trusted workspace (or always, when `untrusted` is absent). */
  enabled: (ctx: Ctx) => Handler;
  /** What the command does instead in an untrusted workspace: typically explain why it is disabled. */
  untrusted?: (ctx: Ctx) => Handler;
}

export class Ctx implements vscode.Disposable {
  readonly config = new Config();
  readonly log = new Log();
  private readonly disposables: vscode.Disposable[] = [];
  private metadata?: Promise<Metadata>;
  private runner?: Promise<Runner>;
  private events?: Promise<Events>;
  private workbench?: Promise<Workbench>;

  constructor(readonly extension: vscode.ExtensionContext) {}

  get extensionUri(): vscode.Uri {
    return this.extension.extensionUri;
  }

  /** Per-workspace memory (wasm module choices, last param values). */
  get memento(): vscode.Memento {
    return this.extension.workspaceState;
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  // The gadget.yaml library (js-yaml + ajv) and the host are loaded on first use, not at activation:
  // esbuild keeps a dynamically imported module's initialisation lazy inside the one bundle.
  loadMetadata(): Promise<Metadata> {
    return (this.metadata ??= import('../metadata'));
  }

  loadRunner(): Promise<Runner> {
    return (this.runner ??= import('../host/thread/runner'));
  }

  loadEvents(): Promise<Events> {
    return (this.events ??= import('../events'));
  }

  /** The eBPF reader and the workbench's vscode-free logic (src/workbench). */
  loadWorkbench(): Promise<Workbench> {
    return (this.workbench ??= import('../workbench'));
  }

  push<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  registerCommands(factories: Record<string, CommandFactory>): void {
    for (const [id, f] of Object.entries(factories)) {
      const enabled = f.enabled(this);
      const untrusted = f.untrusted?.(this);
      // Trust can be granted while we run: decide at call time, not at registration.
      this.push(vscode.commands.registerCommand(id, (...args: unknown[]) =>
        (untrusted && !vscode.workspace.isTrusted ? untrusted : enabled)(...args)));
    }
  }

  dispose(): void {
    // Last registered first: consumers go before what they use (the log channel goes last).
    for (const d of this.disposables.splice(0).reverse()) {
      try { d.dispose(); } catch (e) { this.log.error(`dispose failed: ${String(e)}`); }
    }
    this.log.dispose();
  }
}
