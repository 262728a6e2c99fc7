// The workbench's logic that is not VS Code's business, kept vscode-free so it is unit-tested and shared:
// which eBPF object a gadget uses and what IG derives from it, and the Gadgets tree's merged model.
// src/extension/ only asks these modules and turns the answers into VS Code calls.
export { OBJECT_DIRS, chooseObject, readObject, objectFactsFor } from './object';
export type { ObjectReading } from './object';
export { gadgetLocation, gadgetModel, fieldDescription } from './tree-model';
export type { GadgetModel, GadgetSources, DataSourceModel, FieldModel, ParamModel, EbpfParamModel, Origin } from './tree-model';
export { NULL_GUEST } from '../host/engine/null-guest';
export { goArch } from '../ebpf';
export { clangArgs, parseClangOutput } from './build';
export type { CompilerDiagnostic } from './build';
export { runDataSources, withObjectAnnotations } from './run-setup';
export { readImageGadget } from './image';
export type { ImageGadget } from './image';
