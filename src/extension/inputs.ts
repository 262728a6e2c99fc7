// Pure checks and formatting for Run Gadget's inputs: no `vscode` import, so unit tests run them in Node.
import type { WasmParam } from '../metadata/types';

const INT_BITS: Record<string, number> = { int: 64, int8: 8, int16: 16, int32: 32, int64: 64 };
const UINT_BITS: Record<string, number> = { uint: 64, uint8: 8, uint16: 16, uint32: 32, uint64: 64 };

/** Checks a param value as IG's params parser would for its type hint; the problem, or undefined when fine. */
export function validateParam(p: WasmParam, s: string): string | undefined {
  if (s === '') return p.isMandatory ? `${p.title ?? p.key} is mandatory` : undefined;
  const hint = p.typeHint ?? 'string';
  if (hint in INT_BITS) {
    if (!/^[-+]?\d+$/.test(s)) return `a whole number (${hint})`;
    const max = (1n << BigInt(INT_BITS[hint]! - 1)) - 1n;
    const v = BigInt(s);
    return v < -max - 1n || v > max ? `out of range for ${hint} (${-max - 1n} … ${max})` : undefined;
  }
  if (hint in UINT_BITS) {
    if (!/^\+?\d+$/.test(s)) return `a whole number ≥ 0 (${hint})`;
    const max = (1n << BigInt(UINT_BITS[hint]!)) - 1n;
    return BigInt(s) > max ? `out of range for ${hint} (0 … ${max})` : undefined;
  }
  switch (hint) {
    case 'bool': return /^(true|false|1|0|t|f)$/i.test(s) ? undefined : 'true or false';
    case 'float32': case 'float64': return s.trim() !== '' && Number.isFinite(Number(s)) ? undefined : `a number (${hint})`;
    case 'duration': return /^[-+]?(\d+(\.\d*)?(ns|us|µs|ms|s|m|h))+$|^0$/.test(s) ? undefined : 'a duration like 500ms, 5s or 1m30s';
    case 'ip': return isIp(s) ? undefined : 'an IPv4 or IPv6 address';
    default: return undefined;
  }
}

function isIp(s: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) return v4.slice(1).every((x) => Number(x) <= 255);
  return /^[0-9a-f:]+$/i.test(s) && s.includes(':') && (s.match(/::/g) ?? []).length <= 1 && s.split(':').length <= 8;
}

/** build.yaml's top-level `wasm:` when it names a compiled module (IG's build.yaml usually names the Go or
 *  Rust source there, which we cannot run). A one-key look-up that needs no YAML parser. */
export function wasmFromBuildYaml(text: string): string | undefined {
  const m = /^wasm:[ \t]*(['"]?)([^'"#\r\n]+?)\1[ \t]*(?:#.*)?$/m.exec(text);
  const value = m?.[2]?.trim();
  return value && value.toLowerCase().endsWith('.wasm') ? value : undefined;
}

/** Short counts for the status bar: 950, 1.2k, 35k, 1.4M. */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}
