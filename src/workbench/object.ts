// The gadget's eBPF object as the workbench sees it: which file in a gadget folder it is, and what IG
// derives from it (read with the gadget.yaml it is used with). Never throws: an unreadable or refused
// object is a message the tree, the linter and a run show.
import { EbpfError, IgRefusal, gadgetConfigFromYaml, inspectObject, lintFacts, type GadgetSpec } from '../ebpf';
import { runPlan, type RunPlan } from '../ebpf/run-plan';
import type { ObjectFacts } from '../metadata/object';

/** Where builds put a gadget's object (`*.bpf.o`), relative to its folder ('' is the folder itself). */
export const OBJECT_DIRS: readonly string[] = ['', 'build', 'out', 'dist'];

/**
 * The object among a gadget folder's `*.bpf.o` files (paths relative to the folder, `/`-separated):
 * `program.bpf.o` first, then this machine's `<goarch>.bpf.o`, then the only one at the top, then the only
 * one in a build folder. Undefined when there is none or the choice is not clear.
 */
export function chooseObject(files: readonly string[], goarch: string): string | undefined {
  const sorted = [...files].sort();
  const base = (f: string): string => f.slice(f.lastIndexOf('/') + 1);
  const prefer = (pred: (f: string) => boolean): string | undefined => {
    const hits = sorted.filter(pred);
    return hits.length ? hits.sort((a, b) => a.split('/').length - b.split('/').length)[0] : undefined;
  };
  const named = prefer((f) => base(f) === 'program.bpf.o') ?? prefer((f) => base(f) === `${goarch}.bpf.o`);
  if (named) return named;
  const top = sorted.filter((f) => !f.includes('/'));
  if (top.length === 1) return top[0];
  const nested = sorted.filter((f) => f.includes('/'));
  return top.length === 0 && nested.length === 1 ? nested[0] : undefined;
}

export type ObjectReading = { spec: GadgetSpec; plan: RunPlan; error?: undefined } | { error: string; spec?: undefined; plan?: undefined };

/** IG's derivation of the object, with gadget.yaml's annotations applied when given. */
export function readObject(bytes: Uint8Array, yaml?: string): ObjectReading {
  try {
    let config;
    try { config = yaml !== undefined ? gadgetConfigFromYaml(yaml) : undefined; } catch { config = undefined; }
    const spec = inspectObject(bytes, config);
    return { spec, plan: runPlan(spec) };
  } catch (e) {
    if (e instanceof IgRefusal) return { error: `IG refuses this eBPF object: ${e.reason}` };
    if (e instanceof EbpfError) return { error: `not a readable eBPF object: ${e.message}` };
    return { error: `reading the eBPF object failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** What the linter checks gadget.yaml against; undefined when the object cannot be read (the tree says why). */
export function objectFactsFor(bytes: Uint8Array, yaml: string): ObjectFacts | undefined {
  try {
    return lintFacts(bytes, yaml);
  } catch {
    return undefined;
  }
}
