// GADGET_PARAM → IG params (pkg/operators/ebpf/params.go, params_defaults.go; shared note §c): key (with the
// well-known pairs of filter.h and the stack helpers), type hint from BTF, gadget.yaml's key/defaultValue/
// description, then the default read from `.rodata` (which replaces the yaml default), plus the params the
// ebpf operator always or conditionally adds.
import { Btf, BtfType, INT_BOOL, INT_CHAR, INT_SIGNED } from './btf';
import { CollectionSpec, isDataSection } from './collection';
import { IgRefusal } from './errors';

export interface EbpfParam {
  key: string;
  /** The eBPF variable (absent for the operator's own params). */
  variable?: string;
  typeHint: string;
  defaultValue: string;
  description: string;
  title?: string;
  tags?: string[];
  /** String params: the char array's length (longer values are refused at start). */
  strLen?: number;
  /** Where the default came from. */
  defaultFrom: 'rodata' | 'gadget.yaml' | 'paramDefaults' | 'ebpf operator' | 'none';
  /** The full key `ig run` takes. */
  fullKey: string;
}

/** The parts of gadget.yaml the eBPF layer reads. */
export interface GadgetConfig {
  params?: { ebpf?: Record<string, { key?: string; defaultValue?: string; description?: string } | undefined> };
  ebpfParams?: Record<string, { key?: string; defaultValue?: string; description?: string } | undefined>;
  /** Top-level `paramDefaults: {<full key, lower case>: value}`: applied after all operators (run.go). */
  paramDefaults?: Record<string, string>;
  datasources?: Record<string, {
    annotations?: Record<string, string>;
    fields?: Record<string, { annotations?: Record<string, string>; tags?: string[] } | undefined>;
  } | undefined>;
}

interface WellKnown { key: string; description: string; tags?: string[] }

/** (type name, variable) pairs whose param IG presents under a fixed key. Descriptions are ours. */
const WELL_KNOWN: Record<string, WellKnown> = {
  'gadget_pid/targ_pid': { key: 'pid', description: 'Show only events of this process ID', tags: ['group:Process'] },
  'gadget_tid/targ_tid': { key: 'tid', description: 'Show only events of this thread ID', tags: ['group:Process'] },
  'gadget_uid/targ_uid': { key: 'uid', description: 'Show only events of this user ID', tags: ['group:Process'] },
  'gadget_gid/targ_gid': { key: 'gid', description: 'Show only events of this group ID', tags: ['group:Process'] },
  'gadget_comm/targ_comm': { key: 'comm', description: 'Show only events of processes with this name', tags: ['group:Process'] },
  'bool/collect_ustack': { key: 'collect-ustack', description: 'Collect user stacks' },
  'bool/collect_build_id': { key: 'collect-build-id', description: 'Collect build IDs of user stacks' },
  'bool/collect_otel_stack': { key: 'collect-otel-stack', description: 'Collect stacks for OpenTelemetry profiles' },
};

const FULL_PREFIX = 'operator.oci.ebpf.';

