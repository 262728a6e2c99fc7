// Command factories: each command's behaviour, and what it does instead in an untrusted folder.
import * as path from 'path';
import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import type { CommandFactory, Ctx } from './ctx';
import { findGadgets, gadgetAt, gadgetYamlText, imageGadgetAt, type Gadget } from './gadgets';
import type { ObjectBuilder } from './build';
import type { Linter } from './lint';
import type { RunManager, RunSummary } from './run';
import type { EngineCommands, EngineRunRequest } from './engines';
import type { EngineKind } from '../workbench/engines';
import type { GadgetTree, Node } from './tree';

export interface Services {
  linter: Linter;
  builder: ObjectBuilder;
  runs: RunManager;
  tree: GadgetTree;
  engines: EngineCommands;
  activationMs: number;
}

const TRUST_MESSAGE = 'Running a gadget executes its wasm module, so Run Gadget is disabled in untrusted folders. '
  + 'Linting, hover, completion and the Gadgets tree keep working. Trust this folder to run gadgets.';

function explainUntrusted(): () => Promise<undefined> {
  return async () => {
    const choice = await vscode.window.showWarningMessage(TRUST_MESSAGE, 'Manage Workspace Trust');
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  };
}

export function commandFactories(s: Services): Record<string, CommandFactory> {
  return {
    'igWorkbench.runGadget': {
      // Arguments: a tree node, a gadget.yaml or gadget folder URI (menus), then an optional RunRequest (tests).
      // On the engine igWorkbench.run.engine names (the embedded host by default).
      enabled: (ctx) => async (target?: unknown, request?: EngineRunRequest): Promise<RunSummary | undefined> => {
        const engine = ctx.config.engine;
        if (engine !== 'embedded') return runOnEngine(ctx, s, engine, target, request);
        const gadget = await resolveGadget(ctx, target);
        if (!gadget) return undefined;
        try {
          const session = await s.runs.run(gadget, request);
          return session?.summary();
        } catch (e) {
          const message = errorMessage(e);
          ctx.log.error(`[${gadget.name}] cannot run: ${message}`);
          void vscode.window.showErrorMessage(`Cannot run ${gadget.name}: ${message}`);
          return undefined;
        }
      },
      untrusted: explainUntrusted,
    },
    'igWorkbench.runGadgetOnIg': {
      // Arguments as Run Gadget's; the request may name the image (else the built or remembered one).
      enabled: (ctx) => (target?: unknown, request?: EngineRunRequest) => runOnEngine(ctx, s, 'ig', target, request),
      untrusted: explainUntrusted,
    },
    'igWorkbench.runGadgetOnKubernetes': {
      enabled: (ctx) => (target?: unknown, request?: EngineRunRequest) => runOnEngine(ctx, s, 'kubectl-gadget', target, request),
      untrusted: explainUntrusted,
    },
    'igWorkbench.buildGadgetImage': {
      // Arguments as Run Gadget's, then an optional tag (tests). Resolves with the tag built.
      enabled: (ctx) => async (target?: unknown, tag?: string): Promise<string | undefined> => {
        const gadget = await resolveGadget(ctx, target);
        if (!gadget) return undefined;
        try {
          return await s.engines.buildImage(gadget, typeof tag === 'string' ? tag : undefined);
        } catch (e) {
          void vscode.window.showErrorMessage(`Cannot build ${gadget.name}'s image: ${errorMessage(e)}`);
          return undefined;
        }
      },
      untrusted: explainUntrusted,
    },
    'igWorkbench.buildEbpfObject': {
      // Arguments as Run Gadget's. Resolves with the object's path (undefined when clang failed or was cancelled).
      enabled: (ctx) => async (target?: unknown): Promise<string | undefined> => {
        const gadget = await resolveGadget(ctx, target);
        if (!gadget) return undefined;
        try {
          const out = await s.builder.build(gadget);
          if (out) void vscode.window.setStatusBarMessage(`Built ${path.basename(out)} for ${gadget.name}`, 5000);
          else void vscode.window.showErrorMessage(`clang failed to build ${gadget.name}'s eBPF object: see the Problems panel.`);
          return out;
        } catch (e) {
          void vscode.window.showErrorMessage(`Cannot build ${gadget.name}'s eBPF object: ${errorMessage(e)}`);
          return undefined;
        }
      },
      untrusted: explainUntrusted,
    },
    'igWorkbench.rerunGadget': {
      enabled: () => async () => (await s.runs.rerun())?.summary(),
      untrusted: explainUntrusted,
    },
    'igWorkbench.stopGadget': {
      enabled: () => async (id?: unknown) => {
        if (s.runs.active.length === 0) {
          void vscode.window.showInformationMessage('No gadget is running.');
          return undefined;
        }
        return s.runs.stop(typeof id === 'number' ? id : undefined);
      },
    },
    'igWorkbench.showMapEntries': {
      // Argument: { gadgetKey, map } (the tree's map items).
      enabled: () => async (arg?: unknown) => {
        const a = arg as { gadgetKey?: unknown; map?: unknown } | undefined;
        if (typeof a?.gadgetKey !== 'string' || typeof a.map !== 'string') {
          void vscode.window.showInformationMessage('Pick a map under a gadget in the Gadgets view (its maps appear after a run).');
          return undefined;
        }
        return s.runs.showMap(a.gadgetKey, a.map);
      },
    },
    'igWorkbench.lintWorkspace': {
      enabled: (ctx) => async () => {
        const r = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'Linting gadget.yaml files' },
          () => s.linter.lintWorkspace());
        const summary = `Linted ${r.files} gadget.yaml file${r.files === 1 ? '' : 's'}: ${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}.`;
        ctx.log.info(summary);
        if (r.errors + r.warnings > 0) {
          void vscode.window.showInformationMessage(summary, 'Show Problems').then((c) => {
            if (c) void vscode.commands.executeCommand('workbench.actions.view.problems');
          });
        } else {
          void vscode.window.showInformationMessage(summary);
        }
        return r;
      },
    },
    'igWorkbench.openGadgetYaml': {
      enabled: (ctx) => async (target?: unknown) => {
        const gadget = await resolveGadget(ctx, target);
        if (!gadget) return;
        // An image's gadget.yaml is in its config blob: shown as an untitled copy.
        if (gadget.image) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'yaml', content: (await gadgetYamlText(ctx, gadget)) ?? '' }));
        else await vscode.window.showTextDocument(gadget.yaml);
      },
    },
    'igWorkbench.refreshGadgets': {
      enabled: () => () => s.tree.refresh(),
    },
    'igWorkbench.showLog': {
      enabled: (ctx) => () => ctx.log.show(),
    },
    'igWorkbench.forgetChoices': {
      enabled: (ctx) => async () => {
        const keys = ctx.memento.keys().filter((k) => /^(wasm|events|params|image):/.test(k));
        for (const k of keys) await ctx.memento.update(k, undefined);
        void vscode.window.showInformationMessage(`Forgot ${keys.length} remembered choice${keys.length === 1 ? '' : 's'} (wasm modules, events files, params, images).`);
      },
    },
  };
}

