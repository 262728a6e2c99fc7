// The bad-input catalogue (issue 11 §8): hostile or broken inputs of every kind a user can hand
// `ig-wasm` — WAT guests, events files, params, gadget.yaml files — each with what the CLI must answer:
// the exit status, where it failed (the error record's phase; `input` for a refusal before the gadget
// runs, `lint` for a lint diagnostic, `warn` for a call the host refused while the gadget went on) and a
// message naming the cause. The test (catalogue.test.ts) runs each through the real CLI process.
import { Strings } from '../host/guest';
import { GuestSpec, bp, digitsAt, loop, write } from './guests';

export type Where = string; // a Phase, or 'input' | 'lint' | 'warn' | 'log'

export interface Case {
  name: string;
  /** Files to write (name → content); `$wasm` is compiled from `guest`. */
  files?: Record<string, string | Uint8Array>;
  guest?: GuestSpec;
  /** CLI arguments; `{name}` is replaced by the written file's path. */
  args: string[];
  status: number;
  where: Where;
  message: RegExp;
}

const P = ['gadgetInit', 'gadgetPreStart', 'gadgetStart', 'gadgetStop', 'gadgetPostStop'] as const;
// `-o records`: the typed stream, where each error names its phase.
const RUN = ['run', '{mod.wasm}', '-o', 'records'];
const EVENTS = 'datasources:\n  ev:\n    fields:\n      n: uint32\n      s: string\n  arr:\n    type: array\n    fields:\n      v: uint8\nevents:\n  - datasource: ev\n    data: {n: 1, s: x}\n';
const NOOP: GuestSpec = { bodies: { gadgetInit: () => '(i32.const 0)' } };
const withEvents = (extra: Partial<Case> & { name: string; guest: GuestSpec; status: number; where: Where; message: RegExp }): Case =>
  ({ files: { 'ev.yaml': EVENTS }, args: [...RUN, '--events', '{ev.yaml}'], ...extra });
const init = (body: (s: Strings) => string): GuestSpec => ({ bodies: { gadgetInit: body } });
/** A guest whose gadgetInit runs `body` (statements) then returns 0; the host's refusal is a warning. */
const refused = (name: string, body: (s: Strings) => string, message: RegExp, memory?: string): Case =>
  withEvents({ name, guest: { bodies: { gadgetInit: (s) => `${body(s)} (i32.const 0)` }, memory }, status: 0, where: 'warn', message });
const ds = (s: Strings, name: string): string => `(call $getDataSource ${s.bp(name)})`;
const field = (s: Strings, d: string, f: string): string => `(call $dataSourceGetField ${ds(s, d)} ${s.bp(f)})`;

/** Bytes of a valid module, for truncation cases. */
export const TINY_WASM = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7e, 3, 2, 1, 0, 7, 0x14, 1, 0x10,
  ...Buffer.from('gadgetAPIVersion'), 0, 0, 0x0a, 6, 1, 4, 0, 0x42, 1, 0x0b]);

function aliasBomb(prefix = ''): string {
  let y = `${prefix}a: &a ["x","x","x","x","x","x","x","x","x"]\n`;
  let prev = 'a';
  for (let i = 1; i < 12; i++) {
    const n = String.fromCharCode(97 + i);
    y += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = n;
  }
  return y;
}
const deep = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;
const BAD_UTF8 = (prefix: string): Uint8Array => new Uint8Array([...Buffer.from(prefix), 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x0a]);
const META_PARAMS = (hint: string, extra = ''): string => `name: p\nparams:\n  wasm:\n    v:\n      key: v\n      typeHint: ${hint}\n${extra}`;

