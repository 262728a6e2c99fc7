// Typed access to the `igWorkbench.*` settings. Read on demand (never cached) so changes apply at once.
import * as vscode from 'vscode';
import { LOG_LEVELS, type LogLevel } from '../host/api';

export const SECTION = 'igWorkbench';

/** Who reports YAML syntax and schema errors: see `igWorkbench.lint.schemaErrors`. */
export type SchemaErrorsPolicy = 'auto' | 'workbench' | 'yamlExtension';

export class Config {
  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  get lintOnType(): boolean {
    return this.cfg.get<boolean>('lint.onType', true);
  }

  get lintDebounceMs(): number {
    return clamp(this.cfg.get<number>('lint.debounceMs', 300), 0, 5000);
  }

  get schemaErrors(): SchemaErrorsPolicy {
    const v = this.cfg.get<string>('lint.schemaErrors', 'auto');
    return v === 'workbench' || v === 'yamlExtension' ? v : 'auto';
  }

  /** The configured wasm module for a gadget folder (resource-scoped: may differ per workspace folder). */
  wasmModule(folder: vscode.Uri): string {
    return vscode.workspace.getConfiguration(SECTION, folder).get<string>('run.wasmModule', '').trim();
  }

  /** The configured eBPF object for a gadget folder (resource-scoped), relative to it or absolute. */
  ebpfObject(folder: vscode.Uri): string {
    return vscode.workspace.getConfiguration(SECTION, folder).get<string>('run.ebpfObject', '').trim();
  }

  /** Mount namespace IDs to keep (`igWorkbench.run.mntnsFilter`); undefined = no filter. Bad IDs are skipped. */
  get mntnsFilter(): bigint[] | undefined {
    const ids = this.cfg.get<string>('run.mntnsFilter', '').split(',').map((x) => x.trim()).filter((x) => /^\d+$/.test(x));
    return ids.length ? ids.map((x) => BigInt(x)) : undefined;
  }

  /** Possible CPUs of the simulated kernel (values per entry of per-CPU maps). */
  get cpus(): number {
    return Math.round(clamp(this.cfg.get<number>('run.cpus', 1), 1, 1024));
  }

  /** Include paths for Build eBPF Object (IG's headers, e.g. a checkout's include/), relative to the gadget folder or absolute. */
  ebpfIncludePaths(folder: vscode.Uri): string[] {
    const v = vscode.workspace.getConfiguration(SECTION, folder).get<unknown>('build.includePaths', []);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
  }

  get logLevel(): LogLevel {
    const v = this.cfg.get<string>('run.logLevel', 'info');
    return (LOG_LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : 'info';
  }

  get callTimeoutMs(): number {
    return Math.max(100, this.cfg.get<number>('run.callTimeoutMs', 5000));
  }

  get openGrid(): boolean {
    return this.cfg.get<boolean>('run.openGrid', true);
  }

  /** What Run Gadget runs with (`igWorkbench.run.engine`). */
  get engine(): 'embedded' | 'ig' | 'kubectl-gadget' {
    const v = this.cfg.get<string>('run.engine', 'embedded');
    return v === 'ig' || v === 'kubectl-gadget' ? v : 'embedded';
  }

  /** IG's engines: executables, the command prefix (words, split by src/workbench/engines), stop grace, selectors. */
  get engines(): { igPath: string; kubectlGadgetPath: string; commandPrefix: string; stopGraceMs: number; containerName: string } {
    const c = this.cfg;
    return {
      igPath: c.get<string>('engines.igPath', 'ig').trim() || 'ig',
      kubectlGadgetPath: c.get<string>('engines.kubectlGadgetPath', 'kubectl-gadget').trim() || 'kubectl-gadget',
      commandPrefix: c.get<string>('engines.commandPrefix', ''),
      stopGraceMs: Math.round(clamp(c.get<number>('engines.stopGraceMs', 5000), 100, 60000)),
      containerName: c.get<string>('engines.containerName', '').trim(),
    };
  }

  get kubernetes(): { context: string; namespace: string; allNamespaces: boolean; node: string; podName: string; selector: string } {
    const c = this.cfg;
    const s = (k: string): string => c.get<string>(`kubernetes.${k}`, '').trim();
    return { context: s('context'), namespace: s('namespace'), allNamespaces: c.get<boolean>('kubernetes.allNamespaces', false), node: s('node'), podName: s('podName'), selector: s('selector') };
  }

  /** True when `e` touches one of our settings (optionally a specific sub-key). */
  affects(e: vscode.ConfigurationChangeEvent, key?: string): boolean {
    return e.affectsConfiguration(key ? `${SECTION}.${key}` : SECTION);
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}