/** Commands the integration tests call to observe the extension; registered outside production mode only. */
export function testCommandFactories(s: Services): Record<string, CommandFactory> {
  const withGrid = async (id?: number) => {
    const session = id === undefined ? s.runs.lastEnded : s.runs.session(id);
    if (!session) return undefined;
    return { ...session.summary(), grid: await session.gridStats() };
  };
  return {
    'igWorkbench._test.activationMs': { enabled: () => () => s.activationMs },
    /** The last ended run: summary, log lines and the grid's stats. */
    'igWorkbench._test.lastRun': { enabled: () => () => withGrid() },
    /** Waits for run `id` to end and returns the same as lastRun for it. */
    'igWorkbench._test.awaitRun': {
      enabled: () => async (id: number) => {
        await s.runs.session(id)?.done;
        return withGrid(id);
      },
    },
    'igWorkbench._test.activeRuns': { enabled: () => () => s.runs.active.map((r) => r.summary()) },
    'igWorkbench._test.tree': { enabled: () => () => s.tree.snapshot() },
    'igWorkbench._test.treeRefreshes': { enabled: () => () => s.tree.refreshes },
    'igWorkbench._test.treeLoads': { enabled: () => () => s.tree.loads },
    /** The TreeDataProvider itself (commands run in the same extension host, so this is the live object). */
    'igWorkbench._test.treeProvider': { enabled: () => () => s.tree },
    'igWorkbench._test.failTreeOnce': { enabled: () => (message: string) => s.tree.failNextLoad(message) },
  };
}

/** Run Gadget on IG's own engine: the gadget, then its image and params; a setting IG would refuse is one message. */
async function runOnEngine(ctx: Ctx, s: Services, kind: EngineKind, target: unknown, request?: EngineRunRequest): Promise<RunSummary | undefined> {
  const gadget = await resolveGadget(ctx, target);
  if (!gadget) return undefined;
  try {
    return (await s.engines.run(gadget, kind, request))?.summary();
  } catch (e) {
    const message = errorMessage(e);
    ctx.log.error(`[${gadget.name}] cannot run: ${message}`);
    void vscode.window.showErrorMessage(`Cannot run ${gadget.name}: ${message}`);
    return undefined;
  }
}

/** The gadget a command is about: its argument, else the active gadget.yaml, else the only or a picked gadget. */
async function resolveGadget(ctx: Ctx, target: unknown): Promise<Gadget | undefined> {
  if (isNode(target)) return target.gadget;
  if (target instanceof vscode.Uri) {
    if (target.path.endsWith('.tar')) {
      const image = await imageGadgetAt(ctx, target);
      if (!image) void vscode.window.showWarningMessage(`${path.basename(target.fsPath)} is not a gadget image (ig image export) for this machine's architecture.`);
      return image;
    }
    const yaml = path.basename(target.fsPath) === 'gadget.yaml' ? target : vscode.Uri.joinPath(target, 'gadget.yaml');
    return gadgetAt(ctx, yaml);
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && path.basename(active.fsPath) === 'gadget.yaml') return gadgetAt(ctx, active);
  const gadgets = await findGadgets(ctx);
  if (gadgets.length === 0) {
    void vscode.window.showWarningMessage('No gadget found: open a gadget.yaml or a folder with one.');
    return undefined;
  }
  if (gadgets.length === 1) return gadgets[0];
  const pick = await vscode.window.showQuickPick(
    gadgets.map((g) => ({ label: g.name, description: vscode.workspace.asRelativePath(g.image ? g.yaml : g.folder), g })),
    { title: 'Which gadget?' });
  return pick?.g;
}

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && 'type' in x && 'gadget' in x;
}
