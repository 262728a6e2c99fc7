// Builds the TextMate injection grammars committed under syntaxes/ from the project's own lists: IG's
// gadget.yaml vocabulary (src/metadata catalogue and schema) and IG's eBPF C names (src/ebpf/gadget-names).
// Regenerate after changing those lists: `npx tsc -p . && node scripts/syntaxes.mjs`; a unit test fails
// when the committed files differ from what this module builds.
//
// VS Code injects grammars by scope, not by file name: these apply to every YAML and every C file. So they
// only mark words that are IG's own (namespaced annotation keys, IG's top-level keys at column 0, template
// names after `template:`, GADGET_* macros, gadget_* types) and leave generic keys such as `name:` and
// `description:` alone; in other files they almost never fire.
import { ANNOTATIONS, TEMPLATES } from '../metadata/catalogue';
import { SCHEMA } from '../metadata/schema';
import { GADGET_MACROS, GADGET_TYPES } from '../ebpf/gadget-names';

export interface GrammarRule {
  name: string;
  match: string;
}

export interface InjectionGrammar {
  scopeName: string;
  injectionSelector: string;
  patterns: GrammarRule[];
}

export const YAML_INJECTION_SCOPE = 'ig.gadget-yaml.injection';
export const C_INJECTION_SCOPE = 'ig.gadget-bpf-c.injection';

/** Token scopes the grammars assign (tests and the E2E check read them from here). */
export const SCOPES = {
  annotationKey: 'support.type.property-name.annotation.gadget.ig',
  topLevelKey: 'support.type.top-level.gadget.ig',
  paramsSection: 'support.type.params-section.gadget.ig',
  templateName: 'variable.other.constant.template.gadget.ig',
  // A keyword colour, as for `struct`: the host colours the macro like a function call otherwise.
  macro: 'keyword.other.gadget-macro.ig',
  deprecatedMacro: 'keyword.other.gadget-macro.deprecated.ig',
  removedMacro: 'invalid.deprecated.gadget-macro.ig',
  specialType: 'support.type.gadget.ig',
} as const;

/** Keys also common outside gadget.yaml: marking them would colour every YAML file. */
export const GENERIC_KEYS: readonly string[] = ['name', 'description'];

// The host (VS Code's YAML grammar) gives a block key these scopes; ours keep them underneath.
const YAML_KEY = 'meta.map.key.yaml string.unquoted.plain.yaml entity.name.tag.yaml';
const YAML_PLAIN_VALUE = 'string.unquoted.plain.out.yaml';
// A key starts a line (after indentation, which the host consumes), a flow mapping, or follows `- ` / `? `.
const KEY_START = '(?<![^\\s{,?-])';
const KEY_END = '(?=[ \\t]*:(?:[ \\t]|$))';
const LINE_REST = '[ \\t]*(?:#.*)?$';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An alternation of literal words, longest first. */
export function wordList(words: readonly string[]): string {
  return [...new Set(words)].sort((a, b) => b.length - a.length || a.localeCompare(b)).map(escapeRegExp).join('|');
}

/** Annotation names with a namespace or a dash: IG's own (`columns.width`, `enable-containers-datasource`). */
export function yamlAnnotationKeys(): string[] {
  return ANNOTATIONS.map((a) => a.name).filter((n) => /[.-]/.test(n));
}

export function yamlTopLevelKeys(): string[] {
  return Object.keys(SCHEMA.properties ?? {}).filter((k) => !SCHEMA.properties![k]!.deprecated && !GENERIC_KEYS.includes(k));
}

export function yamlParamsSections(): string[] {
  return Object.keys(SCHEMA.properties?.params?.properties ?? {});
}

export function buildYamlInjection(): InjectionGrammar {
  const templates = wordList(TEMPLATES.map((t) => t.name));
  // Oniguruma look-behinds need fixed-length alternatives: up to four blanks after `template:`.
  const afterTemplate = [' ', '  ', '   ', '    ', '\\t'].map((s) => `(?i:template):${s}`).join('|');
  return {
    scopeName: YAML_INJECTION_SCOPE,
    // `L:` makes our rules win over the host's at the same position; never inside comments or quotes.
    injectionSelector: 'L:source.yaml -comment -string.quoted',
    patterns: [
      // IG (viper) reads keys case-insensitively: `columns.maxWidth` works, so it is marked too.
      { name: `${YAML_KEY} ${SCOPES.annotationKey}`, match: `${KEY_START}(?i:${wordList(yamlAnnotationKeys())})${KEY_END}` },
      // `template:` only with a known template name after it (a bare `template:` is everywhere in k8s YAML).
      { name: `${YAML_KEY} ${SCOPES.annotationKey}`, match: `${KEY_START}(?i:template)(?=[ \\t]*:[ \\t]+(?:${templates})${LINE_REST})` },
      { name: `${YAML_PLAIN_VALUE} ${SCOPES.templateName}`, match: `(?<=${afterTemplate})(?:${templates})(?=${LINE_REST})` },
      { name: `${YAML_KEY} ${SCOPES.topLevelKey}`, match: `^(?i:${wordList(yamlTopLevelKeys())})${KEY_END}` },
      // params.ebpf / params.wasm / params.custom: one indentation step in, opening a mapping.
      { name: `${YAML_KEY} ${SCOPES.paramsSection}`, match: `(?<=^  |^    |^\\t)(?:${wordList(yamlParamsSections())})(?=[ \\t]*:${LINE_REST})` },
    ],
  };
}

export function buildCInjection(): InjectionGrammar {
  const macros = (status: string): string => wordList(GADGET_MACROS.filter((m) => m.status === status).map((m) => m.name));
  return {
    scopeName: C_INJECTION_SCOPE,
    injectionSelector: 'L:source.c -comment -string',
    patterns: [
      { name: SCOPES.macro, match: `\\b(?:${macros('current')})\\b` },
      { name: SCOPES.deprecatedMacro, match: `\\b(?:${macros('deprecated')})\\b` },
      { name: SCOPES.removedMacro, match: `\\b(?:${macros('removed')})\\b` },
      { name: SCOPES.specialType, match: `\\b(?:${wordList(GADGET_TYPES)})\\b` },
    ],
  };
}

/** The files under syntaxes/ and what goes in them. */
export const GRAMMAR_FILES: Readonly<Record<string, () => InjectionGrammar>> = {
  'gadget-yaml.injection.tmLanguage.json': buildYamlInjection,
  'gadget-bpf-c.injection.tmLanguage.json': buildCInjection,
};
