// Static inspection of a gadget module for `ig-wasm inspect`: which API revision it was written against,
// which module names it imports from, each import with its signature and the variant we provide (or
// why not), its exports and its memory limits. Never instantiates the module.
import { IG_MODULES, Revision, describeImport, matchImport } from '../abi/table';
import { WASI_MODULE } from '../abi/wasi';
import { formatSignature, parseModule } from './wasm-binary';

const LIMIT_PAGES = 256;

export interface ImportReport {
  module: string;
  name: string;
  kind: 'function' | 'memory' | 'table' | 'global';
  /** `(i32, i64) -> (i32)` for functions, the kind otherwise. */
  signature: string;
  provided: boolean;
  /** Which API the matched variant belongs to. */
  revision?: Revision;
  /** Why it is not provided. */
  problem?: string;
}

export interface ExportReport { name: string; kind: string; signature?: string }

export interface ModuleReport {
  /** From the variants matched: seed (the older API text: 1-arg newDataSource/getParamValue, fieldGet,
   *  no-result setters), current (today's API, or module `ig`), mixed (both), unknown (nothing distinctive). */
  apiRevision: 'seed' | 'current' | 'mixed' | 'unknown';
  /** IG module names used (`ig`, `env`). */
  moduleNames: string[];
  /** Whether the module imports WASI preview1. */
  wasi: boolean;
  imports: ImportReport[];
  exports: ExportReport[];
  /** One line per import the host cannot provide (`module.name (params) -> (results): why`). */
  unsupported: string[];
  memory?: { imported: boolean; minPages: number; maxPages?: number; effectiveMaxPages: number; problem?: string };
  /** Lifecycle exports present, and whether the mandatory gadgetAPIVersion is. */
  lifecycle: string[];
  hasApiVersion: boolean;
}

export function inspectModule(wasm: Uint8Array): ModuleReport {
  const parsed = parseModule(wasm);
  const imports: ImportReport[] = [];
  const unsupported: string[] = [];
  const moduleNames = new Set<string>();
  let seed = false, current = false, wasi = false;
  for (const imp of parsed.imports) {
    if (IG_MODULES.includes(imp.module)) {
      moduleNames.add(imp.module);
      // `env` alone says nothing: IG's Go wasmapi imported today's functions from `env` until v0.39.
      if (imp.module === 'ig') current = true;
    }
    if (imp.module === WASI_MODULE) wasi = true;
    if (imp.kind === 'function') {
      const m = matchImport(imp);
      const r: ImportReport = { module: imp.module, name: imp.name, kind: 'function', signature: formatSignature(imp.type), provided: !!m.def };
      if (m.def) {
        r.revision = m.def.revision;
        if (m.def.revision === 'seed') seed = true;
        if (m.def.revision === 'current' || m.def.revision === 'kernel') current = true;
      } else {
        r.problem = m.problem;
        unsupported.push(`${describeImport(imp)}: ${m.problem}`);
      }
      imports.push(r);
    } else {
      const ok = imp.kind === 'memory' ? !imp.limits.shared && !imp.limits.memory64 && imp.limits.min <= LIMIT_PAGES : imp.kind === 'table';
      const r: ImportReport = { module: imp.module, name: imp.name, kind: imp.kind, signature: imp.kind, provided: ok };
      if (!ok) {
        r.problem = imp.kind === 'global' ? 'not provided by this host' : `memory limits not supported (min ${imp.kind === 'memory' ? imp.limits.min : '?'} pages)`;
        unsupported.push(`${describeImport(imp)}: ${r.problem}`);
      }
      imports.push(r);
    }
  }
  const memImport = parsed.imports.find((i) => i.kind === 'memory');
  const limits = memImport?.kind === 'memory' ? memImport.limits : parsed.memories[0]?.limits;
  let memory: ModuleReport['memory'];
  if (limits) {
    memory = {
      imported: !!memImport, minPages: limits.min, maxPages: limits.max,
      effectiveMaxPages: Math.min(limits.max ?? LIMIT_PAGES, LIMIT_PAGES),
    };
    if (limits.min > LIMIT_PAGES) memory.problem = `minimum of ${limits.min} pages exceeds the limit of ${LIMIT_PAGES} pages (16 MiB)`;
  }
  const exportNames = new Set(parsed.exports.map((e) => e.name));
  return {
    apiRevision: seed && current ? 'mixed' : seed ? 'seed' : current ? 'current' : 'unknown',
    moduleNames: [...moduleNames],
    wasi,
    imports,
    exports: parsed.exports.map((e) => (e.type ? { name: e.name, kind: e.kind, signature: formatSignature(e.type) } : { name: e.name, kind: e.kind })),
    unsupported,
    memory,
    lifecycle: ['_initialize', 'gadgetInit', 'gadgetPreStart', 'gadgetStart', 'gadgetStop', 'gadgetPostStop', 'dataSourceCallback', 'malloc']
      .filter((n) => exportNames.has(n)),
    hasApiVersion: exportNames.has('gadgetAPIVersion'),
  };
}
