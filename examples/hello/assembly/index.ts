// The "hello" example gadget, in AssemblyScript, against Inspektor Gadget's current wasm API (module `ig`).
// Like IG's hello-world wasm gadget: it subscribes to the `open` data source (provided by the eBPF side in
// IG, by the events file here), redacts the user name in `/home/<user>/…` paths and adds a `human` field.
// The verb of that message is the `verb` param; the number of events seen is written to the config.

// ---- The host functions (`ig` module). Strings and buffers are i64 bufPtrs: len << 32 | address. ----
@external("ig", "gadgetLog") declare function gadgetLog(level: u32, msg: u64): void;
@external("ig", "getDataSource") declare function getDataSource(name: u64): u32;
@external("ig", "dataSourceGetField") declare function dataSourceGetField(ds: u32, name: u64): u32;
@external("ig", "dataSourceAddField") declare function dataSourceAddField(ds: u32, name: u64, kind: u32): u32;
@external("ig", "dataSourceSubscribe") declare function dataSourceSubscribe(ds: u32, type: u32, priority: u32, cbID: u64): u32;
@external("ig", "fieldGetScalar") declare function fieldGetScalar(field: u32, data: u32, kind: u32, errPtr: u32): u64;
@external("ig", "fieldGetBuffer") declare function fieldGetBuffer(field: u32, data: u32, kind: u32, dst: u64): i32;
@external("ig", "fieldSet") declare function fieldSet(field: u32, data: u32, kind: u32, value: u64): u32;
@external("ig", "getParamValue") declare function getParamValue(key: u64, dst: u64): u32;
@external("ig", "setConfig") declare function setConfig(key: u64, value: u64, kind: u32): u32;

const LOG_ERROR: u32 = 0;
const LOG_INFO: u32 = 2;
const KIND_UINT32: u32 = 8;
const KIND_STRING: u32 = 12;
const SUBSCRIPTION_DATA: u32 = 1;

// Static buffers: arguments are encoded here rather than in GC-managed memory, so nothing the host is
// about to read can be collected under it.
const SCRATCH: i32 = 4096;
const arg0 = memory.data(SCRATCH);
const arg1 = memory.data(SCRATCH);
const readBuf = memory.data(SCRATCH);
const errSlot = memory.data(4);

/** Encodes `s` as UTF-8 into a static buffer and returns its bufPtr. */
function bp(s: string, slot: usize): u64 {
  if (String.UTF8.byteLength(s) > SCRATCH) s = s.substring(0, SCRATCH / 3);
  const n = String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, slot);
  return n == 0 ? 0 : (u64(n) << 32) | u64(slot);
}

function log(level: u32, msg: string): void {
  gadgetLog(level, bp(msg, arg0));
}

/** IG-style abort handler (`asc --use abort=…`): say where, then trap. */
function abortGadget(message: string | null, file: string | null, line: u32, column: u32): void {
  log(LOG_ERROR, 'abort: ' + (message ? message : '') + ' at ' + (file ? file : '?') + ':' + line.toString() + ':' + column.toString());
  unreachable();
}

function readString(field: u32, data: u32): string {
  const n = fieldGetBuffer(field, data, KIND_STRING, (u64(SCRATCH) << 32) | u64(readBuf));
  return n <= 0 ? '' : String.UTF8.decodeUnsafe(readBuf, n);
}

let filenameField: u32 = 0;
let pidField: u32 = 0;
let humanField: u32 = 0;
let verb = 'opened';
let seen: u64 = 0;

export function gadgetAPIVersion(): u64 {
  return 1;
}

export function gadgetInit(): i32 {
  // Params arrive as strings in a zeroed buffer, cut at the first NUL.
  memory.fill(readBuf, 0, SCRATCH);
  if (getParamValue(bp('verb', arg0), (u64(SCRATCH) << 32) | u64(readBuf)) == 0) {
    const v = String.UTF8.decodeUnsafe(readBuf, SCRATCH, true);
    if (v.length > 0) verb = v;
  }
  const ds = getDataSource(bp('open', arg0));
  if (ds == 0) {
    log(LOG_ERROR, "init: no 'open' data source");
    return 1;
  }
  filenameField = dataSourceGetField(ds, bp('filename', arg0));
  pidField = dataSourceGetField(ds, bp('pid', arg0));
  humanField = dataSourceAddField(ds, bp('human', arg0), KIND_STRING);
  if (filenameField == 0 || pidField == 0 || humanField == 0) {
    log(LOG_ERROR, "init: the 'open' data source needs the fields filename (string) and pid (uint32)");
    return 1;
  }
  if (dataSourceSubscribe(ds, SUBSCRIPTION_DATA, 0, 0) != 0) {
    log(LOG_ERROR, "init: cannot subscribe to 'open'");
    return 1;
  }
  setConfig(bp('hello.verb', arg0), bp(verb, arg1), KIND_STRING);
  log(LOG_INFO, 'init: hello from wasm (verb: ' + verb + ')');
  return 0;
}

/** `/home/<user>/rest` → `/home/***\/rest`. */
function redact(path: string): string {
  if (!path.startsWith('/home/')) return path;
  const end = path.indexOf('/', 6);
  return end < 0 ? path : '/home/***' + path.substring(end);
}

export function dataSourceCallback(cbID: u64, ds: u32, data: u32): void {
  const filename = readString(filenameField, data);
  store<u32>(errSlot, 0);
  const pid = fieldGetScalar(pidField, data, KIND_UINT32, u32(errSlot));
  const pidText = load<u32>(errSlot) == 0 ? pid.toString() : '?';
  fieldSet(humanField, data, KIND_STRING, bp("file '" + filename + "' was " + verb + ' by ' + pidText, arg0));
  const redacted = redact(filename);
  if (redacted != filename) fieldSet(filenameField, data, KIND_STRING, bp(redacted, arg1));
  seen++;
}

export function gadgetStop(): i32 {
  setConfig(bp('hello.events', arg0), bp(seen.toString(), arg1), KIND_STRING);
  log(LOG_INFO, 'stop: ' + seen.toString() + ' events seen');
  return 0;
}
