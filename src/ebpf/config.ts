// The parts of gadget.yaml the eBPF layer reads (data source and field annotations, `params.ebpf` with
// the old `ebpfParams` fallback), from the metadata library's Go-like reading of the YAML.
import { goValueOf, parseGadgetYaml } from '../metadata/document';
import { readGadgetMetadata } from '../metadata/read';
import type { GadgetConfig } from './params';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined);

export function gadgetConfigFromYaml(yaml: string): GadgetConfig {
  const meta = readGadgetMetadata(yaml);
  const config: GadgetConfig = { datasources: meta.datasources };
  let value: unknown;
  try { value = goValueOf(parseGadgetYaml(yaml)); } catch { value = undefined; }
  if (!isObj(value)) return config;
  const entries = (o: unknown): GadgetConfig['ebpfParams'] => {
    if (!isObj(o)) return undefined;
    const out: NonNullable<GadgetConfig['ebpfParams']> = {};
    for (const [k, v] of Object.entries(o)) {
      if (!isObj(v)) continue;
      out[k] = { key: text(v.key), defaultValue: text(v.defaultValue), description: text(v.description) };
    }
    return out;
  };
  const ebpf = isObj(value.params) ? entries(value.params.ebpf) : undefined;
  if (ebpf) config.params = { ebpf };
  if (isObj(value.paramDefaults)) {
    const d: Record<string, string> = {};
    for (const [k, v] of Object.entries(value.paramDefaults)) { const t = text(v); if (t !== undefined) d[k.toLowerCase()] = t; }
    config.paramDefaults = d;
  }
  const old = entries(value.ebpfParams);
  if (old) config.ebpfParams = old;
  return config;
}
