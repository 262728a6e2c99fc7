// `ig-wasm run --fields` and `--filter`, with IG's syntax and rules:
// - `--fields a,b` (or `ds:a,b;ds2:c` per data source) picks and orders the columns of `-o columns`; `+f`
//   adds a field to the default ones (hidden ones too), `-f` drops one. IG's CLI operator does not apply it
//   to json, jsonpretty or yaml, which print every field.
// - `--filter` (IG's filter operator, src/metadata/filter.ts) drops the events, or array elements, that
//   do not match: IG runs it at priority 9000, after the wasm module and before the CLI's output.
// Both are checked against the data sources once gadgetInit has declared them: a bad one is an input error.
import type { DataSourceInfo, KindName, PacketBatch } from '../host/api';
import { buildColumns, type Column } from '../metadata/columns';
import { FilterError, compileRule, parseRules, type FilterRule, type RowPredicate } from '../metadata/filter';

/** A --fields or --filter that does not fit the gadget's data sources. */
export class SelectionError extends Error {}

/** `ds:a,b;ds2:c` or `a,b` (every data source) → per data source name ('' for all) its field list. */
export function parseFieldsOption(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(';')) {
    const colon = part.indexOf(':');
    out.set(colon >= 0 ? part.slice(0, colon).trim() : '', colon >= 0 ? part.slice(colon + 1) : part);
  }
  return out;
}

/** IG's parseFields: explicit names replace the defaults (in their order), `+f` adds, `-f` drops. */
export function pickFields(spec: string, defaults: readonly string[]): string[] {
  const explicit: string[] = [], added: string[] = [], dropped: string[] = [];
  for (const raw of spec.split(',')) {
    const f = raw.trim();
    if (!f) continue;
    if (f[0] === '+') added.push(f.slice(1));
    else if (f[0] === '-') dropped.push(f.slice(1));
    else if (!explicit.includes(f)) explicit.push(f);
  }
  const result = explicit.length ? explicit : [...defaults];
  for (const f of added) if (!result.includes(f)) result.push(f);
  return result.filter((f) => !dropped.includes(f));
}

const byName = <T extends { name: string }>(items: readonly T[], name: string): T | undefined =>
  items.find((c) => c.name === name) ?? items.find((c) => c.name.toLowerCase() === name.toLowerCase());

export class Selection {
  private readonly fieldSpecs: Map<string, string>;
  private readonly rules: FilterRule[];
  /** Per data source, its filter rules (each rule goes to the one data source that has its field). */
  private readonly rulesOf = new Map<string, FilterRule[]>();
  private readonly predicates = new Map<string, RowPredicate>();

  constructor(fields: string | undefined, filter: string | undefined) {
    this.fieldSpecs = fields === undefined ? new Map<string, string>() : parseFieldsOption(fields);
    try {
      this.rules = filter === undefined ? [] : parseRules(filter);
    } catch (e) {
      if (e instanceof FilterError) throw new SelectionError(`--${e.message}`);
      throw e;
    }
  }

  /** Checks both options against the data sources gadgetInit declared. Throws SelectionError. */
  bind(datasources: readonly DataSourceInfo[]): void {
    for (const [ds, spec] of this.fieldSpecs) {
      const targets = ds === '' ? datasources : datasources.filter((d) => d.name === ds);
      if (!targets.length) throw new SelectionError(`--fields: no data source '${ds}' (data sources: ${datasources.map((d) => d.name).join(', ')})`);
      for (const d of targets) {
        for (const f of spec.split(',').map((x) => x.trim().replace(/^[+-]/, '')).filter(Boolean)) {
          if (!byName(d.fields, f)) throw new SelectionError(`--fields: data source '${d.name}' has no field '${f}' (fields: ${d.fields.map((x) => x.name).join(', ')})`);
        }
      }
    }
    for (const rule of this.rules) {
      const holders = datasources.filter((d) => (rule.ds === undefined || d.name === rule.ds) && byName(d.fields, rule.field));
      const text = `${rule.ds !== undefined ? `${rule.ds}:` : ''}${rule.field}${rule.op}${rule.value}`;
      if (!holders.length) throw new SelectionError(`--filter "${text}": field '${rule.field}' not found${rule.ds !== undefined ? ` in data source '${rule.ds}'` : ''}`);
      if (holders.length > 1) throw new SelectionError(`--filter "${text}": field '${rule.field}' is in data sources ${holders.map((d) => `'${d.name}'`).join(' and ')}: name one (${holders[0]!.name}:${rule.field}${rule.op}${rule.value})`);
      const d = holders[0]!;
      try {
        compileRule(rule, columnsOf(d.fields.map((f) => f.name), new Map(d.fields.map((f) => [f.name, f.kind]))), d.name);
      } catch (e) {
        if (e instanceof FilterError) throw new SelectionError(`--${e.message}`);
        throw e;
      }
      this.rulesOf.set(d.name, [...(this.rulesOf.get(d.name) ?? []), rule]);
    }
  }

  /** The columns `-o columns` shows for a data source: the visible ones, or what --fields picks. */
  columns(ds: string, all: Column[]): Column[] {
    const spec = this.fieldSpecs.get(ds) ?? this.fieldSpecs.get('');
    if (spec === undefined) return all.filter((c) => !c.hiddenByDefault);
    return pickFields(spec, all.filter((c) => !c.hiddenByDefault).map((c) => c.name))
      .map((f) => byName(all, f))
      .filter((c): c is Column => c !== undefined);
  }

  /** The batch without the rows the filter drops (the same batch when nothing is filtered). */
  filter(batch: PacketBatch, kinds: ReadonlyMap<string, KindName> | undefined): PacketBatch {
    const rules = this.rulesOf.get(batch.datasource);
    if (!rules) return batch;
    const key = `${batch.datasource}\0${batch.fields.length}`;
    let keep = this.predicates.get(key);
    if (!keep) {
      const cols = columnsOf(batch.fields, kinds);
      const preds = rules.map((r) => compileRule(r, cols, batch.datasource));
      keep = (row) => preds.every((p) => p(row));
      this.predicates.set(key, keep);
    }
    const out: PacketBatch = { ...batch, rows: [], packet: [], ...(batch.element ? { element: [] } : {}) };
    for (let i = 0; i < batch.rows.length; i++) {
      if (!keep(batch.rows[i]!)) continue;
      out.rows.push(batch.rows[i]!);
      out.packet.push(batch.packet[i]!);
      if (batch.element) out.element!.push(batch.element[i]!);
    }
    return out;
  }
}

function columnsOf(fields: readonly string[], kinds: ReadonlyMap<string, KindName> | undefined): Column[] {
  return buildColumns(fields.map((name) => ({ name, kind: kinds?.get(name) ?? 'string', annotations: {} })));
}
