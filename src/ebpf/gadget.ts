// IG's ebpf operator, read-only: from a collection spec to the data sources, fields, params and maps IG
// derives (pkg/operators/ebpf: analyze → register → initFormatters; shared note ig-ebpf-objects.md §a–§d).
// What IG would refuse throws IgRefusal with IG's reason. The fields IG's other operators add afterwards
// come from operators.ts.
import { Btf, BtfType, VAR_GLOBAL, typeString } from './btf';
import { CollectionSpec, MapSpec, MapType, loadCollectionSpec, mapTypeName } from './collection';
import { IgRefusal } from './errors';
import { EbpfField, EnumMember, StructFields, structFields } from './fields';
import { addOperatorFields } from './operators';
import { EbpfParam, GadgetConfig, ebpfParams } from './params';

export type DataSourceKind = 'tracer' | 'iterator' | 'mapiter';

export interface EbpfDataSource {
  name: string;
  type: 'single' | 'array';
  /** Which marker made it. */
  kind: DataSourceKind;
  /** Tracers and map iterators: the map; iterators: the programs. */
  map?: string;
  programs?: string[];
  /** The struct(s): one for tracers and iterators, key and value for map iterators. */
  structs: string[];
  /** Payload sizes (one per struct). */
  sizes: number[];
  fields: EbpfField[];
  annotations: Record<string, string>;
}

export interface EbpfMap {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  pinning: number;
  section: string;
  keyType?: string;
  valueType?: string;
  inner?: EbpfMap;
}

export interface EbpfProgram { name: string; section: string; type: string }

export interface GadgetSpec {
  datasources: EbpfDataSource[];
  params: EbpfParam[];
  maps: EbpfMap[];
  programs: EbpfProgram[];
  /** Gadget-context variables the object declares (`gadget_mntns_filter_map`, `gadget_var_*`, …). */
  vars: string[];
  /** Things IG accepts but logs or that lose information (deprecated markers, replaced data sources). */
  problems: string[];
}

const PREFIX = {
  tracer: 'gadget_tracer_',
  snapshotter: 'gadget_snapshotter_',
  iter: 'gadget_iter_',
  param: 'gadget_param_',
  tracerMap: 'gadget_map_tracer_',
  mapIter: 'gadget_mapiter_',
  mapElemIterTarget: 'gadget_mapelem_iter_target_',
  skTarget: 'gadget_sk_prog_target_',
  var: 'gadget_var_',
} as const;
const MAP_VARS = new Set(['gadget_mntns_filter_map', 'gadget_sockets', 'otel_generic_params']);
const SPLIT = '___';

/** Reads an object and derives what IG derives; throws IgRefusal or EbpfError (unreadable object). */
export function inspectObject(bytes: Uint8Array, config?: GadgetConfig): GadgetSpec {
  return deriveGadget(loadCollectionSpec(bytes), config);
}

interface Analysis {
  tracers: Map<string, { map: string; struct: BtfType }>;
  iterators: Map<string, { struct: BtfType; programs: string[] }>;
  mapIters: Map<string, { map: string; key: BtfType; value: BtfType }>;
  params: string[];
  vars: string[];
  problems: string[];
}

export function deriveGadget(spec: CollectionSpec, config: GadgetConfig = {}): GadgetSpec {
  const btf = spec.btf;
  if (!btf) throw new IgRefusal('initializing: missing types in ebpf spec (the object has no .BTF section: compile with -g)');
  const a = analyze(spec, btf);
  const structs = new Map<number, StructFields>();
  const fieldsOf = (st: BtfType): StructFields => {
    let s = structs.get(st.id);
    if (!s) structs.set(st.id, (s = structFields(btf, st)));
    return s;
  };
  const datasources = register(a, fieldsOf, config);
  const enums: EnumMember[] = [...structs.values()].flatMap((s) => s.enums);
  addOperatorFields(btf, spec, datasources, enums, a.problems);
  const params = ebpfParams(spec, btf, a.params, config, hasMapIters(a), a.problems);
  return {
    datasources,
    params,
    maps: [...spec.maps.values()].map((m) => mapInfo(btf, m)),
    programs: [...spec.programs.values()].map((p) => ({ name: p.name, section: p.sectionName, type: p.type })),
    vars: a.vars,
    problems: a.problems,
  };
}

