// fieldGetScalar and fieldSet served inside the i64 shim (engine/i64-shim.ts), in wasm: a guest's call
// then never crosses into JS when both handles are plain, the field has fixed storage of the access kind's
// size and belongs to the record's data source, and the record lives in the host memory
// (engine/host-memory.ts). These are exactly the calls that cannot fail; every other call — bad handles,
// kinds, sizes, foreign fields, flagged array elements, dynamic fields — falls through to the JS function
// in fields.ts, which checks everything and reports errors. The reads and writes follow fields.ts: signed
// kinds sign-extended, floats as raw bits, Bool read as 1 iff the byte is 1 and written as value != 0.
import { HM } from '../engine/host-memory';
import type { InlineCode } from '../engine/i64-shim';
import { MAX_HANDLES } from '../engine/handles';
import { EMPTY_BLOCK, Op, i32Const, mem } from '../engine/wasm-asm';
import type { FuncType } from '../engine/wasm-binary';

// Parameters (field, data, kind, errPtr | value), then the locals: field entry, record block, address.
const FIELD = 0, DATA = 1, KIND = 2, VALUE = 3;
const FE = 4, RB = 5, AT = 6;

/**
 * The checks shared by both functions, inside a block whose end is the slow path: leaves AT = the
 * field's address in the host memory less HM.RECORD_HEADER when the call is valid.
 */
function resolve(): number[] {
  const inRange = (local: number) => [Op.LocalGet, local, ...i32Const(1), Op.I32Sub, ...i32Const(MAX_HANDLES), Op.I32GeU, Op.BrIf, 0];
  return [
    ...inRange(FIELD), ...inRange(DATA), // 1..4096; flagged element handles are negative
    Op.LocalGet, KIND, ...i32Const(16), Op.I32GeU, Op.BrIf, 0,
    // The record's block (0: no such record in the arena) and the field's entry (16 bytes a handle).
    Op.LocalGet, DATA, ...i32Const(2), Op.I32Shl, ...mem(Op.I32Load, HM.RECORDS), Op.LocalTee, RB, Op.I32Eqz, Op.BrIf, 0,
    Op.LocalGet, FIELD, ...i32Const(4), Op.I32Shl, Op.LocalSet, FE,
    // The field's data source id (0: no such field) is the record's.
    Op.LocalGet, FE, ...mem(Op.I32Load, HM.FIELDS), Op.LocalTee, AT, Op.I32Eqz, Op.BrIf, 0,
    Op.LocalGet, AT, Op.LocalGet, RB, ...mem(Op.I32Load), Op.I32Ne, Op.BrIf, 0,
    // The record was created with the field (index < field count).
    Op.LocalGet, FE, ...mem(Op.I32Load, HM.FIELDS + 4), Op.LocalGet, RB, ...mem(Op.I32Load, 4), Op.I32GeU, Op.BrIf, 0,
    // Its size is the access kind's (non-scalar kinds have size 0, never a field's).
    Op.LocalGet, FE, ...mem(Op.I32Load, HM.FIELDS + 12), Op.LocalGet, KIND, ...mem(Op.I32Load8U, HM.KIND_SIZE), Op.I32Ne, Op.BrIf, 0,
    Op.LocalGet, RB, Op.LocalGet, FE, ...mem(Op.I32Load, HM.FIELDS + 8), Op.I32Add, Op.LocalSet, AT,
  ];
}

/**
 * `block*n; kind; br_table; end; case0; end; case1 …`: one case per distinct action, `targets[kind]` the
 * case of each kind 0..11 (-1: the slow path, one level out). Each case must end in `return`.
 */
function byKind(targets: readonly number[], cases: readonly number[][]): number[] {
  const n = cases.length;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Op.Block, EMPTY_BLOCK);
  out.push(Op.LocalGet, KIND, Op.BrTable, targets.length, ...targets.map((t) => (t < 0 ? n : t)), n);
  cases.forEach((c) => out.push(Op.End, ...c));
  return out;
}

function inline(body: number[]): InlineCode {
  return { locals: ['i32', 'i32', 'i32'], code: [Op.Block, EMPTY_BLOCK, ...resolve(), ...body, Op.End] };
}

/** (field i32, data i32, kind i32, errPtr i32) -> i64. */
export function fieldGetScalarInline(): InlineCode {
  const load = (op: Op) => [Op.LocalGet, AT, ...mem(op, HM.RECORD_HEADER), Op.Return];
  // Kinds: 1 Bool, 2 Int8, 3 Int16, 4 Int32, 5 Int64, 6 Uint8, 7 Uint16, 8 Uint32, 9 Uint64, 10 Float32, 11 Float64.
  return inline(byKind([-1, 0, 1, 2, 3, 4, 5, 6, 7, 4, 7, 4], [
    [Op.LocalGet, AT, ...mem(Op.I32Load8U, HM.RECORD_HEADER), ...i32Const(1), Op.I32Eq, Op.I64ExtendI32U, Op.Return],
    load(Op.I64Load8S), load(Op.I64Load16S), load(Op.I64Load32S), load(Op.I64Load),
    load(Op.I64Load8U), load(Op.I64Load16U), load(Op.I64Load32U),
  ]));
}

/** (field i32, data i32, kind i32, value i64) -> (i32) today (0: done), -> () in the seed revision. */
export function fieldSetInline(type: FuncType): InlineCode {
  const ok = type.results.length > 0 ? [...i32Const(0), Op.Return] : [Op.Return];
  const store = (op: Op) => [Op.LocalGet, AT, Op.LocalGet, VALUE, ...mem(op, HM.RECORD_HEADER), ...ok];
  return inline(byKind([-1, 0, 1, 2, 3, 4, 1, 2, 3, 4, 3, 4], [
    [Op.LocalGet, AT, Op.LocalGet, VALUE, Op.I64Const, 0, Op.I64Ne, ...mem(Op.I32Store8, HM.RECORD_HEADER), ...ok],
    store(Op.I64Store8), store(Op.I64Store16), store(Op.I64Store32), store(Op.I64Store),
  ]));
}
