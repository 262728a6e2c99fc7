// Is this gadget.yaml an Inspektor Gadget gadget's metadata? Ubuntu snaps ship a `meta/gadget.yaml` of their
// own (volumes, defaults, connections) that must not be linted as IG metadata.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SCHEMA } from './schema';

/** Files that sit beside an IG gadget's gadget.yaml (IG's build, eBPF and wasm sources). */
const GADGET_SIBLINGS = ['build.yaml', 'program.bpf.c', 'program.go', 'go/program.go', 'program.rs', 'Cargo.toml'];
/** Top-level keys of a snap's gadget.yaml (snapcraft.io/docs/gadget-snap). */
const SNAP_KEYS = new Set(['volumes', 'defaults', 'connections', 'device-tree', 'device-tree-origin', 'format', 'kernel-cmdline']);
const IG_KEYS = new Set(Object.keys(SCHEMA.properties ?? {}).map((k) => k.toLowerCase()));

export function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  const re = /^([A-Za-z_][\w.-]*)[ \t]*:/gm;
  const head = text.length > 200_000 ? text.slice(0, 200_000) : text;
  for (let m = re.exec(head); m; m = re.exec(head)) keys.push(m[1]!.toLowerCase());
  return keys;
}

export function isGadgetYaml(path: string, text: string, exists: (p: string) => boolean = existsSync): boolean {
  try {
    const base = basename(path).toLowerCase();
    if (base !== 'gadget.yaml' && base !== 'gadget.yml') return false;
    const dir = dirname(path);
    const inSnapMeta = basename(dir) === 'meta';
    if (exists(join(dir, 'snap.yaml')) || (inSnapMeta && exists(join(dir, '..', 'snapcraft.yaml')))) return false;
    const keys = topLevelKeys(typeof text === 'string' ? text : '');
    const ig = keys.some((k) => IG_KEYS.has(k));
    const snap = keys.some((k) => SNAP_KEYS.has(k));
    if (ig && !(snap && inSnapMeta)) return true;
    if (snap) return false;
    if (GADGET_SIBLINGS.some((s) => exists(join(dir, s)))) return true;
    // A new, still empty gadget.yaml: lint it (completion helps most there), unless it sits in a snap's meta/.
    return keys.length === 0 && !inSnapMeta;
  } catch {
    return false;
  }
}
