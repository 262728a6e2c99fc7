// WAT guests for the runner and CLI tests, against IG's current `ig` API. Strings live in data segments
// at fixed addresses and are passed as bufPtrs (len << 32 | addr).
import { compileWat } from '../../support/wat';

/** Data-segment strings: name → [address, length]. */
const STRINGS: Record<string, [number, number]> = {};
let next = 16;
function str(s: string): string {
  if (!STRINGS[s]) { STRINGS[s] = [next, Buffer.byteLength(s)]; next += Math.ceil((Buffer.byteLength(s) + 1) / 16) * 16; }
  const [addr, len] = STRINGS[s];
  return `(i64.const ${(BigInt(len) << 32n) | BigInt(addr)})`;
}

export interface GuestParts {
  /** Extra statements at the start of gadgetInit (before the standard setup). */
  initPrefix?: string;
  /** Subscribe to host data source `ev` (field `n`: uint32), add `twice` (uint32) = 2n in the callback. */
  doubler?: boolean;
  /** Data source to subscribe to, and its subscription type (1 Data, 2 Array, 3 Packet). */
  source?: string;
  /** Statements at the start of the callback. */
  callbackPrefix?: string;
  /** Body of gadgetStop (must leave an i32). */
  stop?: string;
  /** Body of gadgetStart (must leave an i32). */
  start?: string;
  /** Result of gadgetInit (default 0). */
  initResult?: number;
  /** Extra import lines. */
  imports?: string;
}

/** Builds and compiles a guest. `log(msg)` in snippets: use the exported `logText` helper. */
export function guestWat(p: GuestParts = {}): string {
  const src = p.source ?? 'ev';
  const body: string[] = [];
  if (p.initPrefix) body.push(p.initPrefix);
  if (p.doubler) {
    body.push(
      `(local.set $ds (call $getds ${str(src)}))`,
      `(global.set $n (call $getf (local.get $ds) ${str('n')}))`,
      `(global.set $t (call $addf (local.get $ds) ${str('twice')} (i32.const 8)))`,
      `(if (i32.ne (call $sub (local.get $ds) (i32.const 1) (i32.const 0) (i64.const 7)) (i32.const 0)) (then (return (i32.const 3))))`,
    );
  }
  body.push(logText('init done'), `(i32.const ${p.initResult ?? 0})`);
  const segments = () => Object.entries(STRINGS).map(([s, [addr]]) => `(data (i32.const ${addr}) "${s.replace(/"/g, '\\"')}")`).join('\n  ');
  const funcs = `
  (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
  (func (export "gadgetInit") (result i32) (local $ds i32)
    ${body.join('\n    ')})
  (func (export "dataSourceCallback") (param $cb i64) (param $ds i32) (param $data i32)
    ${p.callbackPrefix ?? ''}
    (if (global.get $t) (then
      (drop (call $set (global.get $t) (local.get $data) (i32.const 8)
        (i64.mul (call $get (global.get $n) (local.get $data) (i32.const 8) (i32.const 0)) (i64.const 2)))))))
  ${p.start ? `(func (export "gadgetStart") (result i32) ${p.start})` : ''}
  ${p.stop ? `(func (export "gadgetStop") (result i32) ${p.stop})` : ''}`;
  return `(module
  (import "ig" "gadgetLog" (func $log (param i32 i64)))
  (import "ig" "getDataSource" (func $getds (param i64) (result i32)))
  (import "ig" "dataSourceGetField" (func $getf (param i32 i64) (result i32)))
  (import "ig" "dataSourceAddField" (func $addf (param i32 i64 i32) (result i32)))
  (import "ig" "dataSourceSubscribe" (func $sub (param i32 i32 i32 i64) (result i32)))
  (import "ig" "fieldGetScalar" (func $get (param i32 i32 i32 i32) (result i64)))
  (import "ig" "fieldSet" (func $set (param i32 i32 i32 i64) (result i32)))
  (import "ig" "setConfig" (func $setConfig (param i64 i64 i32) (result i32)))
  (import "ig" "newDataSource" (func $newds (param i64 i32) (result i32)))
  ${p.imports ?? ''}
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (global $t (mut i32) (i32.const 0))
  ${funcs}
  ${segments()}
)`;
}

/** `(call $log (i32.const 2) <msg>)`: an info log line. */
export function logText(msg: string, level = 2): string {
  return `(call $log (i32.const ${level}) ${str(msg)})`;
}

/** setConfig(key, value) as a statement. */
export function setConfigText(key: string, value: string): string {
  return `(drop (call $setConfig ${str(key)} ${str(value)} (i32.const 12)))`;
}

/** newDataSource(name, single) with one added uint32 field `n`, as statements. */
export function newDataSourceText(name: string, type: 1 | 2 = 1): string {
  return `(drop (call $addf (call $newds ${str(name)} (i32.const ${type})) ${str('n')} (i32.const 8)))`;
}

/** An endless loop (as a statement). */
export const LOOP = '(loop $forever (br $forever))';

export function buildGuest(p: GuestParts = {}): Promise<Uint8Array> {
  return compileWat(guestWat(p));
}
