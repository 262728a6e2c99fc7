// `ig-wasm run <module.wasm>`: runs a gadget's wasm module in the embedded host (in a worker thread) and
// prints what it does. Order: load → _initialize → version → gadgetInit → data sources → gadgetPreStart →
// gadgetStart → the events file's packets in order → gadgetStop → gadgetPostStop → config.
// Exit status: 0 success, 1 the gadget failed, 2 usage or input-file error.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../common/errors';
import { checkDeclaredPackets } from '../events/feed';
import { EventsFileError, parseEventsFile, type EventsFile } from '../events/parse';
import { LOG_LEVELS, VALUE_KIND_NAMES, type KindName, type LogLevel } from '../host/api';
import { EmbeddedEngine } from '../workbench/run/embedded';
import { readGadgetConfig, readGadgetMetadata } from '../metadata/read';
import { TextDecodeError, decodeUtf8 } from '../yaml/decode';
import { YamlError } from '../yaml/read';
import { ParamError, paramKey, resolveParams } from '../metadata/params';
import type { WasmParam } from '../metadata/types';
import { EbpfError, IgRefusal, gadgetConfigFromYaml, goArch, inspectObject, isElf, isTar, readGadgetImage } from '../ebpf';
import { mergeColumns, runDataSources, runPlan, type RunPlan } from '../ebpf/run-plan';
import { NULL_GUEST } from '../host/engine/null-guest';
import { ColumnsPrinter, IgJsonPrinter, RecordsPrinter, type ColumnAnnotations, type Printer, type Sinks } from './output';
import { Selection, SelectionError } from './select';
import { WasmParseError, parseModule } from '../host/engine/wasm-binary';
import { KernelInputError, kernelForRun, type KernelArgs } from '../events/machine';
import type { KernelOptions } from '../host/api';
import type { MapDecoder } from '../events/machine';

export const RUN_USAGE = `usage: ig-wasm run <module.wasm | OBJECT.bpf.o | IMAGE.tar> [options]
  --ebpf FILE          the gadget's eBPF object: its data sources, fields and IG's formatters are set up
                       before gadgetInit; events files then give values only (a .bpf.o or image alone
                       runs with no wasm module). Its maps are what getMap finds (entries from the
                       events file's \`maps:\`, records from \`perf:\`), shown with their BTF types after the run
  --metadata FILE      gadget.yaml: param defaults (params.wasm), column annotations, initial config
  --events FILE        packets to emit after gadgetStart: YAML/JSON events file, or JSON Lines from
                       'ig run -o json' (.jsonl, or detected)
  --datasource NAME    data source a JSON Lines recording feeds (default: the file's base name)
  --kind FIELD=KIND    kind of a JSON Lines field (repeatable), instead of the inferred one
                       (integers are inferred as int64/uint64, other numbers as float64)
  --param KEY=VALUE    a wasm param (repeatable); 'operator.oci.wasm.' prefixes are accepted
  --cpus N             possible CPUs: values per entry of per-CPU maps (default 1)
  --arch x86_64|arm64  syscall numbering for getSyscallName/getSyscallID (default: this machine's)
  --kallsyms FILE      symbols for kallsymsSymbolExists, /proc/kallsyms format (default: the events
                       file's \`kallsyms:\`, else /proc/kallsyms)
  --mntns-filter ID[,ID…]  enable the mount-namespace filter: shouldDiscardMntnsID keeps these IDs
  -o, --output MODE    as 'ig run': columns (default), json (one object per event, dotted names
                       nested), jsonpretty, yaml; or records: typed JSON lines (log, datasources,
                       packet, config, maps, error) for tools
  --fields LIST        columns to show, as 'ig run': a,b (these, in this order), +c / -d (add to or
                       drop from the default ones); per data source ds1:a,b;ds2:c. json and yaml
                       print every field, as 'ig run' does
  -F, --filter RULES   keep the events that match IG's filter rules: field==value, !=, >, >=, <, <=,
                       ~regex, !~regex; comma-separated, all must match; ds:field to name the data source
  --timeout MS         longest a single guest call may run before it is killed (default 5000)
  --log-level LEVEL    error|warn|info|debug|trace (default info)
`;

