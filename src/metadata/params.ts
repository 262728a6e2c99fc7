// The rules of a gadget's params (IG's pkg/params), in one place for the CLI (`--param`), Run Gadget's
// input boxes and the gadget.yaml linter: type hint validation, possible values, defaults, mandatory
// params and the wasm operator's key prefix. No vscode import.
import { TYPE_HINTS } from './catalogue';
import { codeList } from './text';
import type { WasmParam } from './types';

/** IG registers wasm params under this prefix (`--operator.oci.wasm.<key>`); the bare key is accepted too. */
export const WASM_PARAM_PREFIX = 'operator.oci.wasm.';

/** A param key without the wasm operator's prefix. */
export function paramKey(key: string): string {
  return key.startsWith(WASM_PARAM_PREFIX) ? key.slice(WASM_PARAM_PREFIX.length) : key;
}

export function isKnownTypeHint(hint: string): boolean {
  return (TYPE_HINTS as readonly string[]).includes(hint);
}

const INT_BITS: Record<string, number> = { int: 64, int8: 8, int16: 16, int32: 32, int64: 64 };
const UINT_BITS: Record<string, number> = { uint: 64, uint8: 8, uint16: 16, uint32: 32, uint64: 64 };

/** What a value of a type hint must look like, or undefined when `s` is fine (strconv's rules for numbers). */
export function typeHintProblem(hint: string | undefined, s: string): string | undefined {
  const h = hint || 'string';
  if (h in INT_BITS) {
    if (!/^[-+]?\d+$/.test(s)) return `a whole number (${h})`;
    const max = (1n << BigInt(INT_BITS[h]! - 1)) - 1n;
    const v = BigInt(s);
    return v < -max - 1n || v > max ? `out of range for ${h} (${-max - 1n} … ${max})` : undefined;
  }
  if (h in UINT_BITS) {
    // strconv.ParseUint takes no sign.
    if (!/^\d+$/.test(s)) return `a whole number ≥ 0 (${h})`;
    const max = (1n << BigInt(UINT_BITS[h]!)) - 1n;
    return BigInt(s) > max ? `out of range for ${h} (0 … ${max})` : undefined;
  }
  switch (h) {
    // IG's ValidateBool: "true" or "false" in any case; not 1/0.
    case 'bool': return /^(true|false)$/i.test(s) ? undefined : 'true or false';
    case 'float32': case 'float64': return s.trim() !== '' && Number.isFinite(Number(s)) ? undefined : `a number (${h})`;
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

/**
 * Checks a value the way IG's ParamDesc.Validate does: an empty value only matters for a mandatory param
 * (here it means "unset"); with possible values the value must be one of them (and the type hint is not
 * checked); otherwise the type hint's rule. The problem, or undefined when fine.
 */
export function paramValueProblem(p: Pick<WasmParam, 'key' | 'title' | 'typeHint' | 'possibleValues' | 'isMandatory'>, s: string): string | undefined {
  if (s === '') return p.isMandatory ? `${p.title ?? p.key} is mandatory` : undefined;
  if (p.possibleValues?.length) return p.possibleValues.includes(s) ? undefined : `one of ${p.possibleValues.join(', ')}`;
  return typeHintProblem(p.typeHint, s);
}

/** A problem of paramValueProblem as a predicate: "is not a number (float64)", "is out of range for int8 (…)". */
export function isNot(problem: string): string {
  return problem.startsWith('out of range') ? `is ${problem}` : `is not ${problem}`;
}

/** A param problem that stops a run, with the param and what is wrong as data. */
export class ParamError extends Error {
  constructor(readonly param: string, readonly reason: 'unknown' | 'mandatory' | 'value', message: string) {
    super(message);
  }
}

/**
 * The values a run gets, by param key (IG registers a param under its `key`, else its name): each given
 * value (keys with or without the wasm prefix), else the param's default; every resulting value checked.
 * Without declarations (no gadget.yaml) the given values pass as they are. Throws ParamError.
 */
export function resolveParams(decls: Readonly<Record<string, WasmParam>> | undefined, given: Readonly<Record<string, string>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) values[paramKey(k)] = v;
  if (!decls) return values;
  const byKey = new Map(Object.entries(decls).map(([name, p]) => [p.key || name, p]));
  for (const k of Object.keys(values)) {
    if (!byKey.has(k)) {
      const declared = [...byKey.keys()];
      throw new ParamError(k, 'unknown', `unknown param '${k}': gadget.yaml declares ${declared.length ? declared.join(', ') : 'no wasm params'} (params.wasm)`);
    }
  }
  const out: Record<string, string> = {};
  for (const [k, p] of byKey) {
    const v = values[k] ?? p.defaultValue;
    if (p.isMandatory && (v === undefined || v === '')) throw new ParamError(k, 'mandatory', `param '${k}' is mandatory`);
    if (v === undefined) continue;
    const problem = paramValueProblem({ ...p, key: k }, v);
    if (problem) throw new ParamError(k, 'value', `param '${k}': '${v}' ${isNot(problem)}`);
    out[k] = v;
  }
  return out;
}

/** A problem in a param's declaration, on the key it concerns (the linter puts it on that key's node). */
export interface ParamDeclProblem {
  code: 'unknown-type-hint' | 'default-not-possible' | 'default-invalid' | 'mandatory-with-default' | 'param-key-mismatch';
  on: 'typeHint' | 'defaultValue' | 'isMandatory' | 'key';
  message: string;
}

/** What is wrong with a param's declaration in gadget.yaml (values as Go reads them: text). */
export function paramDeclProblems(name: string, operator: string, p: { key?: string; typeHint?: string; defaultValue?: string; possibleValues?: readonly string[]; isMandatory?: boolean }): ParamDeclProblem[] {
  const out: ParamDeclProblem[] = [];
  const hint = p.typeHint;
  if (hint !== undefined && !isKnownTypeHint(hint)) {
    out.push({ code: 'unknown-type-hint', on: 'typeHint', message: `IG knows no type hint \`${hint}\`; the value is treated as a plain string.` });
  }
  const def = p.defaultValue;
  if (def !== undefined && def !== '') {
    const values = (p.possibleValues ?? []).filter((s) => s !== '');
    if (values.length && !values.includes(def)) {
      out.push({ code: 'default-not-possible', on: 'defaultValue', message: `defaultValue \`${def}\` is not one of possibleValues (${codeList(values)}); IG rejects it as soon as the default is used.` });
    }
    const wrong = values.length ? undefined : typeHintProblem(hint, def);
    if (wrong) {
      out.push({ code: 'default-invalid', on: 'defaultValue', message: `defaultValue \`${def}\` ${isNot(wrong)}; IG rejects it as soon as the default is used.` });
    }
    if (p.isMandatory === true) {
      out.push({ code: 'mandatory-with-default', on: 'isMandatory', message: `Param \`${name}\` is mandatory but has defaultValue \`${def}\`, so it is never missing: drop the default or \`isMandatory\`.` });
    }
  }
  // For ebpf params the map key is the C variable and `key` the flag name; they differ on purpose.
  if (p.key !== undefined && operator !== 'ebpf' && p.key !== name) {
    out.push({ code: 'param-key-mismatch', on: 'key', message: `Param \`${name}\` has \`key: ${p.key}\`; IG registers it as \`--${p.key}\`, so the map key \`${name}\` is misleading. Use the same name for both.` });
  }
  return out;
}
