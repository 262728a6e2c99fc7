import * as assert from 'node:assert/strict';
import { toWireDataSource } from '../../../../src/extension/grid/wire';
import type { DataSourceInfo } from '../../../../src/host/api';
import type { GadgetMetadata } from '../../../../src/metadata/types';

const ds: DataSourceInfo = {
  name: 'open', type: 'single', origin: 'host',
  fields: [
    { name: 'pid', kind: 'uint32', tags: [], origin: 'host' },
    { name: 'flags', kind: 'uint32', tags: [], origin: 'guest' },
  ],
};
const metadata: GadgetMetadata = {
  datasources: { open: { annotations: {}, fields: { pid: { annotations: { template: 'pid' } }, flags: { annotations: { 'columns.hex': 'true' } } } } },
  wasmParams: {},
};

describe('grid data source description (extension side)', () => {
  it('joins the host\'s fields with their gadget.yaml annotations, guest-added fields included', () => {
    assert.deepEqual(toWireDataSource(ds, metadata, undefined), {
      name: 'open', type: 'single', origin: 'host',
      fields: [
        { name: 'pid', kind: 'uint32', annotations: { template: 'pid' } },
        { name: 'flags', kind: 'uint32', annotations: { 'columns.hex': 'true' } },
      ],
    });
  });

  it('works without gadget.yaml and ignores remembered choices of the wrong shape', () => {
    const w = toWireDataSource(ds, undefined, { visible: 'x' } as never);
    assert.deepEqual(w.fields.map((f) => f.annotations), [{}, {}]);
    assert.equal(w.prefs, undefined);
    const p = toWireDataSource(ds, undefined, { visible: { pid: false }, widths: { flags: 90 } });
    assert.deepEqual(p.prefs, { visible: { pid: false }, widths: { flags: 90 } });
  });
});
