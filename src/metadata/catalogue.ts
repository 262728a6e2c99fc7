// What Inspektor Gadget and its operators read from gadget.yaml: annotation names and value shapes,
// column templates, param type hints, and keys of older metadata formats. Facts from IG's source
// (pkg/metadata/v1, pkg/params, pkg/operators/*) and docs; the JSON schema is generated from this file.

export type AnnotationScope = 'gadget' | 'datasource' | 'field';

/** How IG parses an annotation's value (annotations are map[string]string in Go). */
export type AnnotationValue =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'uint' }
  /** An integer as Go's strconv.Atoi reads it (optional sign). */
  | { kind: 'int' }
  | { kind: 'enum'; values: readonly string[] }
  /** Comma-separated list; `values` restricts the items when given. */
  | { kind: 'list'; values?: readonly string[] }
  | { kind: 'template' };

export interface AnnotationInfo {
  name: string;
  scopes: readonly AnnotationScope[];
  value: AnnotationValue;
  /** Who reads it (shown in hover). */
  readBy: string;
  /** Values offered by completion when the value is free text (e.g. the built-in output modes). */
  suggest?: readonly string[];
  /** Set when IG fails on a bad value (not just ignores it): the start of IG's error message. */
  failure?: string;
  description: string;
}

const F: readonly AnnotationScope[] = ['field'];
const DS: readonly AnnotationScope[] = ['datasource'];
const G: readonly AnnotationScope[] = ['gadget'];

export const OUTPUT_MODES = ['columns', 'json', 'jsonpretty', 'yaml', 'none', 'raw'] as const;

