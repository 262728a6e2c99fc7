// IG's own engines in VS Code: *Run Gadget on ig* / *on Kubernetes* (the run orchestration with a
// ProcessEngine from src/workbench/engines, configured from the settings) and *Build Gadget Image*
// (`ig image build`, its output in the log channel, its file:line errors in Problems). The image a run
// uses is the one Build Gadget Image tagged last for the gadget, else asked for once and remembered.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { EngineKind } from '../workbench/engines';
import type { RunRequest, RunSession } from '../workbench/run';
import { showCompilerProblems } from './convert';
import type { Ctx } from './ctx';
import type { Gadget } from './gadgets';
import type { RunManager } from './run';

/** What the engine commands are given instead of asking (tests, re-runs). */
export type EngineRunRequest = RunRequest & { image?: string };

const ENGINE_WHERE: Record<EngineKind, string> = { 'ig': 'on ig', 'kubectl-gadget': 'on Kubernetes' };

export class EngineCommands implements vscode.Disposable {
  readonly problems = vscode.languages.createDiagnosticCollection('igWorkbench.igImageBuild');

  constructor(private readonly ctx: Ctx, private readonly runs: RunManager) {}

  /** Runs the gadget's image on `kind`; undefined when a prompt was cancelled. Throws for settings IG would refuse. */
  async run(g: Gadget, kind: EngineKind, request: EngineRunRequest = {}): Promise<RunSession<Gadget> | undefined> {
    const { image: given, ...rest } = request;
    const image = given ?? (await this.image(g, kind));
    if (!image) return undefined;
    return this.runs.run(g, rest, await this.engine(kind, image));
  }

  /** `ig image build FOLDER -t TAG`; resolves with the tag, undefined when it failed or was cancelled. */
  async buildImage(g: Gadget, tag?: string): Promise<string | undefined> {
    if (g.image) throw new Error(`${g.name} is an image tarball already: import it with 'ig image import'`);
    const e = await import('../workbench/engines');
    const chosen = tag ?? (await vscode.window.showInputBox({
      title: `Build ${g.name}'s image: its tag`, value: this.ctx.memento.get<string>(imageKey(g)) ?? `${g.name}:latest`, ignoreFocusOut: true,
      prompt: 'name:tag for `ig image build -t`; Run Gadget on ig runs it', validateInput: imageProblem,
    }));
    if (!chosen) return undefined;
    const cfg = this.ctx.config.engines;
    const command = e.withPrefix(e.splitCommandLine(cfg.commandPrefix), cfg.igPath, e.imageBuildArgs(g.folder.fsPath, chosen));
    const log = this.ctx.log.forGadget(g.name);
    log.line('info', `build: ${e.displayCommand(command)}`);
    const end = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Inspektor Gadget: building ${chosen}` },
      () => e.runCommand(command, { cwd: g.folder.fsPath }, (line, stream) => {
        const l = e.parseStderrLine(line);
        if (l) log.line(stream === 'stderr' ? l.level : 'info', `build: ${l.message}`);
      }));
    const diags = e.imageBuildDiagnostics(end.output.join('\n'), g.folder.fsPath);
    showCompilerProblems(this.problems, diags, 'ig image build', g.folder.fsPath);
    const failure = end.spawnError
      ? e.spawnFailure('ig', command.command, command.prefix, end.spawnError)
      : e.exitFailure('ig', { code: end.code, signal: end.signal, stderr: end.output.slice(-40), prefix: command.prefix, stopped: false });
    if (failure) {
      log.line('error', `build failed: ${e.failureText(failure)}`);
      const more = diags.length ? ' (see the Problems panel)' : '';
      void this.explain(`Cannot build ${g.name}'s image: ${e.failureText(failure)}${more}`, failure.link);
      return undefined;
    }
    await this.ctx.memento.update(imageKey(g), chosen);
    log.line('info', `built ${e.builtImage(end.output.join('\n')) ?? chosen}`);
    vscode.window.setStatusBarMessage(`$(check) Built ${chosen}`, 5000);
    return chosen;
  }

  private async engine(kind: EngineKind, image: string): Promise<import('../workbench/engines').ProcessEngine> {
    const e = await import('../workbench/engines');
    const cfg = this.ctx.config.engines;
    const k = this.ctx.config.kubernetes;
    const kube = kind === 'kubectl-gadget';
    const contextShown = kube ? k.context || e.currentContext(e.kubeconfigFiles(process.env, homedir()), readText) : undefined;
    return new e.ProcessEngine({
      kind, image, prefix: e.splitCommandLine(cfg.commandPrefix), graceMs: cfg.stopGraceMs,
      executable: kind === 'ig' ? cfg.igPath : cfg.kubectlGadgetPath,
      selectors: {
        containername: cfg.containerName || undefined,
        ...(kube ? { namespace: k.namespace || undefined, allNamespaces: k.allNamespaces || undefined, node: k.node || undefined, podname: k.podName || undefined, selector: k.selector || undefined } : {}),
      },
      context: kube && k.context ? k.context : undefined, contextShown,
    });
  }

  /** The image Build Gadget Image tagged for the gadget, else the one the user names (remembered). */
  private async image(g: Gadget, kind: EngineKind): Promise<string | undefined> {
    const remembered = this.ctx.memento.get<string>(imageKey(g));
    if (remembered) return remembered;
    const image = await vscode.window.showInputBox({
      title: `Run ${g.name} ${ENGINE_WHERE[kind]}: which image?`, value: `${g.name}:latest`, ignoreFocusOut: true,
      prompt: 'An image reference (Build Gadget Image makes one from the gadget\'s folder)', validateInput: imageProblem,
    });
    if (image) await this.ctx.memento.update(imageKey(g), image);
    return image;
  }

  /** One error notification; with IG's install docs one click away when the engine is missing. */
  async explain(message: string, link?: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, ...(link ? ['Open Install Docs'] : []), 'Show Log');
    if (choice === 'Open Install Docs' && link) void vscode.env.openExternal(vscode.Uri.parse(link));
    else if (choice === 'Show Log') this.ctx.log.show();
  }

  dispose(): void {
    this.problems.dispose();
  }
}

function imageKey(g: Gadget): string {
  return `image:${g.key}`;
}

function imageProblem(v: string): string | undefined {
  return !v.trim() ? 'an image reference, e.g. hello:latest' : /\s/.test(v.trim()) || v.trim().startsWith('-') ? 'no spaces, not starting with "-"' : undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
