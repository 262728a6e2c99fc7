// The contract of the gadget.yaml library, shared by the CLI, the extension and the tests.
// Positions are 0-based (line, character) like LSP and VS Code; the CLI prints them 1-based.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix to apply when the user asks for "the" fix (VS Code's preferred quick fix). */
  preferred?: boolean;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  range: Range;
  /** Stable rule id, e.g. `yaml-syntax`, `duplicate-key`, `unknown-key`, `unknown-annotation`. */
  code: string;
  message: string;
  fixes?: Fix[];
}

export interface LintResult {
  diagnostics: Diagnostic[];
}

export interface Hover {
  markdown: string;
  range: Range;
}

export type CompletionKind = 'key' | 'annotation' | 'value' | 'template' | 'kind';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown documentation. */
  documentation?: string;
  insertText: string;
  /** The text the completion replaces (the word under the cursor). */
  range?: Range;
}

export type OutlineKind = 'gadget' | 'datasources' | 'datasource' | 'fields' | 'field' | 'params' | 'param' | 'annotation' | 'key';

export interface OutlineNode {
  kind: OutlineKind;
  name: string;
  detail?: string;
  /** The whole entry (key and value). */
  range: Range;
  /** The key itself: what to reveal and highlight. */
  selectionRange: Range;
  children: OutlineNode[];
}

/** The parts of gadget.yaml the rest of the product reads (plain data, annotations as strings). */
export interface GadgetMetadata {
  name?: string;
  description?: string;
  datasources: Record<string, {
    annotations: Record<string, string>;
    fields: Record<string, { annotations: Record<string, string> }>;
  }>;
  /** `params.wasm` entries (the wasm operator's params, field `typeHint`). */
  wasmParams: Record<string, WasmParam>;
}

export interface WasmParam {
  key: string;
  title?: string;
  description?: string;
  defaultValue?: string;
  typeHint?: string;
  possibleValues?: string[];
  isMandatory?: boolean;
}