function hasMapIters(a: Analysis): boolean {
  return a.mapIters.size > 0;
}

function mapInfo(btf: Btf, m: MapSpec): EbpfMap {
  const out: EbpfMap = {
    name: m.name, type: mapTypeName(m.type), keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries,
    flags: m.flags, pinning: m.pinning, section: m.section,
  };
  if (m.key !== undefined) out.keyType = typeString(btf, m.key);
  if (m.value !== undefined) out.valueType = typeString(btf, m.value);
  if (m.inner) out.inner = mapInfo(btf, m.inner);
  return out;
}

// ---- analyze(): every BTF type in id order against every prefix ------------------------------------

/** validateGlobalConstVoidPtrVar: a global VAR of type `const void *`; other types are skipped silently. */
function isMarker(btf: Btf, t: BtfType): boolean {
  if (t.kind !== 'var' || t.linkage !== VAR_GLOBAL) return false;
  const p = btf.types[t.type];
  if (p.kind !== 'ptr') return false;
  const c = btf.types[p.type];
  return c.kind === 'const' && btf.types[c.type].kind === 'void';
}

/** TypeByName(name, *btf.Struct): exactly one struct of that name (typedefs and forward declarations do not count). */
function structByName(btf: Btf, name: string, what: string): BtfType {
  const ids = btf.byName(name).filter((id) => btf.types[id].kind === 'struct');
  if (ids.length === 0) throw new Error(`finding struct "${name}" in eBPF object: type "${name}": not found${what}`);
  if (ids.length > 1) throw new Error(`finding struct "${name}" in eBPF object: type "${name}": multiple candidates for *btf.Struct`);
  return btf.types[ids[0]];
}

function analyze(spec: CollectionSpec, btf: Btf): Analysis {
  const a: Analysis = { tracers: new Map(), iterators: new Map(), mapIters: new Map(), params: [], vars: [], problems: [] };
  const handlers: { match: (n: string) => string | undefined; marker: boolean; run: (rest: string, t: BtfType) => void }[] = [
    { match: prefixed(PREFIX.tracer), marker: true, run: (rest) => tracer(spec, btf, a, rest) },
    {
      match: prefixed(PREFIX.snapshotter), marker: true,
      run: (rest) => {
        a.problems.push(`gadget_snapshotter_${rest}: GADGET_SNAPSHOTTER is deprecated, IG reads it as GADGET_ITER (rebuild with current headers)`);
        iterator(spec, btf, a, rest);
      },
    },
    { match: prefixed(PREFIX.iter), marker: true, run: (rest) => iterator(spec, btf, a, rest) },
    { match: prefixed(PREFIX.param), marker: true, run: (rest) => { if (!a.params.includes(rest)) a.params.push(rest); } },
    {
      match: prefixed(PREFIX.tracerMap), marker: true,
      run: (rest) => { if (!spec.maps.has(rest)) throw new Error(`map "${rest}" not found in eBPF object`); },
    },
    { match: prefixed(PREFIX.mapIter), marker: true, run: (rest) => mapIter(spec, btf, a, rest) },
    { match: prefixed(PREFIX.mapElemIterTarget), marker: true, run: (rest) => target(spec, rest, 'iter/bpf_map_elem') },
    { match: prefixed(PREFIX.skTarget), marker: true, run: (rest) => target(spec, rest, 'sk_') },
    { match: (n) => (MAP_VARS.has(n) ? n : undefined), marker: false, run: (rest) => { a.vars.push(rest); } },
    {
      match: (n) => (n === 'gadget_filter_by_mntns' ? n : prefixed(PREFIX.var)(n)), marker: false,
      run: (rest, t) => { constVolatileVar(btf, t, rest); a.vars.push(rest); },
    },
  ];
  for (const t of btf.types) {
    if (!t.name) continue;
    for (const h of handlers) {
      const rest = h.match(t.name);
      if (rest === undefined) continue;
      if (h.marker && !isMarker(btf, t)) continue;
      try {
        h.run(rest, t);
      } catch (e) {
        throw new IgRefusal(`analyzing: handling type by prefix "${rest}": ${(e as Error).message}`);
      }
    }
  }
  return a;
}

