// Public entry of the gadget.yaml library (no `vscode` import: shared by the CLI, the extension and tests).
export { decodeGadgetYaml, lintGadgetYaml, lintGadgetYamlBytes } from './lint';
export type { LintOptions } from './lint';
export { hoverAt, completionsAt, outline } from './editor';
export { isGadgetYaml } from './detect';
export { readGadgetConfig, readGadgetMetadata } from './read';
export { SCHEMA } from './schema';
export { ANNOTATIONS, TEMPLATES, TYPE_HINTS, annotationInfo } from './catalogue';
export type { AnnotationInfo, AnnotationScope, TemplateInfo } from './catalogue';
export * from './types';
export { objectDiagnostics, updateEdits } from './object';
export type { ObjectFacts } from './object';
