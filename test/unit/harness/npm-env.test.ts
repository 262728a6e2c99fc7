// The nested `npm install code-server` under `npm test`: npm exports its configuration to scripts as
// `npm_config_*`, and a nested npm reads it back. code-server's postinstall takes the Node version from
// `npm_config_user_agent`, so an inherited one (naming the outer Node 20) failed every fresh clone's
// `npm test`. These tests run the real npm with the environment the install uses.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { codeServerInstallEnv, ensureNode, withoutOuterNpm } from '../../support/codeServer';

/** The user agent a nested npm hands its install scripts (what code-server's postinstall reads), run with `env`. */
function nestedUserAgent(env: NodeJS.ProcessEnv): string {
  const r = spawnSync('npm', ['exec', '-c', 'echo "$npm_config_user_agent"'], { env, encoding: 'utf8', cwd: os.tmpdir() });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe('the environment of nested npm installs', function () {
  this.timeout(120_000);
  const outer = { ...process.env, npm_config_user_agent: 'npm/10.0.0 node/v20.0.0 linux x64 outer-npm', npm_lifecycle_event: 'test', INIT_CWD: '/elsewhere' };

  it('an inherited npm_config_user_agent reaches a nested npm (the failure mode this guards against)', () => {
    assert.match(nestedUserAgent(outer), /outer-npm/);
  });

  it('withoutOuterNpm drops npm_* variables and INIT_CWD, keeps the rest', () => {
    const env = withoutOuterNpm({ ...outer, PATH: '/bin', HOME: '/home/x', NPM_CONFIG_CACHE: '/c' });
    assert.deepEqual(Object.keys(env).filter((k) => /^npm_/i.test(k) || k === 'INIT_CWD'), []);
    assert.equal(env.PATH, '/bin');
    assert.equal(env.HOME, '/home/x');
    assert.doesNotMatch(nestedUserAgent({ ...withoutOuterNpm(outer) }), /outer-npm/);
  });

  it('the code-server install runs npm under Node 24, whatever the outer npm said', () => {
    const nodeDir = ensureNode();
    const agent = nestedUserAgent(codeServerInstallEnv(nodeDir, outer));
    assert.doesNotMatch(agent, /outer-npm/);
    assert.match(agent, /node\/v24\./);
  });
});
