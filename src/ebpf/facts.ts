// What the gadget.yaml linter needs to know about an eBPF object (plain data, see metadata/object.ts):
// the data sources and every field name IG ends up with, the GADGET_PARAM variables, the answer of IG's
// checkParamVar for any variable (`ig image build --validate-metadata`), and what `--update-metadata`
// would add (pkg/gadgets/run/types/metadata.go Populate: top-level struct members, no `__` filter).
import type { ObjectFacts } from '../metadata/object';
import { Btf, VAR_GLOBAL } from './btf';
import { CollectionSpec, loadCollectionSpec } from './collection';
import { gadgetConfigFromYaml } from './config';
import { deriveGadget, GadgetSpec } from './gadget';

export function objectFacts(spec: CollectionSpec, g: GadgetSpec): ObjectFacts {
  const btf = spec.btf;
  return {
    datasources: g.datasources.map((ds) => ({
      name: ds.name,
      fields: ds.fields.map((f) => f.fullName),
      // Populate skips the deprecated snapshotters (it looks for the `gadget_iter_` prefix only).
      // Members that never become fields (`__*`, pointers, 128-bit, zero-length) are left out: IG's Populate
      // lists them, but they would be entries IG ignores (and this linter warns about).
      ...(ds.kind === 'iterator' && !hasMarker(btf, `gadget_iter_${ds.name}___`)
        ? {} : { populate: topLevelMembers(btf, ds.structs).filter((m) => ds.fields.some((f) => f.fullName === m)) }),
    })),
    params: g.params.filter((p) => p.variable !== undefined && (!btf || !checkParamVar(btf, p.variable)))
      .map((p) => ({ variable: p.variable!, key: p.key })),
    checkVar: (name) => (btf ? checkParamVar(btf, name) : `variable "${name}" not found in eBPF object: the object has no BTF`),
  };
}

function hasMarker(btf: Btf | undefined, prefix: string): boolean {
  return !!btf?.types.some((t) => t.kind === 'var' && t.name.startsWith(prefix));
}

/** Member names of the struct(s), in order, each once (map iterators: key then value). */
function topLevelMembers(btf: Btf | undefined, structs: string[]): string[] {
  const out: string[] = [];
  if (!btf) return out;
  for (const s of structs) {
    const id = btf.byName(s).find((i) => btf.types[i].kind === 'struct');
    if (id === undefined) continue;
    for (const m of btf.types[id].members) if (m.name && !out.includes(m.name)) out.push(m.name);
  }
  return out;
}

/** IG's checkParamVar: a global VAR whose type is const volatile (or an array of const volatile). */
export function checkParamVar(btf: Btf, name: string): string | undefined {
  const ids = btf.byName(name).filter((i) => btf.types[i].kind === 'var');
  if (ids.length === 0) return `variable "${name}" not found in eBPF object: type name ${name}: not found`;
  if (ids.length > 1) return `variable "${name}" not found in eBPF object: type name ${name}: multiple candidates for *btf.Var`;
  const v = btf.types[ids[0]];
  if (v.linkage !== VAR_GLOBAL) return `"${name}" is not a global variable`;
  let t = btf.types[v.type];
  if (t.kind === 'array') t = btf.types[t.type];
  if (t.kind !== 'const') return `"${name}" is not const`;
  if (btf.types[t.type].kind !== 'volatile') return `"${name}" is not volatile`;
  return undefined;
}

/**
 * Facts for linting `yaml` against the object in `bytes`: the object is derived with that gadget.yaml's
 * config (its annotations can rename operator outputs). Throws EbpfError/IgRefusal as inspectObject does.
 */
export function lintFacts(bytes: Uint8Array, yaml: string): ObjectFacts {
  const spec = loadCollectionSpec(bytes);
  let g: GadgetSpec;
  try {
    g = deriveGadget(spec, gadgetConfigFromYaml(yaml));
  } catch {
    g = deriveGadget(spec); // a refusal caused by the yaml's annotations: cross-check against the bare object
  }
  return objectFacts(spec, g);
}
