// WAT guests for the bad-input catalogue: one template importing today's `ig` API and WASI's fd_write and
// proc_exit, with the body of each export given as WAT. Strings go through `Strings` (data segment).
import { IG_IMPORTS, Strings } from '../host/guest';

export type Export = 'gadgetInit' | 'gadgetPreStart' | 'gadgetStart' | 'gadgetStop' | 'gadgetPostStop' | '_initialize' | 'dataSourceCallback';

export interface GuestSpec {
  /** Body per export (phases must leave an i32; the callback and _initialize leave nothing). */
  bodies?: Partial<Record<Export, (s: Strings) => string>>;
  /** gadgetAPIVersion's body (default `(i64.const 1)`); null: not exported. */
  version?: string | null;
  memory?: string;
  /** Extra module fields (functions, globals, start). */
  extra?: string;
  /** Replaces the default imports. */
  imports?: string;
}

const SIGS: Record<Export, string> = {
  gadgetInit: '(result i32)', gadgetPreStart: '(result i32)', gadgetStart: '(result i32)', gadgetStop: '(result i32)',
  gadgetPostStop: '(result i32)', _initialize: '', dataSourceCallback: '(param $cb i64) (param $ds i32) (param $data i32)',
};

export function guestWat(g: GuestSpec): string {
  const s = new Strings(0x100);
  const funcs = Object.entries(g.bodies ?? {}).map(([name, body]) => `(func $${name} (export "${name}") ${SIGS[name as Export]} ${body!(s)})`);
  const imports = g.imports ?? [
    ...Object.entries(IG_IMPORTS).map(([n, sig]) => `(import "ig" "${n}" (func $${n} ${sig}))`),
    '(import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))',
    '(import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))',
    '(import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))',
  ].join('\n  ');
  return `(module
  ${imports}
  ${g.memory ?? '(memory (export "memory") 1)'}
  (global $i (mut i32) (i32.const 0))
  ${g.version === null ? '' : `(func (export "gadgetAPIVersion") (result i64) ${g.version ?? '(i64.const 1)'})`}
  ${funcs.join('\n  ')}
  ${g.extra ?? ''}
  ${s.data()})`;
}

/** Statements: write `text` (no newline) to fd `fd` through an iovec at 0x40. */
export function write(s: Strings, fd: number, text: string): string {
  return `(i32.store (i32.const 0x40) ${s.addr(text)}) (i32.store (i32.const 0x44) (i32.const ${Buffer.byteLength(text)}))
    (drop (call $fd_write (i32.const ${fd}) (i32.const 0x40) (i32.const 1) (i32.const 0x48)))`;
}

/** Statements: `n` times, run `body` with $i counting from 0. */
export function loop(n: number, body: string): string {
  return `(global.set $i (i32.const 0)) (block $done (loop $l
    (br_if $done (i32.ge_u (global.get $i) (i32.const ${n})))
    ${body}
    (global.set $i (i32.add (global.get $i) (i32.const 1))) (br $l)))`;
}

/** Statements: write $i as 4 ASCII digits at `addr` (distinct names for loops). */
export function digitsAt(addr: number): string {
  const d = (div: number, at: number): string =>
    `(i32.store8 (i32.const ${addr + at}) (i32.add (i32.const 48) (i32.rem_u (i32.div_u (global.get $i) (i32.const ${div})) (i32.const 10))))`;
  return [d(1000, 0), d(100, 1), d(10, 2), d(1, 3)].join(' ');
}

/** A bufPtr constant for `len` bytes at `addr`. */
export function bp(addr: number, len: number): string {
  return `(i64.const ${(BigInt(len) << 32n) | BigInt(addr)})`;
}
