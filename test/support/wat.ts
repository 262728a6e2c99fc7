// Compiles WebAssembly text (WAT) to a binary module at test time with the `wabt` npm package, so test
// guests live next to their tests as readable source instead of committed binaries.
import wabtInit from 'wabt';

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
let wabt: Promise<Wabt> | undefined;

/**
 * Compile WAT source to wasm bytes. Post-MVP features the guests of real toolchains use (bulk memory,
 * sign extension, multi-value, saturating float conversion) are enabled. A syntax or validation error
 * rejects with wabt's message, which names the line and column in `name`.
 */
export async function compileWat(source: string, name = 'guest.wat'): Promise<Uint8Array> {
  wabt ??= wabtInit();
  const w = await wabt;
  const features = {
    bulk_memory: true, sign_extension: true, multi_value: true, sat_float_to_int: true, mutable_globals: true,
  };
  const mod = w.parseWat(name, source, features);
  try {
    mod.resolveNames();
    mod.validate();
    // Copy out: the returned view belongs to wabt's own heap.
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}
