// What a key path in gadget.yaml means: its schema node, and whether it names an annotation (and of what).
import { AnnotationScope } from './catalogue';
import { childSchema, propertyOf, SCHEMA, SchemaNode } from './schema';

export interface PathInfo {
  /** Schema of the value at this path (undefined in free-form parts such as `operator` or `patch`). */
  schema?: SchemaNode;
  /** Set when the last key is an annotation name: where that annotation sits. */
  annotationScope?: AnnotationScope;
  /** Set when the path is an annotations map itself. */
  annotationsOf?: AnnotationScope;
  /** The operator section of a param (`ebpf`, `wasm`, `custom`, …) when inside `params.<op>.<param>`. */
  paramOperator?: string;
  /** Canonical (schema-cased) key names along the path. */
  canonical: string[];
}

/** Where an `annotations` map sits, from the canonical path leading to it. */
function annotationsScope(c: string[]): AnnotationScope | undefined {
  if (c.length === 1 && c[0] === 'annotations') return 'gadget';
  if (c.length === 3 && c[0] === 'datasources' && c[2] === 'annotations') return 'datasource';
  if (c.length === 5 && c[0] === 'datasources' && c[2] === 'fields' && c[4] === 'annotations') return 'field';
  return undefined;
}

export function describePath(keys: readonly string[]): PathInfo {
  let schema: SchemaNode | undefined = SCHEMA;
  const canonical: string[] = [];
  for (const k of keys) {
    canonical.push(propertyOf(schema, k)?.name ?? k);
    schema = childSchema(schema, k);
  }
  const info: PathInfo = { schema, canonical };
  const parent = canonical.slice(0, -1);
  const scope = annotationsScope(parent);
  if (scope) info.annotationScope = scope;
  const own = annotationsScope(canonical);
  if (own) info.annotationsOf = own;
  if (canonical[0] === 'params' && canonical.length >= 3) info.paramOperator = canonical[1]!.toLowerCase();
  if (canonical[0] === 'gadgetParams' && canonical.length >= 2) info.paramOperator = 'gadgetParams';
  return info;
}