function prefixed(prefix: string): (n: string) => string | undefined {
  return (n) => (n.startsWith(prefix) ? n.slice(prefix.length) : undefined);
}

function tracer(spec: CollectionSpec, btf: Btf, a: Analysis, info: string): void {
  const parts = info.split(SPLIT);
  if (parts.length !== 3) throw new Error(`invalid tracer info: "${info}"`);
  const [name, mapName, structName] = parts;
  const m = spec.maps.get(mapName);
  if (!m) throw new Error(`map "${mapName}" not found in eBPF object`);
  if (m.type !== MapType.RingBuf && m.type !== MapType.PerfEventArray) {
    throw new Error(`trace map is invalid: map "${mapName}" has a wrong type, expected: ringbuf or perf event array, got: ${mapTypeName(m.type)}`);
  }
  a.tracers.set(name, { map: mapName, struct: structByName(btf, structName, '') });
}

function iterator(spec: CollectionSpec, btf: Btf, a: Analysis, info: string): void {
  const parts = info.split(SPLIT);
  if (parts.length < 3) {
    throw new Error(`invalid iterator definition, expected format: <name>___<structName>___<program1>___...___<programN>, got "${info}"`);
  }
  const [name, structName, ...programs] = parts;
  for (const p of programs) {
    const where = `parsing iterator "${name}" programs: `;
    if (!p) throw new Error(`${where}empty program name`);
    const prog = spec.programs.get(p);
    if (!prog) throw new Error(`${where}program "${p}" not found in eBPF object`);
    if (prog.type !== 'Tracing' || !prog.sectionName.startsWith('iter/')) {
      throw new Error(`${where}invalid program "${p}": expecting type "Tracing" and section name prefix "iter/", got "${prog.type}" and "${prog.sectionName}"`);
    }
  }
  if (a.iterators.has(name)) return; // the first definition of a name wins
  a.iterators.set(name, { struct: structByName(btf, structName, ''), programs });
}

function mapIter(spec: CollectionSpec, btf: Btf, a: Analysis, info: string): void {
  const parts = info.split(SPLIT);
  if (parts.length !== 2) throw new Error(`invalid name for gadget_mapiter type: "${info}"`);
  const [name, mapName] = parts;
  if (a.mapIters.has(name)) throw new Error(`duplicate map iterator "${info}"`);
  const m = spec.maps.get(mapName);
  if (!m) throw new Error(`map "${mapName}" not found in eBPF object`);
  if (m.type !== MapType.Hash) throw new Error(`map "${mapName}" has type ${mapTypeName(m.type)}, map iterators need Hash`);
  const key = m.key !== undefined ? btf.types[m.key] : undefined;
  const value = m.value !== undefined ? btf.types[m.value] : undefined;
  if (!key || key.kind !== 'struct') throw new Error(`map "${mapName}" key is not a struct`);
  if (!value || value.kind !== 'struct') throw new Error(`map "${mapName}" value is not a struct`);
  if (m.keySize !== key.size || m.valueSize !== value.size) throw new Error(`key/value sizes of map "${mapName}" does not match size of structs`);
  a.mapIters.set(name, { map: mapName, key, value });
}

