// `ig-wasm inspect` for the eBPF side: an object (`*.bpf.o`) or a gadget image tarball. Prints what IG
// derives from the object (data sources with fields, params, maps, programs) as text or one JSON object;
// refusals are reported as problems with exit status 1, as `ig run` would fail on them.
import { EbpfError, IgRefusal, gadgetConfigFromYaml, inspectObject, readGadgetImage, toReport } from '../ebpf';
import type { GadgetConfig, GadgetImage, InspectReport } from '../ebpf';
import { inspectModule } from '../host/engine/instance';

export interface EbpfInspectResult { status: number; json: Record<string, unknown>; text: string }

const EMPTY: InspectReport = { datasources: [], params: [], maps: [], programs: [], problems: [] };

/** Inspects an eBPF object; never throws for bad objects (they become problems). */
export function inspectEbpfObject(file: string, bytes: Uint8Array, config?: GadgetConfig): EbpfInspectResult {
  let report: InspectReport;
  let refused: string | undefined;
  try {
    report = toReport(inspectObject(bytes, config));
  } catch (e) {
    if (!(e instanceof IgRefusal || e instanceof EbpfError)) throw e;
    refused = e instanceof IgRefusal ? e.reason : `loading spec: ${e.message}`;
    report = { ...EMPTY, problems: [refused] };
  }
  const json = { file, size: bytes.length, loadable: refused === undefined, ...report };
  const text = `object:       ${file} (${bytes.length} bytes)\n${formatReport(report, refused)}`;
  return { status: refused ? 1 : 0, json, text };
}

export function inspectImage(file: string, bytes: Uint8Array, arch: string): EbpfInspectResult {
  let img: GadgetImage;
  try {
    img = readGadgetImage(bytes, arch);
  } catch (e) {
    if (!(e instanceof EbpfError)) throw e;
    return { status: 2, json: { file, problems: [e.message] }, text: `ig-wasm inspect: ${file}: ${e.message}\n` };
  }
  const image = {
    ref: img.ref, architecture: img.architecture, architectures: img.architectures, annotations: img.annotations,
    layers: { ebpf: img.ebpfObject?.length, wasm: img.wasm?.length, btfgen: img.btfgen?.length }, skippedLayers: img.skippedLayers,
    metadata: img.metadataYaml !== undefined,
  };
  const head = [
    `image:        ${file}${img.ref ? ` (${img.ref})` : ''}`,
    `architecture: ${img.architecture} (image has ${img.architectures.join(', ')})`,
    `layers:       ${[img.ebpfObject && `eBPF ${img.ebpfObject.length} bytes`, img.wasm && `wasm ${img.wasm.length} bytes`, img.btfgen && `btfgen ${img.btfgen.length} bytes`].filter(Boolean).join(', ') || 'none'}`,
    `gadget.yaml:  ${img.metadataYaml !== undefined ? 'in the config blob' : 'none (empty config)'}`,
    ...img.skippedLayers.map((m) => `skipped:      layer of unknown media type ${m} (IG skips it too)`),
  ].join('\n') + '\n';
  let status = 0;
  let json: Record<string, unknown> = { file, image, ...EMPTY };
  let text = head;
  if (img.ebpfObject) {
    const r = inspectEbpfObject(`${file}#ebpf`, img.ebpfObject, img.metadataYaml !== undefined ? gadgetConfigFromYaml(img.metadataYaml) : undefined);
    status = r.status;
    json = { ...r.json, file, image };
    text += r.text.slice(r.text.indexOf('\n') + 1);
  }
  if (img.wasm) {
    try {
      const m = inspectModule(img.wasm);
      const problems = [...m.unsupported];
      if (!m.hasApiVersion) problems.push('the module does not export gadgetAPIVersion (mandatory)');
      json.wasm = { apiRevision: m.apiRevision, loadable: problems.length === 0, problems };
      text += `\nwasm module:  API revision ${m.apiRevision}, ${problems.length ? `cannot be loaded: ${problems.join('; ')}` : 'loadable'}\n`;
      if (problems.length) status = Math.max(status, 1);
    } catch (e) {
      json.wasm = { loadable: false, problems: [(e as Error).message] };
      text += `\nwasm module:  not a valid wasm module: ${(e as Error).message}\n`;
      status = Math.max(status, 1);
    }
  }
  return { status, json, text };
}

function table(rows: string[][], indent = '  '): string[] {
  const w = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join('  ').trimEnd());
}

function formatReport(r: InspectReport, refused?: string): string {
  const out: string[] = [];
  if (refused) {
    out.push('', 'IG would refuse this object:', `  ${refused}`);
    return out.join('\n') + '\n';
  }
  out.push('', `data sources (${r.datasources.length}):`);
  for (const ds of r.datasources) {
    const from = ds.kind === 'iterator' ? `programs ${ds.programs?.join(', ')}` : `map ${ds.map}`;
    out.push(`  ${ds.name}  ${ds.type}  (${ds.kind}, ${from}, struct ${ds.structs.join(' + ')})`);
    const rows = [['FIELD', 'KIND', 'OFFSET', 'SIZE', 'FROM', 'FLAGS']];
    for (const f of ds.fields) {
      rows.push([f.name, f.kind, f.offset === undefined ? '-' : String(f.offset), f.size === undefined ? '-' : String(f.size), f.origin, f.hidden ? 'hidden' : '']);
    }
    out.push(...table(rows, '    '));
  }
  out.push('', `params (${r.params.length}):`);
  out.push(...table([['KEY', 'TYPE', 'DEFAULT', 'VARIABLE', 'DESCRIPTION'],
    ...r.params.map((p) => [p.key, p.typeHint || '-', p.defaultValue === '' ? '""' : p.defaultValue, p.variable ?? '(ebpf operator)', p.description])]));
  out.push('', `maps (${r.maps.length}):`);
  out.push(...table([['NAME', 'TYPE', 'KEY', 'VALUE', 'MAX ENTRIES', 'DETAILS'],
    ...r.maps.map((m) => [m.name, m.type, String(m.keySize), String(m.valueSize), String(m.maxEntries),
      [m.keyType && `key ${m.keyType}`, m.valueType && `value ${m.valueType}`, m.pinning ? 'pinned by name' : '', m.inner && `inner ${m.inner.type} ${m.inner.keySize}/${m.inner.valueSize}/${m.inner.maxEntries}`].filter(Boolean).join(', ')])]));
  out.push('', `programs (${r.programs.length}):`);
  out.push(...table([['NAME', 'SECTION', 'TYPE'], ...r.programs.map((p) => [p.name, p.section, p.type])]));
  if (r.problems.length) out.push('', `notes (${r.problems.length}):`, ...r.problems.map((p) => `  ${p}`));
  return out.join('\n') + '\n';
}