export const ANNOTATIONS: readonly AnnotationInfo[] = [
  // Field formatting (pkg/metadata/v1 annotations.go, read by the columns formatter).
  { name: 'description', scopes: ['field', 'datasource'], value: { kind: 'string' }, readBy: 'IG core',
    description: 'Human-readable description of the field, shown by `ig run --help`-style listings and UIs.' },
  { name: 'template', scopes: F, value: { kind: 'template' }, readBy: 'IG core',
    description: 'Applies one of IG\'s predefined column templates (a bundle of `columns.*` annotations), e.g. `pid`, `comm`, `timestamp`. Explicit annotations on the field override the template.' },
  { name: 'columns.width', scopes: F, value: { kind: 'int' }, readBy: 'columns formatter', failure: 'reading width for column',
    description: 'Width in characters reserved for this column: an integer.' },
  { name: 'columns.maxwidth', scopes: F, value: { kind: 'int' }, readBy: 'columns formatter', failure: 'reading maxWidth for column',
    description: 'Maximum width this column is scaled to when auto-scaling: an integer.' },
  { name: 'columns.minwidth', scopes: F, value: { kind: 'int' }, readBy: 'columns formatter', failure: 'reading minWidth for column',
    description: 'Minimum width this column is scaled to when auto-scaling: an integer.' },
  { name: 'columns.alignment', scopes: F, value: { kind: 'enum', values: ['left', 'right'] }, readBy: 'columns formatter', failure: 'invalid alignment type for column',
    description: 'Alignment of the column\'s content: `left` or `right`.' },
  // IG spells "no ellipsis" as an empty value (metadatav1.EllipsisNone = ""); `none` makes its columns output fail.
  { name: 'columns.ellipsis', scopes: F, value: { kind: 'enum', values: ['', 'start', 'middle', 'end'] }, readBy: 'columns formatter', failure: 'invalid ellipsis type for column',
    description: 'Where to abbreviate a value that does not fit: `start`, `middle`, `end`, or `""` for no ellipsis.' },
  { name: 'columns.hidden', scopes: F, value: { kind: 'bool' }, readBy: 'columns formatter',
    description: 'Hide the column by default in `columns` output; users can still select it with `--fields`.' },
  { name: 'columns.fixed', scopes: F, value: { kind: 'bool' }, readBy: 'columns formatter',
    description: 'Keep `columns.width` even when auto-scaling.' },
  { name: 'columns.hex', scopes: F, value: { kind: 'bool' }, readBy: 'columns formatter',
    description: 'Print an integer field in hexadecimal.' },
  { name: 'columns.alias', scopes: F, value: { kind: 'string' }, readBy: 'columns formatter',
    description: 'Column header to show instead of the field name.' },
  { name: 'columns.replace', scopes: F, value: { kind: 'string' }, readBy: 'columns formatter',
    description: 'Name of another field whose value replaces this one when printing.' },
  { name: 'json.skip', scopes: F, value: { kind: 'bool' }, readBy: 'json formatter',
    description: 'Leave the field out of JSON output.' },
  { name: 'value.one-of', scopes: F, value: { kind: 'string' }, readBy: 'IG core (documentation)',
    description: 'Comma-separated list of the values this field can take; used for documentation and UIs.' },
  { name: 'uidgidresolver.target', scopes: F, value: { kind: 'string' }, readBy: 'uidgidresolver operator',
    description: 'Name of the field the uidgidresolver operator creates with the user or group name resolved from this uid/gid field.' },
  { name: 'content-type', scopes: F, value: { kind: 'string' }, readBy: 'output operators',
    description: 'MIME type of a bytes field, e.g. `application/x-raw-packet`.' },
  // otel-metrics operator.
  { name: 'metrics.type', scopes: F, value: { kind: 'enum', values: ['counter', 'gauge', 'histogram', 'key'] }, readBy: 'otel-metrics operator',
    description: 'Metric type of the field: `counter`, `gauge`, `histogram` or `key`. Inferred from the field type when unset.' },
  { name: 'metrics.unit', scopes: F, value: { kind: 'string' }, readBy: 'otel-metrics operator',
    description: 'OpenTelemetry instrument unit as a UCUM code, e.g. `ns` or `By`.' },
  { name: 'metrics.description', scopes: F, value: { kind: 'string' }, readBy: 'otel-metrics operator',
    description: 'OpenTelemetry instrument description.' },
  { name: 'metrics.boundaries', scopes: F, value: { kind: 'list' }, readBy: 'otel-metrics operator',
    description: 'Explicit bucket boundaries of a `histogram` field: a comma-separated list of numbers.' },
  { name: 'metrics.collect', scopes: DS, value: { kind: 'bool' }, readBy: 'otel-metrics operator',
    description: 'Export this data source as metrics (with `otel-metrics-listen` and `otel-metrics-name`).' },
  { name: 'metrics.print', scopes: DS, value: { kind: 'bool' }, readBy: 'otel-metrics operator',
    description: 'Render this data source (histogram map iterators) as human-readable text in a `-rendered` data source.' },
  { name: 'metrics.implicit-counter.name', scopes: DS, value: { kind: 'string' }, readBy: 'otel-metrics operator',
    description: 'Name of an implicit counter counting the events of this data source.' },
  { name: 'metrics.implicit-counter.description', scopes: DS, value: { kind: 'string' }, readBy: 'otel-metrics operator',
    description: 'Description of the implicit counter.' },
  // cli operator.
  { name: 'cli.clear-screen-before', scopes: DS, value: { kind: 'bool' }, readBy: 'cli operator',
    description: 'Clear the terminal before printing each batch (used for top-like array data sources).' },
  { name: 'cli.supported-output-modes', scopes: DS, value: { kind: 'list' }, readBy: 'cli operator', suggest: OUTPUT_MODES,
    description: 'Comma-separated output modes this data source supports, e.g. `columns,json`. Custom modes (such as `advise` or `pcap-ng`) are allowed.' },
  { name: 'cli.default-output-mode', scopes: DS, value: { kind: 'string' }, readBy: 'cli operator', suggest: OUTPUT_MODES,
    description: 'Output mode used when the user gives none; `none` hides the data source.' },
  { name: 'cli.raw.fields', scopes: DS, value: { kind: 'list' }, readBy: 'cli operator',
    description: 'Comma-separated fields printed as-is in `raw` output mode.' },
  // ebpf operator.
  { name: 'ebpf.map.flush-on-stop', scopes: DS, value: { kind: 'bool' }, readBy: 'ebpf operator',
    description: 'Fetch the map iterator one last time when the gadget stops.' },
  { name: 'ebpf.rest.name', scopes: DS, value: { kind: 'string' }, readBy: 'ebpf operator',
    description: 'Name of the field that receives the variable-length rest of the event after the fixed struct.' },
  { name: 'ebpf.rest.len', scopes: DS, value: { kind: 'string' }, readBy: 'ebpf operator',
    description: 'Name of the field that holds the length of the rest of the event.' },
  // pcap / flamegraph / profiles / views (tcpdump, profile_cpu).
  { name: 'pcap.payload', scopes: DS, value: { kind: 'string' }, readBy: 'pcap-ng output',
    description: 'Field holding the packet bytes.' },
  { name: 'pcap.timestamp', scopes: DS, value: { kind: 'string' }, readBy: 'pcap-ng output',
    description: 'Field holding the packet timestamp.' },
  { name: 'pcap.packet-length', scopes: DS, value: { kind: 'string' }, readBy: 'pcap-ng output',
    description: 'Field holding the original packet length.' },
  { name: 'pcap.interface-key', scopes: F, value: { kind: 'bool' }, readBy: 'pcap-ng output',
    description: 'The field is part of the key that identifies a pcap-ng interface.' },
  { name: 'pcap.interface-var', scopes: F, value: { kind: 'string' }, readBy: 'pcap-ng output',
    description: 'Variable name under which this field is used in the interface name template.' },
  { name: 'flamegraph.level', scopes: F, value: { kind: 'uint' }, readBy: 'flamegraph view',
    description: 'Level of this field in the flame graph (lower levels are closer to the root).' },
  { name: 'flamegraph.type', scopes: F, value: { kind: 'enum', values: ['single', 'stack'] }, readBy: 'flamegraph view',
    description: '`single` for one frame per value, `stack` for a field holding a whole stack.' },
  { name: 'profiles.stack-fields', scopes: DS, value: { kind: 'list' }, readBy: 'profiles exporter',
    description: 'Comma-separated fields that hold stacks.' },
  { name: 'profiles.value-field', scopes: DS, value: { kind: 'string' }, readBy: 'profiles exporter',
    description: 'Field holding the sample value.' },
  { name: 'profiles.name', scopes: DS, value: { kind: 'string' }, readBy: 'profiles exporter', description: 'Profile name.' },
  { name: 'profiles.type', scopes: DS, value: { kind: 'string' }, readBy: 'profiles exporter', description: 'Profile sample type.' },
  { name: 'profiles.unit', scopes: DS, value: { kind: 'string' }, readBy: 'profiles exporter', description: 'Profile sample unit.' },
  { name: 'profiles.sample-attribute', scopes: F, value: { kind: 'bool' }, readBy: 'profiles exporter',
    description: 'Attach this field to each sample as an attribute.' },
  { name: 'views.modes.flamegraph', scopes: DS, value: { kind: 'bool' }, readBy: 'UIs',
    description: 'Offer a flame graph view of this data source.' },
  { name: 'views.defaults.mode', scopes: DS, value: { kind: 'string' }, readBy: 'UIs',
    description: 'View mode UIs open this data source in, e.g. `flamegraph`.' },
  // Enrichment switches on data sources.
  { name: 'kubenameresolver.enable', scopes: DS, value: { kind: 'bool' }, readBy: 'kubenameresolver operator',
    description: 'Resolve pod and service names for the IP addresses of this data source.' },
  { name: 'generate_networkpolicy.enable', scopes: DS, value: { kind: 'bool' }, readBy: 'advise networkpolicy operator',
    description: 'Generate network policies from this data source.' },
  // Gadget-level annotations.
  { name: 'enable-containers-datasource', scopes: G, value: { kind: 'bool' }, readBy: 'localmanager operator',
    description: 'Emit container start/stop events in an extra `containers` data source.' },
];