/** GADGET_ITER_TARGET_MAP / GADGET_SK_TARGET_MAP: both the program and the map must exist. */
function target(spec: CollectionSpec, info: string, sectionPrefix: string): void {
  const parts = info.split(SPLIT);
  if (parts.length !== 2) throw new Error(`invalid target definition: "${info}"`);
  const [prog, mapName] = parts;
  const p = spec.programs.get(prog);
  if (!p) throw new Error(`program "${prog}" not found in eBPF object`);
  if (!p.sectionName.startsWith(sectionPrefix)) throw new Error(`program "${prog}" in section "${p.sectionName}" does not start with "${sectionPrefix}"`);
  if (!spec.maps.has(mapName)) throw new Error(`map "${mapName}" not found in eBPF object`);
}

function constVolatileVar(btf: Btf, t: BtfType, name: string): void {
  if (t.kind !== 'var') throw new Error(`"${name}" not of type *btf.Var`);
  const c = btf.types[t.type];
  if (c.kind !== 'const') throw new Error(`"${name}" not a const`);
  if (btf.types[c.type].kind !== 'volatile') throw new Error(`"${name}" not volatile`);
}

// ---- register(): data sources with their static fields ---------------------------------------------

const DEFAULT_FIELD_ANNOTATIONS: Record<string, string> = { 'columns.width': '16', 'columns.ellipsis': 'end', 'columns.alignment': 'left' };

function register(a: Analysis, fieldsOf: (st: BtfType) => StructFields, config: GadgetConfig): EbpfDataSource[] {
  const out = new Map<string, EbpfDataSource>();
  const add = (ds: EbpfDataSource, payloads: StructFields[]): void => {
    const yaml = config.datasources?.[ds.name];
    Object.assign(ds.annotations, yaml?.annotations ?? {});
    payloads.forEach((p, payload) => {
      const base = ds.fields.length;
      const existing = new Set(ds.fields.map((f) => f.fullName));
      for (const f of p.fields) {
        // AddStaticFields compares each new short name with the full names already in the data source.
        if (payload > 0 && existing.has(f.name)) {
          throw new IgRefusal(`registering datasources: adding datasource: adding fields for datasource: field "${f.name}" already exists`);
        }
        const tags = payload === 0 && ds.kind === 'mapiter' ? [...f.tags, 'role:key'] : [...f.tags];
        const fc = yaml?.fields?.[f.fullName];
        const annotations: Record<string, string> = { ...DEFAULT_FIELD_ANNOTATIONS, ...f.annotations, ...(fc?.annotations ?? {}) };
        if (fc?.tags) tags.push(...fc.tags);
        ds.fields.push({ ...f, tags, annotations, parent: f.parent < 0 ? -1 : f.parent + base, payload, hidden: annotations['columns.hidden'] === 'true' });
      }
    });
    if (out.has(ds.name)) a.problems.push(`data source "${ds.name}" is defined twice: IG keeps one of them (the later registration replaces the first)`);
    out.set(ds.name, ds);
  };
  for (const [name, t] of a.tracers) {
    const s = fieldsOf(t.struct);
    add({ name, type: 'single', kind: 'tracer', map: t.map, structs: [t.struct.name], sizes: [s.size], fields: [], annotations: {} }, [s]);
  }
  for (const [name, it] of a.iterators) {
    const s = fieldsOf(it.struct);
    const ds: EbpfDataSource = { name, type: 'array', kind: 'iterator', programs: it.programs, structs: [it.struct.name], sizes: [s.size], fields: [], annotations: {} };
    add(ds, [s]);
    ds.annotations['fetch-interval'] ??= '0';
    ds.annotations['fetch-count'] ??= '1';
  }
  for (const [name, mi] of a.mapIters) {
    const k = fieldsOf(mi.key);
    const v = fieldsOf(mi.value);
    const ds: EbpfDataSource = { name, type: 'array', kind: 'mapiter', map: mi.map, structs: [mi.key.name, mi.value.name], sizes: [k.size, v.size], fields: [], annotations: {} };
    add(ds, [k, v]);
    // evaluateMapParams: from the params map-fetch-count (default 0) and map-fetch-interval (default 1000ms)
    ds.annotations['fetch-count'] = '0';
    ds.annotations['fetch-interval'] = '1s';
  }
  return [...out.values()];
}