export const CASES: Case[] = [
  // ---- lifecycle failures in every phase ---------------------------------------------------------------
  ...P.map((p): Case => ({ name: `${p} traps`, guest: { bodies: { [p]: () => 'unreachable' } }, args: RUN, status: 1, where: p, message: new RegExp(`calling ${p}: wasm trap: unreachable`) })),
  ...P.map((p): Case => ({ name: `${p} returns 1`, guest: { bodies: { [p]: () => '(i32.const 1)' } }, args: RUN, status: 1, where: p, message: new RegExp(`${p} failed \\(returned 1\\)`) })),
  ...P.map((p): Case => ({ name: `${p} calls proc_exit(3)`, guest: { bodies: { [p]: () => '(call $proc_exit (i32.const 3)) (i32.const 0)' } }, args: RUN, status: 1, where: p, message: /guest called proc_exit\(3\)/ })),
  ...P.map((p): Case => ({ name: `${p} never returns`, guest: { bodies: { [p]: () => '(loop $l (br $l)) (i32.const 0)' } }, args: [...RUN, '--timeout', '300'], status: 1, where: p, message: /did not return within 300 ms/ })),
  ...P.map((p): Case => ({ name: `${p} recurses without end`, guest: { bodies: { [p]: () => `(call $${p})` } }, args: RUN, status: 1, where: p, message: /call stack exhausted \(the guest recursed too deeply\)/ })),
  { name: 'integer division by zero', guest: init(() => '(i32.div_u (i32.const 1) (i32.const 0))'), args: RUN, status: 1, where: 'gadgetInit', message: /wasm trap: .*divi/ },
  { name: 'a load past the end of memory', guest: init(() => '(i32.load (i32.const 0x7fffffff))'), args: RUN, status: 1, where: 'gadgetInit', message: /wasm trap: memory access out of bounds/ },
  { name: 'call_indirect through an empty table', guest: { bodies: { gadgetInit: () => '(call_indirect (type $t) (i32.const 0))' }, extra: '(type $t (func (result i32))) (table 1 funcref)' }, args: RUN, status: 1, where: 'gadgetInit', message: /wasm trap: / },
  { name: 'memory.grow past 256 pages, then a store there', guest: init(() => '(drop (memory.grow (i32.const 300))) (i32.store (i32.const 0x1000000) (i32.const 1)) (i32.const 0)'), args: RUN, status: 1, where: 'gadgetInit', message: /wasm trap: memory access out of bounds/ },
  { name: '_initialize traps', guest: { bodies: { _initialize: () => 'unreachable' } }, args: RUN, status: 1, where: '_initialize', message: /calling _initialize: wasm trap: unreachable/ },
  { name: 'gadgetAPIVersion is 2', guest: { version: '(i64.const 2)' }, args: RUN, status: 1, where: 'gadgetAPIVersion', message: /unsupported gadget API version: 2, expected: 1/ },
  { name: 'no gadgetAPIVersion export', guest: { version: null }, args: RUN, status: 1, where: 'gadgetAPIVersion', message: /doesn't export gadgetAPIVersion/ },
  { name: 'gadgetAPIVersion traps', guest: { version: 'unreachable' }, args: RUN, status: 1, where: 'gadgetAPIVersion', message: /wasm trap: unreachable/ },
  { name: 'the last stderr words before returning 1 are shown', guest: init((s) => `${write(s, 2, 'fatal: config missing')} (i32.const 1)`), args: RUN, status: 1, where: 'log', message: /^fatal: config missing$/ },
  { name: 'a stdout line is flushed before a trap', guest: { bodies: { gadgetStart: (s) => `${write(s, 1, 'probing')} unreachable` } }, args: RUN, status: 1, where: 'log', message: /^probing$/ },

  // ---- modules that cannot load --------------------------------------------------------------------------
  // A file that is not a wasm module is an input error (exit 2), as `inspect` answers it.
  { name: 'a text file as the module', files: { 'mod.wasm': 'hello, not wasm\n' }, args: RUN, status: 2, where: 'input', message: /mod\.wasm: not a valid wasm module \(nor an eBPF object or a gadget image tarball\): not a wasm module \(missing \\0asm magic\) at byte 0/ },
  { name: 'an empty module file', files: { 'mod.wasm': '' }, args: RUN, status: 2, where: 'input', message: /mod\.wasm: not a valid wasm module/ },
  { name: 'a truncated module', files: { 'mod.wasm': TINY_WASM.subarray(0, 20) }, args: RUN, status: 2, where: 'input', message: /mod\.wasm: not a valid wasm module .*: unexpected end of section at byte 20/ },
  { name: 'a wasm header with version 2', files: { 'mod.wasm': new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]) }, args: RUN, status: 2, where: 'input', message: /unsupported wasm binary version \(only version 1 is supported\) at byte 4/ },
  { name: 'an import from an unknown module', guest: { imports: '(import "nope" "f" (func))' }, args: RUN, status: 1, where: 'load', message: /nope\.f .*unknown module "nope"/ },
  { name: 'an unknown ig function', guest: { imports: '(import "ig" "noSuchFunction" (func (param i32)))' }, args: RUN, status: 1, where: 'load', message: /ig\.noSuchFunction .*not provided by this host/ },
  { name: 'gadgetLog imported with the wrong signature', guest: { imports: '(import "ig" "gadgetLog" (func (param i32)))' }, args: RUN, status: 1, where: 'load', message: /ig\.gadgetLog \(i32\) -> \(\): signature does not match; provided: \(level i32, message i64\)/ },
  { name: 'fd_write imported with the wrong signature', guest: { imports: '(import "wasi_snapshot_preview1" "fd_write" (func (param i64)))' }, args: RUN, status: 1, where: 'load', message: /fd_write .*signature does not match/ },
  { name: 'an imported global', guest: { imports: '(import "ig" "g" (global i32))' }, args: RUN, status: 1, where: 'load', message: /ig\.g \(global\): not provided/ },
  { name: 'a memory of 300 pages', guest: { memory: '(memory (export "memory") 300)' }, args: RUN, status: 1, where: 'load', message: /300 pages; the limit is 256 pages/ },
  { name: 'an imported memory of 257 pages', guest: { imports: '(import "env" "memory" (memory 257))', memory: '' }, args: RUN, status: 1, where: 'load', message: /257 pages exceeds the limit of 256/ },
  { name: 'dataSourceCallback with the wrong signature', guest: { bodies: { gadgetInit: () => '(i32.const 0)' }, extra: '(func (export "dataSourceCallback") (param i32))' }, args: RUN, status: 1, where: 'load', message: /dataSourceCallback has the signature \(i32\) -> \(\); expected \(i64, i32, i32\)/ },
  { name: 'a start function that traps', guest: { extra: '(func $boom unreachable) (start $boom)' }, args: RUN, status: 1, where: 'load', message: /instantiating the module: .*unreachable/ },
  { name: 'a module file that does not exist', args: ['run', '/nonexistent/mod.wasm'], status: 2, where: 'input', message: /cannot read module '\/nonexistent\/mod\.wasm': ENOENT/ },
  { name: 'a directory as the module', args: ['run', '/'], status: 2, where: 'input', message: /cannot read module '\/': EISDIR/ },

  // ---- host calls the host refuses; the gadget goes on ---------------------------------------------------
  refused('fieldSet with a field of another data source', (s) => `(drop (call $fieldSet ${field(s, 'ev', 'n')} (call $dataSourceNewPacketArray ${ds(s, 'arr')}) (i32.const 8) (i64.const 7)))
    (drop (call $fieldSet ${field(s, 'arr', 'v')} (call $dataSourceNewPacketSingle ${ds(s, 'ev')}) (i32.const 6) (i64.const 7)))`, /fieldSet: field "v" belongs to data source "arr", not to "ev" of this packet/),
  refused('fieldGetScalar with a field of another data source', (s) => `(drop (call $fieldGetScalar ${field(s, 'ev', 'n')} (call $dataArrayNew (call $dataSourceNewPacketArray ${ds(s, 'arr')})) (i32.const 8) (i32.const 0x80)))`, /fieldGetScalar: field "n" belongs to data source "ev", not to "arr"/),
  refused('fieldGetBuffer with a field of another data source', (s) => `(drop (call $fieldGetBuffer ${field(s, 'ev', 's')} (call $dataArrayNew (call $dataSourceNewPacketArray ${ds(s, 'arr')})) (i32.const 12) ${bp(0x800, 16)}))`, /fieldGetBuffer: field "s" belongs to data source "ev"/),
  refused('emitting a packet into another data source', (s) => `(drop (call $dataSourceEmitAndRelease ${ds(s, 'arr')} (call $dataSourceNewPacketSingle ${ds(s, 'ev')})))`, /dataSourceEmitAndRelease: packet \d+ belongs to data source "ev", not "arr"/),
  refused('a 2 MiB tag', (s) => `(drop (call $fieldAddTag ${field(s, 'ev', 'n')} ${bp(0x1000, 2 << 20)}))`, /fieldAddTag: a tag of bytes of 2097152 exceeds the host's limit of 1024/, '(memory (export "memory") 64)'),
  refused('300 tags on one field', (s) => loop(300, `(drop (call $fieldAddTag ${field(s, 'ev', 'n')} ${bp(0x1000, 100)}))`), /count of tags on field "n" of 65 exceeds the host's limit of 64/),
  refused('a 300-byte data source name', () => `(drop (call $newDataSource ${bp(0x1000, 300)} (i32.const 1)))`, /newDataSource: a name of bytes of 300 exceeds the host's limit of 256/),
  refused('a 300-byte field name', (s) => `(drop (call $dataSourceAddField ${ds(s, 'ev')} ${bp(0x1000, 300)} (i32.const 8)))`, /dataSourceAddField: a name of bytes of 300 exceeds/),
  refused('1100 fields on one data source', (s) => loop(1100, `${digitsAt(0x2000)} (drop (call $dataSourceAddField ${ds(s, 'ev')} ${bp(0x2000, 4)} (i32.const 8)))`), /count of fields in data source "ev" of 1025 exceeds the host's limit of 1024/),
  refused('300 data sources', () => loop(300, `${digitsAt(0x2000)} (drop (call $releaseHandle (call $newDataSource ${bp(0x2000, 4)} (i32.const 1))))`), /count of data sources of 257 exceeds the host's limit of 256/),
  refused('a 100 KiB config value', (s) => `(drop (call $setConfig ${s.bp('k')} ${bp(0x1000, 100 << 10)} (i32.const 12)))`, /setConfig: a value of bytes of 102400 exceeds the host's limit of 65536/, '(memory (export "memory") 4)'),
  refused('a 1 KiB config key', (s) => `(drop (call $setConfig ${bp(0x1000, 1024)} ${s.bp('v')} (i32.const 12)))`, /setConfig: a key of bytes of 1024 exceeds/),
  refused('20 MiB of config writes', (s) => loop(320, `(drop (call $setConfig ${s.bp('k')} ${bp(0x1000, 65536)} (i32.const 12)))`), /config written in total \(bytes, whole run\) of \d+ exceeds the host's limit of 1048576/, '(memory (export "memory") 4)'),
  refused('a String value of 2 MiB', (s) => `(drop (call $fieldSet ${field(s, 'ev', 's')} (call $dataSourceNewPacketSingle ${ds(s, 'ev')}) (i32.const 12) ${bp(0x1000, 2 << 20)}))`, /fieldSet: a value for "s" of bytes of 2097152 exceeds the host's limit of 1048576/, '(memory (export "memory") 64)'),
  refused('70000 elements in one array packet', (s) => `(global.set $i (call $dataSourceNewPacketArray ${ds(s, 'arr')}))
    (block $done (loop $l (br_if $done (call $dataArrayAppend (global.get $i) (call $dataArrayNew (global.get $i)))) (br $l)))`, /dataArrayAppend: a count of array elements of 65537 exceeds the host's limit of 65536/),
  refused('an unknown handle', () => '(drop (call $dataSourceEmitAndRelease (i32.const 9999) (i32.const 9998)))', /dataSourceEmitAndRelease: handle 9999 not found/),
  refused('a field handle used as a data source', (s) => `(drop (call $dataSourceNewPacketSingle ${field(s, 'ev', 'n')}))`, /dataSourceNewPacketSingle: bad handle type for \d+/),
  refused('an unknown data source name', (s) => `(drop ${ds(s, 'nope')})`, /getDataSource: data source "nope" not found/),
  refused('an unknown field name', (s) => `(drop ${field(s, 'ev', 'nope')})`, /dataSourceGetField: field "nope" not found in data source "ev"/),
  refused('subscription type 7', (s) => `(drop (call $dataSourceSubscribe ${ds(s, 'ev')} (i32.const 7) (i32.const 0) (i64.const 0)))`, /dataSourceSubscribe: the module does not export dataSourceCallback|unknown subscription type 7/),
  refused('data source type 0', (s) => `(drop (call $newDataSource ${s.bp('mine')} (i32.const 0)))`, /newDataSource: invalid data source type 0 for "mine"/),
  refused('field kind 99', (s) => `(drop (call $dataSourceAddField ${ds(s, 'ev')} ${s.bp('k')} (i32.const 99)))`, /dataSourceAddField: invalid kind 99/),
  refused('a duplicate field name', (s) => `(drop (call $dataSourceAddField ${ds(s, 'ev')} ${s.bp('n')} (i32.const 8)))`, /dataSourceAddField: field "n" already exists in data source "ev"/),
  refused('dataArrayGet past the end', (s) => `(drop (call $dataArrayGet (call $dataSourceNewPacketArray ${ds(s, 'arr')}) (i32.const 5)))`, /dataArrayGet: index 5 out of range \(length 0\)/),
  refused('dataArrayAppend of a single packet', (s) => `(drop (call $dataArrayAppend (call $dataSourceNewPacketArray ${ds(s, 'arr')}) (call $dataSourceNewPacketSingle ${ds(s, 'ev')})))`, /dataArrayAppend: handle \d+ is a single packet, not an array element/),
  refused('a single packet from an array data source', (s) => `(drop (call $dataSourceNewPacketSingle ${ds(s, 'arr')}))`, /dataSourceNewPacketSingle: data source "arr" is an array data source/),
  refused('getParamValue of an unknown param', (s) => `(drop (call $getParamValue ${s.bp('nope')} ${bp(0x800, 32)}))`, /getParamValue: param "nope" not found/),
  refused('a log message pointer past memory', () => `(call $gadgetLog (i32.const 0) ${bp(0xfff0, 0x100)})`, /gadgetLog: invalid pointer for the message/),
  refused('log level 9', (s) => `(call $gadgetLog (i32.const 9) ${s.bp('odd')})`, /gadgetlog: gadget used unknown log level: 9 for odd/),
  refused('setConfig of a uint32', (s) => `(drop (call $setConfig ${s.bp('k')} (i64.const 5) (i32.const 8)))`, /setConfig: kind 8 not supported/),
  refused('setConfig with an empty path segment', (s) => `(drop (call $setConfig ${s.bp('a..b')} ${s.bp('v')} (i32.const 12)))`, /setConfig: invalid key "a\.\.b"/),
  refused('fieldGetBuffer into a short buffer', (s) => `(global.set $i (call $dataSourceNewPacketSingle ${ds(s, 'ev')}))
    (drop (call $fieldSet ${field(s, 'ev', 's')} (global.get $i) (i32.const 12) ${s.bp('a long string value')}))
    (drop (call $fieldGetBuffer ${field(s, 'ev', 's')} (global.get $i) (i32.const 12) ${bp(0x800, 4)}))`, /fieldGetBuffer: destination too small or out of bounds for 19 bytes/),
  refused('fieldGetScalar of a string field', (s) => `(drop (call $fieldGetScalar ${field(s, 'ev', 's')} (call $dataSourceNewPacketSingle ${ds(s, 'ev')}) (i32.const 12) (i32.const 0x80)))`, /fieldGetScalar: kind 12 is not a scalar kind/),
  refused('fieldSet of a CString', (s) => `(drop (call $fieldSet ${field(s, 'ev', 's')} (call $dataSourceNewPacketSingle ${ds(s, 'ev')}) (i32.const 13) (i64.const 0)))`, /fieldSet: kind 13 cannot be set/),
  refused('a 5000-handle leak', (s) => loop(5000, `(drop ${ds(s, 'ev')})`), /too many open handles/),
  refused('path_open on a sandbox without files', () => '(drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 0)))', /path_open: not available in the embedded host/),
  { name: 'a 3 MiB log message is cut with a note', guest: { bodies: { gadgetInit: () => `(memory.fill (i32.const 0x1000) (i32.const 97) (i32.const ${3 << 20})) (call $gadgetLog (i32.const 0) ${bp(0x1000, 3 << 20)}) (i32.const 0)` }, memory: '(memory (export "memory") 64)' }, args: RUN, status: 0, where: 'log', message: /^a{65536} … \[cut: the message has 3145728 bytes; the host keeps 65536\]$/ },
  { name: 'one 20 MiB stdout line is cut with a note', guest: { bodies: { gadgetInit: (s) => `(memory.fill (i32.const 0x1000) (i32.const 98) (i32.const 65536)) (i32.store (i32.const 0x40) (i32.const 0x1000)) (i32.store (i32.const 0x44) (i32.const 65536))
      ${loop(320, '(drop (call $fd_write (i32.const 1) (i32.const 0x40) (i32.const 1) (i32.const 0x48)))')} ${write(s, 1, '\n')} (i32.const 0)` }, memory: '(memory (export "memory") 2)' }, args: RUN, status: 0, where: 'log', message: /^b{65536} … \[cut: the line has 20971520 characters; the host keeps 65536\]$/ },
  { name: 'an errPtr past memory traps like IG', guest: init((s) => `(drop (call $fieldGetScalar (i32.const 999) ${ds(s, 'ev')} (i32.const 8) (i32.const 0x7ffffff0))) (i32.const 0)`), files: { 'ev.yaml': EVENTS }, args: [...RUN, '--events', '{ev.yaml}'], status: 1, where: 'gadgetInit', message: /fieldGetScalar: errPtr 0x7ffffff0 is out of bounds/ },
  withEvents({ name: 'a callback that traps', guest: { bodies: { gadgetInit: (s) => `(drop (call $dataSourceSubscribe ${ds(s, 'ev')} (i32.const 1) (i32.const 0) (i64.const 0))) (i32.const 0)`, dataSourceCallback: () => 'unreachable' } }, status: 1, where: 'dataSourceCallback', message: /data source "ev": wasm trap: unreachable/ }),
  withEvents({ name: 'a callback that never returns', guest: { bodies: { gadgetInit: (s) => `(drop (call $dataSourceSubscribe ${ds(s, 'ev')} (i32.const 1) (i32.const 0) (i64.const 0))) (i32.const 0)`, dataSourceCallback: () => '(loop $l (br $l))' } }, args: [...RUN, '--events', '{ev.yaml}', '--timeout', '300'], status: 1, where: 'dataSourceCallback', message: /did not return within 300 ms while handling a packet of data source 'ev'/ }),
  withEvents({ name: 'a callback that calls proc_exit', guest: { bodies: { gadgetInit: (s) => `(drop (call $dataSourceSubscribe ${ds(s, 'ev')} (i32.const 1) (i32.const 0) (i64.const 0))) (i32.const 0)`, dataSourceCallback: () => '(call $proc_exit (i32.const 4))' } }, status: 1, where: 'dataSourceCallback', message: /guest called proc_exit\(4\)/ }),
  withEvents({ name: 'a callback that recurses without end', guest: { bodies: { gadgetInit: (s) => `(drop (call $dataSourceSubscribe ${ds(s, 'ev')} (i32.const 1) (i32.const 0) (i64.const 0))) (i32.const 0)`, dataSourceCallback: () => '(call $dataSourceCallback (local.get 0) (local.get 1) (local.get 2))' } }, status: 1, where: 'dataSourceCallback', message: /call stack exhausted/ }),

  // ---- events files ---------------------------------------------------------------------------------------
  ...([
    ['a YAML syntax error', 'datasources: [\n', /ev\.yaml:\d+: /],
    ['an alias bomb', aliasBomb('datasources: {}\nevents: []\n'), /ev\.yaml:\d+: .*(alias|unknown key)/],
    ['an alias bomb inside events', `datasources:\n  ev:\n    fields: {n: uint32}\nx: &a [1,1,1,1,1,1,1,1,1,1]\nevents:\n${'  - {datasource: ev, data: {n: 1}}\n'}`, /ev\.yaml:4: unknown key 'x'/],
    ['nesting 5000 levels deep', `events: ${deep(5000)}\n`, /ev\.yaml:1: .*(nest|deep)/],
    ['invalid UTF-8', BAD_UTF8('datasources: {}\nevents: []\n# "'), /ev\.yaml:3:4: invalid UTF-8 at byte 30/],
    ['an unknown top-level key', 'datasources: {}\nevnts: []\n', /ev\.yaml:2: unknown key 'evnts'/],
    ['events that are not a list', 'datasources: {}\nevents: 5\n', /ev\.yaml:2: .*list/],
    ['an event for an undeclared data source', 'datasources: {}\nevents:\n  - datasource: nope\n    data: {n: 1}\n', /ev\.yaml:3: .*nope/],
    ['an unknown field', 'datasources:\n  ev:\n    fields: {n: uint32}\nevents:\n  - datasource: ev\n    data: {m: 1}\n', /ev\.yaml:6: .*m/],
    ['a negative uint32', 'datasources:\n  ev:\n    fields: {n: uint32}\nevents:\n  - datasource: ev\n    data: {n: -1}\n', /ev\.yaml:6: .*-1/],
    ['300 for a uint8', 'datasources:\n  ev:\n    fields: {n: uint8}\nevents:\n  - datasource: ev\n    data: {n: 300}\n', /ev\.yaml:6: .*300/],
    ['text for a uint32', 'datasources:\n  ev:\n    fields: {n: uint32}\nevents:\n  - datasource: ev\n    data: {n: many}\n', /ev\.yaml:6: .*many/],
    ['2^64 for a uint64', 'datasources:\n  ev:\n    fields: {n: uint64}\nevents:\n  - datasource: ev\n    data: {n: 18446744073709551616}\n', /ev\.yaml:6: .*18446744073709551616/],
    ['an unknown kind', 'datasources:\n  ev:\n    fields: {n: uint128}\nevents: []\n', /ev\.yaml:3: .*uint128/],
    ['a repeated key', 'datasources:\n  ev:\n    fields: {n: uint32, n: uint8}\nevents: []\n', /ev\.yaml:3: .*(duplicate|repeated|twice)/i],
    ['a data source of type triple', 'datasources:\n  ev:\n    type: triple\n    fields: {n: uint32}\nevents: []\n', /ev\.yaml:3: .*triple/],
    ['maybe for a bool', 'datasources:\n  ev:\n    fields: {b: bool}\nevents:\n  - datasource: ev\n    data: {b: maybe}\n', /ev\.yaml:6: .*maybe/],
    ['a mapping for an array data source', 'datasources:\n  a:\n    type: array\n    fields: {n: uint32}\nevents:\n  - datasource: a\n    data: {n: 1}\n', /ev\.yaml:6: data source 'a' is an array data source: `data` must be a list of mappings/],
    ['an unclosed quote', 'datasources:\n  ev:\n    fields: {n: uint32}\nevents:\n  - datasource: "ev\n    data: {n: 1}\n', /ev\.yaml:5: .*quote/],
    ['a tab-indented line', 'datasources:\n\tev: {}\n', /ev\.yaml:2: /],
    ['a binary file', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0xff, 0xfe]), /ev\.yaml:1:\d+: invalid UTF-8/],
    ['an event without data', 'datasources:\n  ev:\n    fields: {n: uint32}\nevents:\n  - datasource: ev\n', /ev\.yaml:5: .*data/],
    ['a field without a kind', 'datasources:\n  ev:\n    fields: {n: }\nevents: []\n', /ev\.yaml:3: .*n/],
    ['bytes that are not base64', 'datasources:\n  ev:\n    fields: {b: bytes}\nevents:\n  - datasource: ev\n    data: {b: "%%%"}\n', /ev\.yaml:6: .*(base64|%%%)/],
  ] as [string, string | Uint8Array, RegExp][]).map(([name, content, message]): Case => ({
    name: `events file: ${name}`, guest: NOOP, files: { 'ev.yaml': content }, args: [...RUN, '--events', '{ev.yaml}'], status: 2, where: 'input', message,
  })),
  ...([
    ['a line that is not JSON', '{"n": 1}\n{"n": \n', /ev\.jsonl:2: /],
    ['nesting 100000 levels deep', `${deep(100000)}\n`, /ev\.jsonl:1: /],
    ['a line that is a list of numbers', '{"n": 1}\n[1, 2]\n', /ev\.jsonl:2: /],
  ] as [string, string, RegExp][]).map(([name, content, message]): Case => ({
    name: `JSON Lines: ${name}`, guest: NOOP, files: { 'ev.jsonl': content }, args: [...RUN, '--events', '{ev.jsonl}'], status: 2, where: 'input', message,
  })),
  { name: 'events file that does not exist', guest: NOOP, args: [...RUN, '--events', '/nonexistent.yaml'], status: 2, where: 'input', message: /cannot read events file '\/nonexistent\.yaml': ENOENT/ },

  // ---- params, checked against gadget.yaml before the gadget runs ----------------------------------------
  ...([
    ['bool', 'maybe', /param 'v': 'maybe' is not true or false/],
    ['bool', '1', /param 'v': '1' is not true or false/],
    ['int', 'x', /param 'v': 'x' is not a whole number \(int\)/],
    ['int8', '300', /param 'v': '300' is out of range for int8 \(-128 … 127\)/],
    ['int32', '1.5', /param 'v': '1\.5' is not a whole number \(int32\)/],
    ['uint', '-1', /param 'v': '-1' is not a whole number ≥ 0 \(uint\)/],
    ['uint64', '18446744073709551616', /out of range for uint64/],
    ['uint16', '65536', /out of range for uint16/],
    ['float64', 'abc', /param 'v': 'abc' is not a number \(float64\)/],
    ['float32', 'NaN', /param 'v': 'NaN' is not a number \(float32\)/],
    ['duration', '5 parsecs', /param 'v': '5 parsecs' is not a duration/],
    ['ip', '300.1.1.1', /param 'v': '300\.1\.1\.1' is not an IPv4 or IPv6 address/],
  ] as [string, string, RegExp][]).map(([hint, value, message]): Case => ({
    name: `param with typeHint ${hint} given ${value}`, guest: NOOP, files: { 'g.yaml': META_PARAMS(hint) }, args: [...RUN, '--metadata', '{g.yaml}', '--param', `v=${value}`], status: 2, where: 'input', message,
  })),
  { name: 'a param outside possibleValues', guest: NOOP, files: { 'g.yaml': META_PARAMS('string', '      possibleValues: [a, b]\n') }, args: [...RUN, '--metadata', '{g.yaml}', '--param', 'v=c'], status: 2, where: 'input', message: /param 'v': 'c' is not one of a, b/ },
  { name: 'a mandatory param without a value', guest: NOOP, files: { 'g.yaml': META_PARAMS('string', '      isMandatory: true\n') }, args: [...RUN, '--metadata', '{g.yaml}'], status: 2, where: 'input', message: /v.*mandatory.*--param v=VALUE/ },
  { name: 'an unknown param', guest: NOOP, files: { 'g.yaml': META_PARAMS('string') }, args: [...RUN, '--metadata', '{g.yaml}', '--param', 'colour=red'], status: 2, where: 'input', message: /unknown param 'colour'/ },
  { name: '--param without =', guest: NOOP, args: [...RUN, '--param', 'novalue'], status: 2, where: 'input', message: /--param .*KEY=VALUE|novalue/ },
  { name: 'a default that violates its own typeHint', guest: NOOP, files: { 'g.yaml': META_PARAMS('int', '      defaultValue: lots\n') }, args: [...RUN, '--metadata', '{g.yaml}'], status: 2, where: 'input', message: /'lots'.*whole number/ },

  // ---- gadget.yaml given to run ---------------------------------------------------------------------------
  ...([
    ['invalid UTF-8', BAD_UTF8('name: x\ndescription: "'), /g\.yaml:2:15: invalid UTF-8 at byte 22/],
    ['an alias bomb', `name: x\n${aliasBomb()}`, /g\.yaml:\d+: aliases expand to more than 10000 nodes/],
    ['nesting 5000 levels deep', `name: x\nx: ${deep(5000)}\n`, /g\.yaml:\d+: .*(nest|deep)/],
    ['a syntax error', 'name: x\n  bad: [\n', /g\.yaml:\d+: /],
    ['a repeated key', 'name: x\nname: y\n', /g\.yaml:2: .*(duplicate|repeated|twice)/i],
    ['an unclosed quote', 'name: "x\ndescription: y\n', /g\.yaml:1: .*quote/],
    ['a list instead of a mapping', '- name: x\n', /g\.yaml:1: /],
    ['a binary file', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0xff]), /g\.yaml:1:\d+: invalid UTF-8/],
  ] as [string, string | Uint8Array, RegExp][]).map(([name, content, message]): Case => ({
    name: `--metadata: ${name}`, guest: NOOP, files: { 'g.yaml': content }, args: [...RUN, '--metadata', '{g.yaml}'], status: 2, where: 'input', message,
  })),
  { name: '--metadata that does not exist', guest: NOOP, args: [...RUN, '--metadata', '/nonexistent/gadget.yaml'], status: 2, where: 'input', message: /cannot read metadata '\/nonexistent\/gadget\.yaml': ENOENT/ },

  // ---- gadget.yaml given to lint --------------------------------------------------------------------------
  ...([
    ['invalid UTF-8', BAD_UTF8('name: x\ndescription: "'), /^invalid-utf8 2:15 invalid UTF-8 at byte 22/],
    ['an alias bomb', `name: x\n${aliasBomb()}`, /^alias-limit \d+:\d+ .*alias bomb/],
    ['nesting 5000 levels deep', `name: x\nx: ${deep(5000)}\n`, /^\S+ \d+:\d+ .*nests more than 1000 levels/],
    ['a syntax error', 'name: x\n  bad: [\n', /^yaml-syntax \d+:\d+ /],
    ['a repeated key', 'name: x\nname: y\n', /^duplicate-key 2:1 /],
    ['an unclosed quote', 'name: "x\ndescription: y\n', /^yaml-syntax 1:7 .*never closed/],
    ['a binary file', new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0, 0xff]), /^binary-content 1:7 /],
    // Warnings (exit 0): IG takes the file, and refuses the value only when it is used.
    ['a param typeHint nobody knows', META_PARAMS('colour'), /^unknown-type-hint 6:17 IG knows no type hint `colour`/],
    ['a default that violates its typeHint', META_PARAMS('bool', '      defaultValue: maybe\n'), /^default-invalid 7:\d+ defaultValue `maybe` is not true or false/],
    ['an int8 default out of range', META_PARAMS('int8', '      defaultValue: "300"\n'), /^default-invalid 7:\d+ defaultValue `300` is out of range for int8/],
    ['a datasource that is a list', 'name: x\ndatasources: [a, b]\n', /^\S+ 2:\d+ /],
  ] as [string, string | Uint8Array, RegExp][]).map(([name, content, message]): Case => ({
    name: `lint: ${name}`, files: { 'g.yaml': content }, args: ['lint', '--format', 'json', '{g.yaml}'], status: /^(unknown-type|default-)/.test(message.source.slice(1)) ? 0 : 1, where: 'lint', message,
  })),
  { name: 'lint: a directory', args: ['lint', '/'], status: 2, where: 'input', message: /cannot read \/: is a directory/ },
  { name: 'lint: a file that does not exist', args: ['lint', '/nonexistent.yaml'], status: 2, where: 'input', message: /cannot read \/nonexistent\.yaml: ENOENT/ },
];
