// IG's own engines (`ig`, `kubectl gadget`) as child processes: command lines, the stdout/stderr readers,
// failures, the kubeconfig context and `ig image build`'s diagnostics. vscode-free (unit-tested against
// stand-in executables in test/fixtures/engines).
export { EngineArgsError, displayCommand, imageBuildArgs, igRunArgs, kubectlGadgetRunArgs, outputFlag, paramFlags, runArgs, splitCommandLine, withPrefix } from './args';
export type { CommandLine, EngineKind, EngineRunSpec, Selectors } from './args';
export { JsonEventDecoder, parseJsonLine } from './json-events';
export type { KnownDataSource, LineProblem } from './json-events';
export { parseStderrLine } from './logrus';
export type { StderrLine } from './logrus';
export { ENGINE_SETTINGS, INSTALL_DOCS, exitFailure, failureText, spawnFailure } from './failure';
export type { EngineFailure, ExitInfo, FailureKind } from './failure';
export { onLines, runCommand } from './command';
export type { CommandEnd } from './command';
export { EngineProcess } from './process';
export type { EngineProcessOptions, EngineResult } from './process';
export { currentContext, kubeconfigFiles } from './kubeconfig';
export { BUILDER_MOUNT, builtImage, imageBuildDiagnostics } from './image-build';
export { ProcessEngine, knownDataSources } from './engine';
export type { ProcessEngineOptions } from './engine';
