// Run orchestration without VS Code: the extension passes adapters for its UI and files (ports.ts).
export { RunOrchestrator } from './orchestrator';
export { RunSession } from './session';
export { EmbeddedEngine } from './embedded';
export type { Engine, EngineNote, RunEvent, RunSetup, RunningRun } from './engine';
export { LastGuestError, failureMessage, firstLine, formatCount, noWasmMessage } from './messages';
export type { FailureContext, NoWasmAction, NoWasmFacts } from './messages';
export type * from './ports';
