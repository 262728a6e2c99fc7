// Mocha reporter: the spec reporter's output, plus the pass/fail counts written to $COUNTS_FILE so that
// scripts/test-all.mjs can sum every suite (unit, browser, integration inside VS Code, e2e) into one line.
'use strict';
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class CountReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.COUNTS_FILE;
      if (!file) return;
      const s = runner.stats || {};
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ passed: s.passes || 0, failed: s.failures || 0, pending: s.pending || 0 }));
    });
  }
}
module.exports = CountReporter;