const OUTPUT_MODES = ['columns', 'json', 'jsonpretty', 'yaml', 'records'] as const;
type OutputMode = typeof OUTPUT_MODES[number];

/** A usage or input-file problem: printed on stderr, exit status 2. */
export class UsageError extends Error {}

interface RunArgs extends KernelArgs {
  module: string;
  ebpf?: string;
  metadata?: string;
  events?: string;
  datasource?: string;
  kinds: Record<string, KindName>;
  params: Record<string, string>;
  output: OutputMode;
  fields?: string;
  filter?: string;
  timeoutMs: number;
  logLevel: LogLevel;
}

export function parseRunArgs(argv: string[]): RunArgs {
  const a: Partial<RunArgs> & { params: Record<string, string>; kinds: Record<string, KindName> } = { params: {}, kinds: {}, output: 'columns', timeoutMs: 5000, logLevel: 'info' };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { inline = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = value(i, arg);
      i++;
      return v;
    };
    switch (arg) {
      case '--metadata': a.metadata = take(); break;
      case '--ebpf': a.ebpf = take(); break;
      case '--events': a.events = take(); break;
      case '--datasource': a.datasource = take(); break;
      case '--kind': {
        const kv = take();
        const at = kv.indexOf('=');
        const kind = kv.slice(at + 1).toLowerCase();
        if (at <= 0 || !(VALUE_KIND_NAMES as string[]).includes(kind)) throw new UsageError(`--kind expects FIELD=KIND with KIND one of ${VALUE_KIND_NAMES.join(', ')}, got '${kv}'`);
        a.kinds[kv.slice(0, at)] = kind as KindName;
        break;
      }
      case '--param': case '-p': {
        const kv = take();
        const at = kv.indexOf('=');
        if (at <= 0) throw new UsageError(`--param expects KEY=VALUE, got '${kv}'`);
        a.params[paramKey(kv.slice(0, at))] = kv.slice(at + 1);
        break;
      }
      case '--cpus': {
        const n = take();
        if (!/^\d+$/.test(n) || Number(n) < 1 || Number(n) > 1024) throw new UsageError(`--cpus expects a number 1..1024, got '${n}'`);
        a.cpus = Number(n);
        break;
      }
      case '--arch': {
        const v = take();
        if (v !== 'x86_64' && v !== 'arm64') throw new UsageError(`--arch must be x86_64 or arm64, not '${v}'`);
        a.arch = v;
        break;
      }
      case '--kallsyms': a.kallsyms = take(); break;
      case '--mntns-filter': {
        const v = take();
        const ids = v.split(',').map((x) => x.trim());
        if (!ids.every((x) => /^\d+$/.test(x) && BigInt(x) <= 0xffffffffffffffffn)) throw new UsageError(`--mntns-filter expects mount namespace IDs separated by commas, got '${v}'`);
        a.mntnsFilter = [...(a.mntnsFilter ?? []), ...ids.map((x) => BigInt(x))];
        break;
      }
      case '--output': case '-o': {
        const o = take();
        if (!(OUTPUT_MODES as readonly string[]).includes(o)) throw new UsageError(`--output must be one of ${OUTPUT_MODES.join(', ')}, not '${o}'`);
        a.output = o as OutputMode;
        break;
      }
      case '--fields': a.fields = take(); break;
      // Repeated filters add rules, as a comma does.
      case '--filter': case '-F': { const f = take(); a.filter = a.filter === undefined ? f : `${a.filter},${f}`; break; }
      case '--timeout': {
        const t = take();
        if (!/^\d+$/.test(t) || Number(t) <= 0) throw new UsageError(`--timeout expects a positive number of milliseconds, got '${t}'`);
        a.timeoutMs = Number(t);
        break;
      }
      case '--log-level': {
        const l = take().toLowerCase();
        if (!(LOG_LEVELS as string[]).includes(l)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not '${l}'`);
        a.logLevel = l as LogLevel;
        break;
      }
      case '-h': case '--help':
        throw new UsageError('');
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
        if (a.module) throw new UsageError(`unexpected argument '${arg}' (the module is '${a.module}')`);
        a.module = arg;
    }
  }
  if (!a.module) throw new UsageError('missing <module.wasm> (or an eBPF object or gadget image)');
  return a as RunArgs;
}

interface Metadata {
  config: Record<string, unknown>;
  wasmParams: Record<string, WasmParam>;
  columns: ColumnAnnotations;
}

/** Reads what `run` needs from gadget.yaml: the file as the initial config, the wasm params and the field
 *  annotations (through the metadata library's readGadgetMetadata, which reads them the way IG does). */
export function readMetadata(text: string, file: string): Metadata {
  let config: Record<string, unknown>;
  try {
    config = readGadgetConfig(text);
  } catch (e) {
    if (e instanceof YamlError) throw new UsageError(`${file}:${e.line}: ${e.reason}`);
    throw e;
  }
  const meta = readGadgetMetadata(text);
  const columns: ColumnAnnotations = {};
  for (const [ds, d] of Object.entries(meta.datasources)) {
    columns[ds] = Object.fromEntries(Object.entries(d.fields).map(([name, f]) => [name, f.annotations]));
  }
  return { config, wasmParams: meta.wasmParams, columns };
}

/** --param values, else defaults from gadget.yaml, by the params rules (src/metadata/params.ts). */
export function resolveRunParams(given: Record<string, string>, meta: Metadata | undefined): Record<string, string> {
  try {
    return resolveParams(meta?.wasmParams, given);
  } catch (e) {
    if (e instanceof ParamError) throw new UsageError(e.reason === 'mandatory' ? `${e.message}: pass --param ${e.param}=VALUE` : e.message);
    throw e;
  }
}

function readInput(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read ${what} '${file}': ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
  }
}

/** A text input: UTF-8 or a usage error at the first bad byte (`file:line:column: …`). */
function readText(file: string, what: string): string {
  const bytes = readInput(file, what);
  try {
    return decodeUtf8(bytes);
  } catch (e) {
    if (e instanceof TextDecodeError) throw new UsageError(`${file}:${e.line}:${e.column}: ${e.reason}`);
    throw e;
  }
}

const defaultSinks: Sinks = {
  out: (s) => { process.stdout.write(s); },
  err: (s) => { process.stderr.write(s); },
};

// `ig-wasm run … | head`: a closed stdout ends the run quietly instead of crashing on EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

export async function main(argv: string[], sinks: Sinks = defaultSinks): Promise<number> {
  let args: RunArgs;
  let meta: Metadata | undefined;
  let events: EventsFile | undefined;
  let wasm: Uint8Array;
  let params: Record<string, string>;
  let plan: RunPlan | undefined;
  let kernel: KernelOptions;
  let decoder: MapDecoder | undefined;
  let selection: Selection;
  try {
    args = parseRunArgs(argv);
    selection = new Selection(args.fields, args.filter);
    const parts = gadgetParts(args.module, new Uint8Array(readInput(args.module, 'module')), args.ebpf);
    wasm = parts.wasm;
    const yaml = args.metadata ? readText(args.metadata, 'metadata') : parts.metadataYaml;
    if (yaml !== undefined) meta = readMetadata(yaml, args.metadata ?? `${args.module}#gadget.yaml`);
    if (parts.object) plan = objectPlan(parts.objectName, parts.object, yaml);
    params = resolveRunParams(args.params, meta);
    if (args.events) events = parseEventsFile(readText(args.events, 'events file'), args.events, { datasource: args.datasource, kinds: args.kinds });
    if (events) checkDeclaredPackets(events);
    // The object the run uses (--ebpf, the module argument or the image's) is also where the maps come from.
    ({ kernel, decoder } = kernelForRun(args, wasm, events, parts.object ? { name: parts.objectName, bytes: parts.object } : undefined));
  } catch (caught) {
    const e = caught instanceof KernelInputError || caught instanceof SelectionError ? new UsageError(caught.message) : caught;
    if (e instanceof UsageError || e instanceof EventsFileError) {
      if (e instanceof UsageError && !e.message) { sinks.out(RUN_USAGE); return 0; } // --help
      sinks.err(`ig-wasm run: ${e.message}\n${e instanceof UsageError ? `(ig-wasm run --help for the options)\n` : ''}`);
      return 2;
    }
    throw e;
  }

  const columns: ColumnAnnotations = mergeColumns(plan?.columns, (meta?.columns ?? {}) as RunPlan['columns']);
  const printer: Printer = args.output === 'records' ? new RecordsPrinter(sinks, args.logLevel, selection)
    : args.output === 'columns' ? new ColumnsPrinter(sinks, args.logLevel, columns, meta?.config, selection)
      : new IgJsonPrinter(sinks, args.logLevel, args.output, columns, selection);
  printer.mapDecoder = decoder;
  const run = new EmbeddedEngine().start({
    gadget: { name: path.basename(args.module), folder: path.dirname(args.module) },
    wasm, params, config: meta?.config ?? {}, dataSources: runDataSources(plan, events?.dataSources ?? []), kernel, events,
    untilStopped: false, logLevel: args.logLevel, callTimeoutMs: args.timeoutMs,
    // --fields and --filter are checked against the data sources the printer was given.
    checkStarted: () => printer.selectionError,
    onInputError: 'terminate',
  });
  // The engine's own notes repeat the input error, which is printed once below.
  run.onEvent((e) => { if (e.type !== 'note') printer.event(e); });
  // Ctrl-C ends the gadget the normal way (gadgetStop, gadgetPostStop, config), as with `ig run`; a
  // second one exits at once.
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    void run.stop();
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await run.done;
    printer.flush();
    if (result.inputError !== undefined) {
      sinks.err(`ig-wasm run: ${result.inputError}\n`);
      return 2;
    }
    return result.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

interface GadgetParts { wasm: Uint8Array; object?: Uint8Array; objectName: string; metadataYaml?: string }

/** The module argument is a wasm module, an eBPF object (no wasm: the null guest) or a gadget image. */
function gadgetParts(file: string, bytes: Uint8Array, ebpfFile: string | undefined): GadgetParts {
  let parts: GadgetParts;
  if (isTar(bytes)) {
    let img;
    try {
      img = readGadgetImage(bytes, goArch(process.arch));
    } catch (e) {
      if (e instanceof EbpfError) throw new UsageError(`${file}: ${e.message}`);
      throw e;
    }
    parts = { wasm: img.wasm ?? NULL_GUEST, object: img.ebpfObject, objectName: `${file}#ebpf`, metadataYaml: img.metadataYaml };
  } else if (isElf(bytes)) {
    parts = { wasm: NULL_GUEST, object: bytes, objectName: file };
  } else {
    // Not a module at all is an input error (exit 2, as inspect); a module the host cannot load fails in
    // the load phase (exit 1).
    try {
      parseModule(bytes);
    } catch (e) {
      if (e instanceof WasmParseError) throw new UsageError(`${file}: not a valid wasm module (nor an eBPF object or a gadget image tarball): ${e.message}`);
      throw e;
    }
    parts = { wasm: bytes, objectName: file };
  }
  if (ebpfFile !== undefined) {
    parts.object = new Uint8Array(readInput(ebpfFile, 'eBPF object'));
    parts.objectName = ebpfFile;
  }
  return parts;
}

/** IG's derivation of the object with gadget.yaml's annotations; a refused object is an input error. */
function objectPlan(name: string, bytes: Uint8Array, yaml: string | undefined): RunPlan {
  try {
    return runPlan(inspectObject(bytes, yaml !== undefined ? gadgetConfigFromYaml(yaml) : undefined));
  } catch (e) {
    if (e instanceof IgRefusal) throw new UsageError(`${name}: IG refuses this eBPF object: ${e.reason}`);
    if (e instanceof EbpfError) throw new UsageError(`${name}: not a readable eBPF object: ${e.message}`);
    throw e;
  }
}
