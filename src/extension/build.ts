// Build eBPF Object: compiles a gadget's program.bpf.c with clang and IG's builder flags (arguments and
// output parsing in src/workbench/build.ts) into program.bpf.o beside it; clang's errors and warnings go
// to the Problems panel. The tree, the linter and runs pick the new object up through their watchers.
import { execFile } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import { showCompilerProblems } from './convert';
import type { Ctx } from './ctx';
import { exists, type Gadget } from './gadgets';

export class ObjectBuilder implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('igWorkbench.clang');

  constructor(private readonly ctx: Ctx) {}

  /** Sets `igWorkbench.clangOnPath` (the command is enabled only with clang), without delaying activation. */
  start(): void {
    execFile('clang', ['--version'], (err) => {
      void vscode.commands.executeCommand('setContext', 'igWorkbench.clangOnPath', !err);
    });
  }

  /** Compiles; resolves with the object's path, or undefined when clang failed (its problems are shown). */
  async build(g: Gadget): Promise<string | undefined> {
    const src = vscode.Uri.joinPath(g.folder, 'program.bpf.c');
    if (!(await exists(src))) throw new Error(`${g.name} has no program.bpf.c in ${g.folder.fsPath}`);
    const out = path.join(g.folder.fsPath, 'program.bpf.o');
    const wb = await this.ctx.loadWorkbench();
    const includes = this.ctx.config.ebpfIncludePaths(g.folder).map((p) => (path.isAbsolute(p) ? p : path.join(g.folder.fsPath, p)));
    const args = wb.clangArgs(src.fsPath, out, includes, process.arch);
    this.ctx.log.info(`[${g.name}] clang ${args.join(' ')}`);
    const { code, stderr } = await new Promise<{ code: number | string; stderr: string }>((resolve) => {
      execFile('clang', args, { cwd: g.folder.fsPath, maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
        resolve({ code: err ? ((err as NodeJS.ErrnoException).code ?? 1) : 0, stderr });
      });
    });
    if (code === 'ENOENT') throw new Error('clang is not on PATH: install clang (and libbpf-dev for <bpf/bpf_helpers.h>) to build eBPF objects');
    showCompilerProblems(this.collection, wb.parseClangOutput(stderr), 'clang', g.folder.fsPath);
    if (code !== 0) {
      this.ctx.log.error(`[${g.name}] clang failed:\n${stderr}`);
      return undefined;
    }
    return out;
  }

  dispose(): void {
    this.collection.dispose();
  }
}
