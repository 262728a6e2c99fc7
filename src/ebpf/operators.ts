// The fields IG's operators add after the eBPF layer, in IG's order: the ebpf operator's own enum and
// kernel-stack formatters (at init), the local manager's container enrichment, then the formatters operator (signal, errno, syscall, timestamp, bytes,
// duration, file mode/flags, L3/L4 endpoints), the uid/gid resolver and the user-stack operator (shared
// note §b). Each output is a String field; the input is hidden. Names come from an annotation or from
// the input's name minus `_raw`, as IG's annotations.GetTargetNameFromAnnotation does.
import { TEMPLATE_ANNOTATIONS } from '../metadata/catalogue';
import { Btf } from './btf';
import { CollectionSpec } from './collection';
import { IgRefusal } from './errors';
import { EbpfField, EnumMember, FieldOrigin } from './fields';
import type { EbpfDataSource } from './gadget';
import { Kind } from './kinds';

const RAW = '_raw';

function targetName(f: EbpfField, annotation: string): string | undefined {
  const a = f.annotations[annotation];
  if (a) return a;
  return f.name.endsWith(RAW) ? f.name.slice(0, -RAW.length) : undefined;
}

/** Adds a String field with the same parent as `sibling` (or under `parent`); undefined if the name is taken. */
function addField(ds: EbpfDataSource, name: string, parent: number, origin: FieldOrigin, extra: Partial<EbpfField> = {}): EbpfField | undefined {
  const fullName = parent < 0 ? name : `${ds.fields[parent].fullName}.${name}`;
  if (ds.fields.some((f) => f.fullName === fullName)) return undefined;
  const annotations: Record<string, string> = { ...(extra.annotations ?? {}) };
  const template = annotations.template;
  if (template) for (const [k, v] of Object.entries(TEMPLATE_ANNOTATIONS[template] ?? {})) if (!(k in annotations)) annotations[k] = v;
  const f: EbpfField = {
    name, fullName, kind: extra.kind ?? Kind.String, offset: 0, size: 0, parent, tags: extra.tags ?? [], annotations,
    hidden: extra.hidden ?? annotations['columns.hidden'] === 'true', origin, payload: -1,
  };
  ds.fields.push(f);
  return f;
}

function withTag(ds: EbpfDataSource, tag: string): EbpfField[] {
  return ds.fields.filter((f) => f.tags.includes(tag));
}

function children(ds: EbpfDataSource, parent: EbpfField): EbpfField[] {
  const i = ds.fields.indexOf(parent);
  return ds.fields.filter((f) => f.parent === i);
}

function descendants(ds: EbpfDataSource, parent: EbpfField): EbpfField[] {
  const i = ds.fields.indexOf(parent);
  const out: EbpfField[] = [];
  ds.fields.forEach((f, j) => {
    for (let p = f.parent; p >= 0; p = ds.fields[p].parent) if (p === i) { out.push(ds.fields[j]); break; }
  });
  return out;
}

export function addOperatorFields(btf: Btf, spec: CollectionSpec, datasources: EbpfDataSource[], enums: EnumMember[], problems: string[]): void {
  for (const ds of datasources) ebpfFormatters(btf, spec, ds, enums, problems);
  for (const ds of datasources) containerEnrichment(ds);
  for (const ds of datasources) formatters(ds);
  for (const ds of datasources) uidGid(ds);
  for (const ds of datasources) userStack(ds);
}

