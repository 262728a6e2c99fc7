// Pure checks for Run Gadget's inputs: no `vscode` import, so unit tests run them in Node.
// (Param values are checked by src/metadata/params.ts, shared with the CLI and the linter.)
/** build.yaml's top-level `wasm:` when it names a compiled module (IG's build.yaml usually names the Go or
 *  Rust source there, which we cannot run). A one-key look-up that needs no YAML parser. */
export function wasmFromBuildYaml(text: string): string | undefined {
  const m = /^wasm:[ \t]*(['"]?)([^'"#\r\n]+?)\1[ \t]*(?:#.*)?$/m.exec(text);
  const value = m?.[2]?.trim();
  return value && value.toLowerCase().endsWith('.wasm') ? value : undefined;
}
