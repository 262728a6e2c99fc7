// Typed access to the JS WebAssembly API. tsconfig's libs (ES2022 + @types/node 20) do not declare the
// `WebAssembly` global, and adding the DOM lib would leak browser globals into host code; this module
// declares the small part the host uses, locally.

export interface WasmMemory { readonly buffer: ArrayBuffer; grow(delta: number): number }
export interface WasmTable { readonly length: number }
// A guest export's signature is known only once the module is parsed: callers pass numbers or bigints and
// read back what the guest returns, so its parameters and result stay `any`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WasmExportValue = ((...args: any[]) => any) | WasmMemory | WasmTable | { value: unknown };
export type WasmExports = Record<string, WasmExportValue>;
export interface WasmInstance { readonly exports: WasmExports }
export type WasmModule = object;
export type WasmImports = Record<string, Record<string, unknown>>;

interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
  Table: new (d: { element: 'anyfunc' | 'externref'; initial: number; maximum?: number }) => WasmTable;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: WasmImports) => WasmInstance;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(m: WasmModule, imports: WasmImports): Promise<WasmInstance>;
  validate(bytes: Uint8Array): boolean;
  RuntimeError: new (message?: string) => Error;
  CompileError: new (message?: string) => Error;
  LinkError: new (message?: string) => Error;
}

export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export function isMemory(v: unknown): v is WasmMemory {
  return v instanceof Wasm.Memory;
}