/** The ebpf operator's initFormatters: enum members and kernel stacks. Conflicts abort the gadget. */
function ebpfFormatters(btf: Btf, spec: CollectionSpec, ds: EbpfDataSource, enums: EnumMember[], problems: string[]): void {
  // ds.GetField: exact name first, then case-insensitive (indexes: every enum is looked up in every data source).
  const exact = new Map<string, EbpfField>();
  const folded = new Map<string, EbpfField>();
  for (const x of ds.fields) {
    if (x.origin !== 'ebpf') continue;
    if (!exact.has(x.fullName)) exact.set(x.fullName, x);
    const l = x.fullName.toLowerCase();
    if (!folded.has(l)) folded.set(l, x);
  }
  for (const e of enums) {
    const f = exact.get(e.memberName) ?? folded.get(e.memberName.toLowerCase());
    if (!f) continue;
    f.hidden = true;
    const name = targetName(f, 'ebpf.formatter.enum');
    if (!name) {
      problems.push(`data source "${ds.name}": enum field "${f.fullName}" gets no string field (name it *_raw or set annotation ebpf.formatter.enum)`);
      continue;
    }
    const en = btf.types[e.enumId];
    const enumName = en.name;
    const separator = enumName.endsWith('_set') ? f.annotations['ebpf.formatter.bitfield.separator'] || '|' : undefined;
    const added = addField(ds, name, f.parent, 'ebpf.enum', {
      annotations: separator !== undefined ? { 'ebpf.formatter.bitfield.separator': separator } : {},
    });
    if (added) {
      added.formatter = {
        type: 'enum', source: f.fullName, target: added.fullName, signed: en.kindFlag, size: f.size,
        values: en.values.map((v) => ({ name: v.name, value: v.value.toString() })),
        ...(separator !== undefined ? { separator } : {}),
      };
    }
    // IG keeps one list of enum members for all structs: two data sources whose structs both have an enum
    // member of that name make the second AddField fail.
    if (!added) throw new IgRefusal(`initializing formatters: initializing enum formatter: field "${name}" already exists (data source "${ds.name}", enum member "${f.fullName}")`);
  }
  for (const f of withTag(ds, 'type:gadget_kernel_stack')) {
    if (!spec.maps.has('ig_kstack')) {
      throw new IgRefusal('initializing formatters: initializing stack converters: kernel stack map is not initialized but used. '
        + `if you are using \`gadget_kernel_stack\` as event field, try to include <gadget/kernel_stack_map.h> (field "${f.fullName}" of data source "${ds.name}")`);
    }
    f.hidden = true;
    const name = targetName(f, 'ebpf.formatter.kstack');
    if (!name) continue;
    if (!addField(ds, name, f.parent, 'ebpf.kstack')) throw new IgRefusal(`initializing formatters: initializing stack converters: field "${name}" already exists (data source "${ds.name}")`);
  }
}

/**
 * localmanager (priority -1, `ig` on a host): a data source with a gadget_mntns_id or gadget_netns_id field
 * (not annotated operators.ebpf.donotenrich) gets `k8s.*` (hidden outside Kubernetes) and `runtime.*`
 * (pkg/datasource/compat/wrapper.go WrapAccessors).
 */
function containerEnrichment(ds: EbpfDataSource): void {
  const ns = ds.fields.filter((f) => (f.tags.includes('type:gadget_mntns_id') || f.tags.includes('type:gadget_netns_id'))
    && f.annotations['operators.ebpf.donotenrich'] !== 'true');
  if (!ns.length) return;
  const o = 'localmanager' as const;
  const k8s = addField(ds, 'k8s', -1, o, { kind: Kind.Invalid });
  if (!k8s) return;
  const ki = ds.fields.indexOf(k8s);
  const kube = { tags: ['kubernetes'] };
  addField(ds, 'node', ki, o, { ...kube, annotations: { template: 'node' } });
  addField(ds, 'namespace', ki, o, { ...kube, annotations: { template: 'namespace' } });
  addField(ds, 'podName', ki, o, { ...kube, annotations: { template: 'pod' } });
  addField(ds, 'containerName', ki, o, { ...kube, annotations: { template: 'container' } });
  addField(ds, 'hostnetwork', ki, o, { ...kube, kind: Kind.Bool });
  const owner = addField(ds, 'owner', ki, o, { kind: Kind.Invalid })!;
  addField(ds, 'kind', ds.fields.indexOf(owner), o, kube);
  addField(ds, 'name', ds.fields.indexOf(owner), o, kube);
  for (const f of [k8s, ...descendants(ds, k8s)]) f.hidden = true; // not Kubernetes: the k8s subtree is hidden
  const rt = addField(ds, 'runtime', -1, o, { kind: Kind.Invalid });
  if (!rt) return;
  const ri = ds.fields.indexOf(rt);
  addField(ds, 'containerName', ri, o, { annotations: { template: 'container' } });
  addField(ds, 'runtimeName', ri, o, { hidden: true, annotations: { 'columns.width': '19', 'columns.fixed': 'true' } });
  addField(ds, 'containerId', ri, o, { hidden: true, annotations: { 'columns.width': '13', 'columns.maxwidth': '64' } });
  addField(ds, 'containerImageName', ri, o, { hidden: true });
  addField(ds, 'containerImageDigest', ri, o, { hidden: true });
}

type ScalarFormatter = 'signal' | 'errno' | 'syscall' | 'timestamp' | 'bytes' | 'duration' | 'file_mode' | 'file_flags';
interface Replacer { type: string; formatter: ScalarFormatter; target: string; template?: string; needKind?: number }

