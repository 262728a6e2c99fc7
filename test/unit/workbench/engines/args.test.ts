// Command lines for `ig run`, `kubectl gadget run` and `ig image build`, and the command prefix.
import * as assert from 'node:assert/strict';
import {
  EngineArgsError, displayCommand, igRunArgs, imageBuildArgs, kubectlGadgetRunArgs, outputFlag, splitCommandLine, withPrefix,
} from '../../../../src/workbench/engines';

describe('engines: command lines', () => {
  it('ig run: image, -o json, the params as --key=value in key order', () => {
    assert.deepEqual(igRunArgs({ image: 'hello:latest', params: { verbose_wasm: 'true', 'targ-pid': '42' } }),
      ['run', 'hello:latest', '-o', 'json', '--targ-pid=42', '--verbose_wasm=true']);
  });

  it('a value that starts with "-" or holds spaces stays one argument', () => {
    assert.deepEqual(igRunArgs({ image: 'g', params: { filter: '-x y' } }).slice(-1), ['--filter=-x y']);
  });

  it('several data sources: JSON asked per data source by name', () => {
    assert.equal(outputFlag(['open', 'exec']), 'open:json,exec:json');
    assert.equal(outputFlag(['open']), 'json');
    assert.equal(outputFlag(undefined), 'json');
    assert.throws(() => outputFlag(['a:b', 'c']), /cannot be given to IG's --output/);
  });

  it('ig filters by container only; the Kubernetes selectors are refused with the way out', () => {
    assert.deepEqual(igRunArgs({ image: 'g', selectors: { containername: 'c3' } }), ['run', 'g', '-o', 'json', '--containername', 'c3']);
    assert.throws(() => igRunArgs({ image: 'g', selectors: { namespace: 'default', podname: 'p' } }),
      (e: Error) => e instanceof EngineArgsError && /namespace, podname need kubectl gadget/.test(e.message));
  });

  it('kubectl gadget run: IG\'s selector flags and the context', () => {
    assert.deepEqual(kubectlGadgetRunArgs({
      image: 'ghcr.io/me/hello:1', datasources: ['open'], context: 'kind-dev', params: { k: 'v' },
      selectors: { namespace: 'demo', node: 'n1', podname: 'p', containername: 'c', selector: 'app=myapp' },
    }), ['run', 'ghcr.io/me/hello:1', '-o', 'json', '--namespace', 'demo', '--node', 'n1', '--podname', 'p', '--containername', 'c',
      '--selector', 'app=myapp', '--context', 'kind-dev', '--k=v']);
    assert.deepEqual(kubectlGadgetRunArgs({ image: 'g', selectors: { allNamespaces: true } }), ['run', 'g', '-o', 'json', '--all-namespaces']);
    assert.throws(() => kubectlGadgetRunArgs({ image: 'g', selectors: { allNamespaces: true, namespace: 'x' } }), /not both/);
  });

  it('refuses what is not an image or a flag name', () => {
    assert.throws(() => igRunArgs({ image: '  ' }), /no image/);
    assert.throws(() => igRunArgs({ image: '--help' }), /not an image reference/);
    assert.throws(() => igRunArgs({ image: 'g', params: { 'bad key': '1' } }), /cannot be a command-line flag/);
  });

  it('ig image build FOLDER -t TAG', () => {
    assert.deepEqual(imageBuildArgs('/g/hello', 'hello:dev'), ['image', 'build', '/g/hello', '-t', 'hello:dev']);
  });

  it('the command prefix: words, quotes, and the executable it runs', () => {
    assert.deepEqual(splitCommandLine(' sudo  -n -E '), ['sudo', '-n', '-E']);
    assert.deepEqual(splitCommandLine(`"/opt/my sudo" -n ''`), ['/opt/my sudo', '-n', '']);
    assert.deepEqual(splitCommandLine(''), []);
    assert.throws(() => splitCommandLine('sudo "-n'), /unclosed "/);
    assert.deepEqual(withPrefix(['sudo', '-n'], 'ig', ['run', 'g']), { command: 'sudo', args: ['-n', 'ig', 'run', 'g'], prefix: ['sudo', '-n'] });
    assert.deepEqual(withPrefix([], '/usr/local/bin/ig', ['version']), { command: '/usr/local/bin/ig', args: ['version'], prefix: [] });
    assert.equal(displayCommand(withPrefix(['sudo', '-n'], 'ig', ['run', 'g', '--f=a b'])), `sudo -n ig run g '--f=a b'`);
  });
});
