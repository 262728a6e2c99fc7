// Events files: what the CLI, the extension and the tests feed a gadget's host-side data sources.
export { EventsFileError, parseEventsFile, convertPacket, flatten, toValue } from './parse';
export type { EventsFile, ParseOptions, RawEvent, RawRecord, RawValue } from './parse';
export { checkDeclaredPackets, feedEvents } from './feed';
export type { FeedOptions, PacketSink } from './feed';
export { kernelFromEvents, kernelMaps, parseKernelSections } from './kernel';
export type { EventsKernel, EventsMap, ObjectMaps } from './kernel';
export { KernelInputError, kernelForRun, machineArch } from './machine';
export type { KernelArgs, MapDecoder } from './machine';
export { entryTexts, mapsRecord, mapsTables } from './map-view';
