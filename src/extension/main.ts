// Extension entry point. activate() stays short: build the context and the services, register the
// command factories. Heavy libraries (yaml, ajv, the host) load on first use; see Ctx.
import * as vscode from 'vscode';
import { commandFactories, testCommandFactories, type Services } from './commands';
import { ObjectBuilder } from './build';
import { EngineCommands } from './engines';
import { Ctx } from './ctx';
import { Linter } from './lint';
import { RunManager } from './run';
import { GadgetTree } from './tree';

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  ctx = new Ctx(context);
  context.subscriptions.push(ctx);

  const linter = ctx.push(new Linter(ctx));
  const runs = ctx.push(new RunManager(ctx));
  const tree = ctx.push(new GadgetTree(ctx, runs));
  const builder = ctx.push(new ObjectBuilder(ctx));
  const engines = ctx.push(new EngineCommands(ctx, runs));
  const services: Services = { linter, builder, runs, tree, engines, activationMs: 0 };
  ctx.registerCommands(commandFactories(services));
  if (context.extensionMode !== vscode.ExtensionMode.Production) ctx.registerCommands(testCommandFactories(services));
  linter.start();
  tree.start();
  builder.start();

  services.activationMs = performance.now() - started;
  ctx.log.info(`activated in ${services.activationMs.toFixed(1)} ms`);
}

export function deactivate(): void {
  // Everything hangs off context.subscriptions (via Ctx) and is disposed by VS Code; drop our reference.
  ctx = undefined;
}