// The formatters operator's replacers, in its order (order matters: later ones see earlier outputs).
const REPLACERS: Replacer[] = [
  { type: 'gadget_signal', formatter: 'signal', target: 'formatters.signal.target' },
  { type: 'gadget_errno', formatter: 'errno', target: 'formatters.errno.target', template: 'errorString' },
  { type: 'gadget_syscall', formatter: 'syscall', target: 'formatters.syscall.target', needKind: Kind.Uint64 },
  { type: 'gadget_timestamp', formatter: 'timestamp', target: 'formatters.timestamp.target', template: 'timestamp' },
  { type: 'gadget_bytes', formatter: 'bytes', target: 'formatters.bytes.target', template: 'bytes' },
  { type: 'gadget_duration', formatter: 'duration', target: 'formatters.duration.target', template: 'duration' },
  { type: 'gadget_file_mode', formatter: 'file_mode', target: 'formatters.file_mode.target', needKind: Kind.Uint32 },
  { type: 'gadget_file_flags', formatter: 'file_flags', target: 'formatters.file_flags.target', needKind: Kind.Uint32 },
];

/** The formatters operator: a field it cannot handle (no target name, wrong kind, name taken) is skipped. */
function formatters(ds: EbpfDataSource): void {
  for (const r of REPLACERS) {
    for (const f of withTag(ds, `type:${r.type}`)) {
      if (r.needKind !== undefined && f.kind !== r.needKind) continue;
      const name = targetName(f, r.target);
      if (!name) continue;
      const added = addField(ds, name, f.parent, 'formatters', { annotations: r.template ? { template: r.template } : {} });
      if (!added) continue;
      added.formatter = { type: r.formatter, source: f.fullName, target: added.fullName };
      f.hidden = true;
    }
  }
  for (const f of withTag(ds, 'type:gadget_l3endpoint_t')) l3(ds, f);
  for (const f of withTag(ds, 'type:gadget_l4endpoint_t')) {
    const addr = l3(ds, f);
    if (!addr) continue;
    const l3spec = addr.formatter;
    delete addr.formatter; // IG fills the address in the L4 converter, which may fail to register below
    if (l3spec?.type !== 'l3endpoint') continue;
    const kids = children(ds, f);
    const ports = kids.filter((k) => k.tags.includes('name:port'));
    if (ports.length !== 1) continue;
    const i = ds.fields.indexOf(f);
    const protos = kids.filter((k) => k.tags.includes('name:proto_raw'));
    if (protos.length > 1) continue;
    const proto = protos.length === 1 ? addField(ds, protos[0].name.slice(0, -RAW.length), i, 'formatters', { hidden: true }) : undefined;
    if (protos.length === 1 && !proto) continue;
    const ep = addField(ds, 'endpoint', i, 'formatters', { hidden: true, tags: ['endpoint'], annotations: { 'json.skip': 'true' } });
    if (!ep) continue;
    f.annotations['columns.replace'] = ep.fullName;
    ep.formatter = {
      type: 'l4endpoint', ip: l3spec.ip, version: l3spec.version, port: ports[0].fullName, target: addr.fullName, endpoint: ep.fullName,
      ...(proto ? { proto: protos[0].fullName, protoTarget: proto.fullName } : {}),
    };
  }
}

/** handleL3Endpoint: one `gadget_ip_addr_t` child and one `version` child; adds the address string. */
function l3(ds: EbpfDataSource, f: EbpfField): EbpfField | undefined {
  const kids = children(ds, f);
  const ips = kids.filter((k) => k.tags.includes('type:gadget_ip_addr_t'));
  const versions = kids.filter((k) => k.tags.includes('name:version'));
  if (ips.length !== 1 || versions.length !== 1) return undefined;
  const addr = addField(ds, ips[0].name.endsWith(RAW) ? ips[0].name.slice(0, -RAW.length) : ips[0].name, ds.fields.indexOf(f), 'formatters');
  if (!addr) return undefined;
  addr.formatter = { type: 'l3endpoint', ip: ips[0].fullName, version: versions[0].fullName, target: addr.fullName };
  f.annotations['columns.replace'] = addr.fullName;
  for (const d of descendants(ds, f)) d.hidden = true;
  f.hidden = false;
  return addr;
}

/** uidgidresolver: a user/group name next to each gadget_uid/gadget_gid field; both hidden. */
function uidGid(ds: EbpfDataSource): void {
  for (const [type, fallback] of [['gadget_uid', 'user'], ['gadget_gid', 'group']] as const) {
    for (const f of withTag(ds, `type:${type}`)) {
      if (f.origin !== 'ebpf') continue;
      const name = targetName(f, 'uidgidresolver.target') ?? fallback;
      if (!addField(ds, name, f.parent, 'uidgidresolver', { hidden: true })) continue;
      f.hidden = true;
    }
  }
}

/** ustack operator: the gadget_user_stack subtree is hidden; it gains addresses, buildid and symbols. */
function userStack(ds: EbpfDataSource): void {
  for (const f of withTag(ds, 'type:gadget_user_stack')) {
    f.hidden = true;
    for (const d of descendants(ds, f)) d.hidden = true;
    const i = ds.fields.indexOf(f);
    for (const n of ['addresses', 'buildid', 'symbols']) addField(ds, n, i, 'ustack', { hidden: true });
  }
}
