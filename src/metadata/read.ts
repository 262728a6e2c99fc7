// readGadgetMetadata: the plain data the runner, extension and grid need (names, annotations as strings,
// wasm params), read the way IG reads it: keys case-insensitive, annotation names lower-cased, scalars as text.
import { goValueOf, parseGadgetYaml } from './document';
import type { GadgetMetadata, WasmParam } from './types';
import { readYaml, toPlain, YamlError } from '../yaml/read';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Go decodes any YAML scalar into a string field; null becomes "". */
const str = (v: unknown): string | undefined =>
  (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined);

function annotations(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    const s = val === null ? '' : str(val);
    // viper lower-cases keys, so IG sees `columns.maxWidth` as `columns.maxwidth`.
    if (s !== undefined && k !== '__proto__') out[k.toLowerCase()] = s;
  }
  return out;
}

function wasmParam(name: string, v: Obj): WasmParam {
  const p: WasmParam = { key: str(v.key) || name };
  const title = str(v.title); if (title !== undefined) p.title = title;
  const description = str(v.description); if (description !== undefined) p.description = description;
  const def = str(v.defaultValue); if (def !== undefined) p.defaultValue = def;
  const hint = str(v.typeHint); if (hint !== undefined) p.typeHint = hint;
  if (Array.isArray(v.possibleValues)) p.possibleValues = v.possibleValues.map((x) => str(x) ?? '');
  if (typeof v.isMandatory === 'boolean') p.isMandatory = v.isMandatory;
  return p;
}

export function readGadgetMetadata(text: string): GadgetMetadata {
  const meta: GadgetMetadata = { datasources: {}, wasmParams: {} };
  try {
    const p = parseGadgetYaml(typeof text === 'string' ? text : '');
    // Strings as Go sees them (`columns.hidden: True` is "True", which IG does not take for true), and the
    // one boolean (`isMandatory`) from the typed value.
    const value = goValueOf(p);
    const typed = p.value;
    if (!isObj(value)) return meta;
    const name = str(value.name); if (name !== undefined) meta.name = name;
    const description = str(value.description); if (description !== undefined) meta.description = description;
    if (isObj(value.datasources)) {
      for (const [dsName, ds] of Object.entries(value.datasources)) {
        const d = isObj(ds) ? ds : {};
        const fields: GadgetMetadata['datasources'][string]['fields'] = {};
        if (isObj(d.fields)) for (const [f, fv] of Object.entries(d.fields)) fields[f] = { annotations: annotations(isObj(fv) ? fv.annotations : undefined) };
        meta.datasources[dsName] = { annotations: annotations(d.annotations), fields };
      }
    }
    const params = isObj(value.params) ? value.params : {};
    const wasmKey = Object.keys(params).find((k) => k.toLowerCase() === 'wasm');
    const wasm = wasmKey ? params[wasmKey] : undefined;
    const typedParams = isObj(typed) && isObj(typed.params) ? typed.params : {};
    const typedWasm = wasmKey ? typedParams[wasmKey] : undefined;
    if (isObj(wasm)) {
      for (const [k, v] of Object.entries(wasm)) {
        if (!isObj(v)) continue;
        const param = wasmParam(k, v);
        const t = isObj(typedWasm) && isObj(typedWasm[k]) ? typedWasm[k] as Obj : {};
        if (typeof t.isMandatory === 'boolean') param.isMandatory = t.isMandatory; else delete param.isMandatory;
        meta.wasmParams[k] = param;
      }
    }
  } catch {
    // Never throw: callers get what could be read.
  }
  return meta;
}

/**
 * gadget.yaml as a run's initial config: the file's mapping as plain data (an empty file is {}). Throws
 * YamlError, with its line, for invalid YAML, a duplicate key or a root that is not a mapping.
 */
export function readGadgetConfig(text: string): Record<string, unknown> {
  const doc = readYaml(text, { uniqueKeys: true });
  const v = toPlain(doc, doc.root);
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    const p = doc.position(doc.root?.start ?? 0);
    throw new YamlError('expected a mapping at the top level', doc.root?.start ?? 0, p.line, p.column);
  }
  return v;
}
