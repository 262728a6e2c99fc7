// Run Gadget's pure input checks: build.yaml's `wasm:`, status-bar counts (src/workbench/run/messages.ts) (param checks: metadata/params.test.ts).
import * as assert from 'node:assert/strict';
import { wasmFromBuildYaml } from '../../../src/extension/inputs';
import { formatCount } from '../../../src/workbench/run/messages';

describe('extension inputs', () => {
  describe('wasmFromBuildYaml', () => {
    it('returns `wasm:` when it names a .wasm file, quoted or not, with a comment after it', () => {
      assert.equal(wasmFromBuildYaml('wasm: hello.wasm\n'), 'hello.wasm');
      assert.equal(wasmFromBuildYaml('ebpfsource: program.bpf.c\nwasm: "build/gadget.wasm"  # built by make\n'), 'build/gadget.wasm');
      assert.equal(wasmFromBuildYaml("wasm: 'out/x.WASM'"), 'out/x.WASM');
    });

    it('ignores sources, nested keys and files without it', () => {
      assert.equal(wasmFromBuildYaml('wasm: program.go\n'), undefined, 'IG builds it from Go source: nothing to run yet');
      assert.equal(wasmFromBuildYaml('cflags:\n  wasm: nested.wasm\n'), undefined);
      assert.equal(wasmFromBuildYaml('ebpfsource: program.bpf.c\n'), undefined);
      assert.equal(wasmFromBuildYaml(''), undefined);
    });
  });

  it('formats counts for the status bar', () => {
    assert.deepEqual([0, 950, 1234, 35_000, 1_400_000].map(formatCount), ['0', '950', '1.2k', '35k', '1.4M']);
  });
});
