// The wasm module a run uses for a gadget that has no wasm module (an eBPF object alone): it exports only
// gadgetAPIVersion (returning 1), so the run goes through the same host, data sources and formatters.
// Hand-assembled: `(module (func (export "gadgetAPIVersion") (result i64) i64.const 1))`.
const NAME = [...'gadgetAPIVersion'].map((c) => c.charCodeAt(0));

export const NULL_GUEST: Uint8Array = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7e, // type section: () -> i64
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x07, 0x14, 0x01, 0x10, ...NAME, 0x00, 0x00, // export section: "gadgetAPIVersion" = func 0
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x42, 0x01, 0x0b, // code section: i64.const 1; end
]);
