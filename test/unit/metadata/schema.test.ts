// The shipped schema: generated from src/metadata/schema-source.ts (no drift), every key documented,
// accepted by ajv, and loadable as plain JSON by other tools (the YAML extension).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { SCHEMA } from '../../../src/metadata';
import { buildSchema } from '../../../src/metadata/schema-source';
import type { SchemaNode } from '../../../src/metadata/schema';
import { REPO } from './helpers';

describe('metadata: gadget.schema.json', () => {
  const file = join(REPO, 'schemas/gadget.schema.json');

  it('the committed file is what schema-source.ts generates (regenerate with --write)', () => {
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), buildSchema());
    assert.deepEqual(SCHEMA, buildSchema());
  });

  it('every key has a title and a description', () => {
    const missing: string[] = [];
    const walk = (s: SchemaNode, path: string): void => {
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (!v.title || !v.description) missing.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
      }
      if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}.*`);
    };
    walk(SCHEMA as SchemaNode, '');
    for (const [name, def] of Object.entries(SCHEMA.definitions ?? {})) {
      if (!def.title || !def.description) missing.push(`#/definitions/${name}`);
      walk(def, `#/definitions/${name}`);
    }
    assert.deepEqual(missing, []);
  });

  it('compiles in strict ajv (no unknown keywords) and validates', () => {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    const v = ajv.compile(SCHEMA);
    assert.equal(v({ name: 'x', datasources: { ds: { fields: { f: { annotations: { 'columns.width': 8 } } } } } }), true);
    assert.equal(v({ name: 'x', params: { ebpf: { p: { isMandatory: 'yes' } } } }), false);
  });
});
