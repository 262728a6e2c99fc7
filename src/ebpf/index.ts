// The eBPF side of a gadget, vscode-free and without node imports: ELF/BTF readers, IG's derivation of
// data sources, fields, params and maps, and gadget images (OCI tarballs).
export { EbpfError, IgRefusal } from './errors';
export { parseElf, isElf } from './elf';
export { parseBtf, readObjectBtf } from './btf';
export type { Btf, BtfType, BtfKind } from './btf';
export { loadCollectionSpec, mapTypeFromName, mapTypeName, MAP_TYPE_NAMES } from './collection';
export type { CollectionSpec, MapSpec, ProgramSpec } from './collection';
export { inspectObject, deriveGadget } from './gadget';
export type { GadgetSpec, EbpfDataSource, EbpfMap, EbpfProgram } from './gadget';
export type { EbpfField, FieldOrigin } from './fields';
export type { EbpfParam, GadgetConfig } from './params';
export { ebpfKindName, arrayOf, isArrayKind, KIND_FLAG_ARRAY } from './kinds';
export { readGadgetImage, goArch, MEDIA } from './oci';
export type { GadgetImage } from './oci';
export { isTar, readTar } from './tar';
export { toReport } from './report';
export type { InspectReport } from './report';
export { gadgetConfigFromYaml } from './config';
export { objectFacts, lintFacts, checkParamVar } from './facts';
