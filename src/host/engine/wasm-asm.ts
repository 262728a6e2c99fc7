// The few pieces of the wasm binary format the host writes itself: the i64 shim module (i64-shim.ts) and
// the bodies of host functions served inside wasm (abi/fields-wasm.ts). Opcodes by name, so the generated
// code reads as the instructions it is.

/** Instruction opcodes used by generated code (WebAssembly core spec, section 5.4). */
export const enum Op {
  Block = 0x02, End = 0x0b, Br = 0x0c, BrIf = 0x0d, BrTable = 0x0e, Return = 0x0f, Call = 0x10,
  LocalGet = 0x20, LocalSet = 0x21, LocalTee = 0x22,
  I32Load = 0x28, I64Load = 0x29, I32Load8U = 0x2d,
  I64Load8S = 0x30, I64Load8U = 0x31, I64Load16S = 0x32, I64Load16U = 0x33, I64Load32S = 0x34, I64Load32U = 0x35,
  I32Store8 = 0x3a, I64Store = 0x37, I64Store8 = 0x3c, I64Store16 = 0x3d, I64Store32 = 0x3e,
  I32Const = 0x41, I64Const = 0x42,
  I32Eqz = 0x45, I32Eq = 0x46, I32Ne = 0x47, I32GeU = 0x4f, I64Ne = 0x52,
  I32Add = 0x6a, I32Sub = 0x6b, I32Shl = 0x74,
  I64Shl = 0x86, I64ShrU = 0x88, I64Or = 0x84,
  I32WrapI64 = 0xa7, I64ExtendI32U = 0xad,
}

/** Block type of a block that leaves nothing on the stack. */
export const EMPTY_BLOCK = 0x40;

export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer (the immediate of i32.const). */
export function sleb(v: number): number[] {
  const out: number[] = [];
  v |= 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) { out.push(byte); return out; }
    out.push(byte | 0x80);
  }
}

/** `i32.const v`. */
export function i32Const(v: number): number[] {
  return [Op.I32Const, ...sleb(v)];
}

/** A load or store with its memarg: alignment hint 0 (byte; any address is valid) and a constant offset. */
export function mem(op: Op, offset = 0): number[] {
  return [op, 0x00, ...uleb(offset)];
}

export function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function name(s: string): number[] {
  const b = [...Buffer.from(s, 'utf8')];
  return [...uleb(b.length), ...b];
}
