// Invariants of the annotation catalogue, and agreement with the grid's copy of IG's column templates.
import * as assert from 'node:assert/strict';
import { ANNOTATIONS, annotationInfo, TEMPLATES } from '../../../src/metadata';

describe('metadata: annotation catalogue', () => {
  it('names are unique and lower-case (IG sees them lower-cased), each documented', () => {
    const names = ANNOTATIONS.map((a) => a.name);
    assert.equal(new Set(names).size, names.length);
    for (const a of ANNOTATIONS) {
      assert.equal(a.name, a.name.toLowerCase(), a.name);
      assert.ok(a.description.length > 10 && a.readBy && a.scopes.length, a.name);
    }
  });

  it('look-up ignores case, as IG does', () => {
    assert.equal(annotationInfo('columns.maxWidth')?.name, 'columns.maxwidth');
    assert.equal(annotationInfo('columns.with'), undefined);
  });

  it('template texts are derived from their annotations', () => {
    for (const t of TEMPLATES) assert.equal(t.sets, Object.entries(t.annotations).map(([k, v]) => `${k}: ${v}`).join(', '));
  });
});