const byName = new Map<string, AnnotationInfo>(ANNOTATIONS.map((a) => [a.name, a]));

/** Annotation by name; IG (viper) lower-cases keys, so the lookup is case-insensitive. */
export function annotationInfo(name: string): AnnotationInfo | undefined {
  return byName.get(name) ?? byName.get(name.toLowerCase());
}

/** Prefixes owned by IG or one of its operators: an unknown name under them is almost surely a typo. */
export const ANNOTATION_NAMESPACES = ['columns.', 'json.', 'cli.', 'metrics.', 'ebpf.', 'pcap.', 'flamegraph.', 'profiles.', 'views.', 'uidgidresolver.', 'value.', 'kubenameresolver.'];

export interface TemplateInfo {
  name: string;
  /** The annotations the template sets (the field's own annotations override them). */
  annotations: Readonly<Record<string, string>>;
  /** The same, as text for hover and completion. */
  sets: string;
}

/**
 * Column templates (pkg/metadata/v1 AnnotationsTemplates): what `template: <name>` sets on a field.
 * The one copy of this table: the linter, hover and the column rules (src/metadata/columns.ts) read it.
 */
export const TEMPLATE_ANNOTATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  timestamp: { 'columns.width': '35', 'columns.maxwidth': '35', 'columns.ellipsis': 'end', 'columns.hidden': 'true', description: 'Microseconds since Unix epoch' },
  node: { 'columns.width': '30', 'columns.ellipsis': 'middle' },
  pod: { 'columns.width': '30', 'columns.ellipsis': 'middle' },
  container: { 'columns.width': '30' },
  namespace: { 'columns.width': '30' },
  containerImageName: { 'columns.width': '30' },
  containerImageDigest: { 'columns.width': '30' },
  containerStartedAt: { 'columns.hidden': 'true', 'columns.width': '35' },
  comm: { description: 'Process name', 'columns.maxwidth': '16' },
  pcomm: { description: 'Parent process name', 'columns.maxwidth': '16', 'columns.hidden': 'true' },
  pid: { description: 'Process ID', 'columns.minwidth': '7', 'columns.alignment': 'right' },
  ppid: { description: 'Parent process ID', 'columns.minwidth': '7', 'columns.alignment': 'right', 'columns.hidden': 'true' },
  tid: { description: 'Thread ID', 'columns.minwidth': '7', 'columns.alignment': 'right' },
  uid: { description: 'User ID', 'columns.minwidth': '8', 'columns.alignment': 'right' },
  gid: { description: 'Group ID', 'columns.minwidth': '8', 'columns.alignment': 'right' },
  ns: { 'columns.hidden': 'true', 'columns.width': '12', 'columns.alignment': 'right' },
  mntns_id: { description: 'Mount namespace ID', 'columns.hidden': 'true', 'columns.width': '12', 'columns.alignment': 'right' },
  netns_id: { description: 'Network namespace ID', 'columns.hidden': 'true', 'columns.width': '12', 'columns.alignment': 'right' },
  l4endpoint: { 'columns.minwidth': '22', 'columns.width': '40', 'columns.maxwidth': '52' },
  syscall: { 'columns.width': '18', 'columns.maxwidth': '28' },
  errorString: { 'columns.width': '12' },
};