/** Strips typedef, const and volatile (getTypeHint's first step). */
function strip(btf: Btf, t: BtfType): BtfType {
  while (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile') t = btf.types[t.type];
  return t;
}

function typeHint(btf: Btf, t: BtfType): { hint: string; strLen?: number } {
  const u = strip(btf, t);
  switch (u.kind) {
    case 'int': {
      const sizes: Record<number, string> = { 1: '8', 2: '16', 4: '32', 8: '64' };
      if (u.encoding === INT_SIGNED && sizes[u.size]) return { hint: `int${sizes[u.size]}` };
      if (u.encoding === 0 && sizes[u.size]) return { hint: `uint${sizes[u.size]}` };
      if (u.encoding === INT_BOOL) return { hint: 'bool' };
      if (u.encoding === INT_CHAR) return { hint: 'uint8' };
      return { hint: '' };
    }
    case 'float': return { hint: u.size === 4 ? 'float32' : u.size === 8 ? 'float64' : '' };
    case 'struct': return { hint: u.name === 'gadget_l3endpoint_t' ? 'ip' : '' };
    case 'array': {
      const e = strip(btf, btf.types[u.type]);
      return e.kind === 'int' && e.name === 'char' ? { hint: 'string', strLen: u.nelems } : { hint: '' };
    }
    default: return { hint: '' };
  }
}

/** The first type name under const/volatile: the "type" of the well-known (type, variable) pairs. */
function typeName(btf: Btf, t: BtfType): string {
  while ((t.kind === 'const' || t.kind === 'volatile') && !t.name) t = btf.types[t.type];
  return t.name;
}

export function ebpfParams(spec: CollectionSpec, btf: Btf, vars: string[], config: GadgetConfig, mapIters: boolean, problems: string[]): EbpfParam[] {
  const out: EbpfParam[] = [];
  const byVar = new Map<string, EbpfParam>();
  for (const v of vars) {
    const id = btf.byName(v).find((i) => btf.types[i].kind === 'var');
    if (id === undefined) throw new IgRefusal(`analyzing: handling type by prefix "${v}": no BTF type found for: ${v}: not found`);
    const vt = btf.types[btf.types[id].type];
    const { hint, strLen } = typeHint(btf, vt);
    const wk = WELL_KNOWN[`${typeName(btf, vt)}/${v}`];
    const p: EbpfParam = {
      key: wk?.key ?? v, variable: v, typeHint: hint, defaultValue: '', description: wk?.description ?? '', defaultFrom: 'none', fullKey: '',
    };
    if (wk?.tags) p.tags = [...wk.tags];
    if (strLen !== undefined) p.strLen = strLen;
    const yaml = config.params?.ebpf?.[v] ?? config.ebpfParams?.[v];
    if (yaml) {
      if (typeof yaml.key === 'string' && yaml.key) p.key = yaml.key;
      if (yaml.defaultValue !== undefined && yaml.defaultValue !== null && String(yaml.defaultValue) !== '') {
        p.defaultValue = String(yaml.defaultValue);
        p.defaultFrom = 'gadget.yaml';
      }
      if (typeof yaml.description === 'string' && yaml.description) p.description = yaml.description;
    }
    out.push(p);
    byVar.set(v, p);
  }
  fillDefaults(spec, btf, byVar, problems);
  if ([...spec.programs.values()].some((p) => p.sectionName.startsWith('classifier/'))) {
    out.push({ key: 'iface', typeHint: '', defaultValue: '', description: 'Network interface to attach to', defaultFrom: 'none', fullKey: '' });
  }
  out.push({ key: 'trace-pipe', typeHint: 'bool', defaultValue: 'false', description: 'Forward bpf_trace_printk output to the log', defaultFrom: 'ebpf operator', fullKey: '' });
  if (mapIters) {
    out.push({ key: 'map-fetch-interval', typeHint: 'string', defaultValue: '1000ms', description: 'interval in which to iterate over maps', title: 'Map fetch interval', defaultFrom: 'ebpf operator', fullKey: '' });
    out.push({ key: 'map-fetch-count', typeHint: 'int', defaultValue: '0', description: 'number of map fetch cycles - use 0 for unlimited', title: 'Map fetch count', defaultFrom: 'ebpf operator', fullKey: '' });
  }
  for (const p of out) {
    p.fullKey = FULL_PREFIX + p.key;
    const d = config.paramDefaults?.[p.fullKey.toLowerCase()];
    if (d !== undefined) { p.defaultValue = d; p.defaultFrom = 'paramDefaults'; }
  }
  return out;
}

/**
 * fillParamDefaults: for each VAR of a `.rodata*` DATASEC that is a param of type CONST → VOLATILE →
 * (typedefs →) T, the default is T's initial value: decimal for ints, true/false for bools, 0.0.0.0 for an
 * L3 endpoint, "" for anything else. Arrays (string params) and non-const variables keep the yaml default.
 */
function fillDefaults(spec: CollectionSpec, btf: Btf, byVar: Map<string, EbpfParam>, problems: string[]): void {
  for (const ds of btf.types) {
    if (ds.kind !== 'datasec' || !ds.name.startsWith('.rodata') || !isDataSection(ds.name)) continue;
    const contents = spec.maps.get(ds.name)?.contents;
    for (const v of ds.vars) {
      const vt = btf.types[v.type];
      const p = vt.kind === 'var' ? byVar.get(vt.name) : undefined;
      if (!p) continue;
      const c = btf.types[vt.type];
      if (c.kind !== 'const') continue;
      const vol = btf.types[c.type];
      if (vol.kind !== 'volatile') continue;
      let t = btf.types[vol.type];
      while (t.kind === 'typedef') t = btf.types[t.type];
      let value = '';
      if (t.kind === 'int') {
        if (!contents || v.offset + t.size > contents.length) {
          problems.push(`param ${p.key}: no initial value for ${vt.name} in ${ds.name}`);
          continue;
        }
        value = readInt(contents, v.offset, t, spec.elf.littleEndian);
      } else if (t.kind === 'struct' && t.name === 'gadget_l3endpoint_t') {
        value = '0.0.0.0';
      }
      p.defaultValue = value;
      p.defaultFrom = 'rodata';
    }
  }
}

function readInt(bytes: Uint8Array, off: number, t: BtfType, le: boolean): string {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + off, t.size);
  if (t.encoding === INT_BOOL) return dv.getUint8(0) !== 0 ? 'true' : 'false';
  let v = 0n;
  for (let i = 0; i < t.size; i++) v |= BigInt(dv.getUint8(le ? i : t.size - 1 - i)) << BigInt(8 * i);
  return (t.encoding & INT_SIGNED ? BigInt.asIntN(t.size * 8, v) : v).toString();
}
