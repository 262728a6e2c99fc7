// IG's stderr (logrus in both of its forms, cobra's Error line), failures in one message, the kubeconfig
// context and `ig image build`'s diagnostics.
import * as assert from 'node:assert/strict';
import {
  builtImage, currentContext, exitFailure, failureText, imageBuildDiagnostics, kubeconfigFiles, parseStderrLine, spawnFailure,
} from '../../../../src/workbench/engines';

describe('engines: stderr and failures', () => {
  it('logrus on a pipe: level, quoted message with Go escapes, extra fields kept', () => {
    assert.deepEqual(parseStderrLine('time="2024-07-31T13:20:49-05:00" level=info msg="init: hello from wasm"'),
      { level: 'info', message: 'init: hello from wasm', form: 'logfmt' });
    assert.deepEqual(parseStderrLine('time="t" level=warning msg="said \\"hi\\"\\tthere" gadget=hello'),
      { level: 'warn', message: 'said "hi"\tthere gadget=hello', form: 'logfmt' });
    assert.equal(parseStderrLine('time="t" level=fatal msg=boom')?.level, 'error');
    assert.equal(parseStderrLine('level=debug msg=x')?.level, 'debug');
  });

  it('logrus on a terminal (IG\'s docs): INFO[0000] message, colours stripped', () => {
    assert.deepEqual(parseStderrLine('INFO[0000] init: hello from wasm'), { level: 'info', message: 'init: hello from wasm', form: 'terminal' });
    assert.deepEqual(parseStderrLine('\x1b[33mWARN\x1b[0m[0002] slow                                          key=v'),
      { level: 'warn', message: 'slow                                          key=v', form: 'terminal' });
    assert.equal(parseStderrLine('ERRO[0001] x')?.level, 'error');
  });

  it('cobra\'s Error line is an error; other text stays info; blank lines are nothing', () => {
    assert.deepEqual(parseStderrLine('Error: fetching gadget information: not found'), { level: 'error', message: 'fetching gadget information: not found', form: 'text' });
    assert.equal(parseStderrLine('Pulling builder image x')?.level, 'info');
    assert.equal(parseStderrLine('   '), undefined);
  });

  it('not installed, not on PATH, or the prefix missing: one message with the install docs', () => {
    const enoent = Object.assign(new Error('spawn ig ENOENT'), { code: 'ENOENT' });
    const ig = spawnFailure('ig', 'ig', [], enoent);
    assert.equal(ig.kind, 'missing');
    assert.match(ig.message, /ig is not installed or not on PATH \('ig' not found\).*igWorkbench\.engines\.igPath/);
    assert.match(ig.link!, /install-linux/);
    const kg = spawnFailure('kubectl-gadget', 'kubectl-gadget', [], enoent);
    assert.match(kg.message, /kubectl gadget plugin/);
    assert.match(kg.link!, /install-kubernetes/);
    assert.match(spawnFailure('ig', 'doas', ['doas'], enoent).message, /the command prefix 'doas' cannot run.*commandPrefix/);
  });

  const exit = (stderr: string[], more: Partial<Parameters<typeof exitFailure>[1]> = {}): ReturnType<typeof exitFailure> =>
    exitFailure('ig', { code: 1, signal: null, stderr, prefix: [], stopped: false, ...more });

  it('sudo -n without a password, ig without root: the setting to change', () => {
    const pw = exit(['sudo: a password is required'], { prefix: ['sudo', '-n'] });
    assert.equal(pw?.kind, 'rights');
    assert.match(pw!.message, /'sudo -n' asks for a password.*NOPASSWD/);
    const root = exit(['time="t" level=warning msg="memlock: operation not permitted"', 'Error: running gadget: loading eBPF collection: operation not permitted']);
    assert.equal(root?.kind, 'rights');
    assert.match(root!.message, /ig needs root.*'sudo -n'/);
    assert.equal(root!.cause, 'running gadget: loading eBPF collection: operation not permitted');
    assert.equal(exit(['sudo: ig: command not found'], { prefix: ['sudo', '-n'], code: 1 })?.kind, 'missing');
  });

  it('kubectl gadget: no cluster, IG not deployed, no rights', () => {
    const kube = (line: string): ReturnType<typeof exitFailure> => exitFailure('kubectl-gadget', { code: 1, signal: null, stderr: [line], prefix: [], stopped: false, context: 'kind-dev' });
    assert.match(kube('Error: dial tcp 127.0.0.1:6443: connect: connection refused')!.message, /no reachable Kubernetes cluster \(context kind-dev\)/);
    assert.match(kube('Error: no gadget pods found in namespace "gadget". Is Inspektor Gadget deployed?')!.message, /not deployed.*kubectl gadget deploy/);
    assert.equal(kube('Error: pods is forbidden: User "x" cannot list resource "pods"')?.kind, 'rights');
  });

  it('IG\'s own error is quoted; a normal end or a stop is no failure', () => {
    const f = exit(['time="t" level=info msg=x', 'Error: fetching gadget information: pulling image "a": not found']);
    assert.deepEqual(f, { kind: 'failed', message: 'ig exited with status 1', cause: 'fetching gadget information: pulling image "a": not found' });
    assert.equal(failureText(f!), 'ig exited with status 1: fetching gadget information: pulling image "a": not found');
    assert.equal(exit(['time="t" level=error msg="gadgetStart failed"'])?.cause, 'gadgetStart failed');
    assert.equal(exit([], { code: 0 }), undefined);
    assert.equal(exit([], { code: null, signal: 'SIGKILL', stopped: true }), undefined);
    assert.match(exit([], { code: null, signal: 'SIGSEGV' })!.message, /was killed by SIGSEGV/);
  });

  it('the kubeconfig context: $KUBECONFIG\'s first file that sets one, else ~/.kube/config', () => {
    assert.deepEqual(kubeconfigFiles({ KUBECONFIG: '/a:/b' }, '/home/u'), ['/a', '/b']);
    assert.deepEqual(kubeconfigFiles({}, '/home/u'), ['/home/u/.kube/config']);
    const files: Record<string, string> = { '/a': 'apiVersion: v1\nclusters: []\n', '/b': 'current-context: kind-dev\n', '/c': 'current-context: other\n' };
    assert.equal(currentContext(['/missing', '/a', '/b', '/c'], (f) => files[f]), 'kind-dev');
    assert.equal(currentContext(['/a'], (f) => files[f]), undefined);
    assert.equal(currentContext(['/x'], () => ': : bad yaml ['), undefined);
  });

  it('ig image build: clang\'s /work paths and Go\'s file:line:col mapped into the folder; the built image', () => {
    const out = '/work/program.bpf.c:7:2: error: unknown type name \'u32x\'\ngo/program.go:12:5: undefined: foo\n1 error generated.\nError: building gadget\n';
    assert.deepEqual(imageBuildDiagnostics(out, '/g/hello'), [
      { file: '/g/hello/program.bpf.c', line: 7, column: 2, severity: 'error', message: 'unknown type name \'u32x\'' },
      { file: '/g/hello/go/program.go', line: 12, column: 5, severity: 'error', message: 'undefined: foo' },
    ]);
    assert.equal(builtImage('Pulling…\nSuccessfully built docker.io/library/hello:dev@sha256:ab\n'), 'docker.io/library/hello:dev@sha256:ab');
    assert.equal(builtImage('Error: x'), undefined);
  });
});