export const TEMPLATES: readonly TemplateInfo[] = Object.entries(TEMPLATE_ANNOTATIONS).map(([name, annotations]) => ({
  name, annotations, sets: Object.entries(annotations).map(([k, v]) => `${k}: ${v}`).join(', '),
}));

/** Param type hints IG validates or converts (pkg/params TypeHint constants). */
export const TYPE_HINTS = ['string', 'bool', 'bytes', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64',
  'float32', 'float64', 'duration', 'ip', '[]string'] as const;

/** Top-level keys of the pre-v1 metadata format (pkg/gadgets/run/types/metadata.go) that IG no longer reads. */
export const OLD_FORMAT_KEYS: Record<string, string> = {
  tracers: 'describe data sources under `datasources` (the ebpf operator finds tracers from `GADGET_TRACER` in the eBPF program)',
  toppers: 'describe data sources under `datasources` (the ebpf operator finds toppers from the eBPF program)',
  snapshotters: 'describe data sources under `datasources` (the ebpf operator finds snapshotters from the eBPF program)',
  structs: 'put field annotations under `datasources.<name>.fields.<field>.annotations`',
  ebpfparams: 'move these params to `params.ebpf`',
};

/** Field keys of the old format (`structs.<s>.fields[]` items), flagged if seen under a v1 field. */
export const OLD_FIELD_KEYS: Record<string, string> = {
  attributes: 'use `columns.*` annotations (e.g. `columns.width`, `columns.alignment`) under `annotations`',
};
