// The "browser" suite: the grid page in real headless Chromium. Run by scripts/test-all.mjs as
// `node out/test/browser/run.js`; counts go to $COUNTS_FILE through our reporter.

import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import Mocha from 'mocha';

const repo = path.resolve(__dirname, '..', '..', '..');
if (!existsSync(path.join(repo, 'dist', 'webview', 'grid.js'))) {
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const mocha = new Mocha({ reporter: path.join(repo, 'test', 'support', 'count-reporter.js'), timeout: 30_000 });
const grep = process.argv[2];
if (grep) mocha.grep(grep);
for (const f of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
mocha.run((failures) => { process.exitCode = failures ? 1 : 0; });
