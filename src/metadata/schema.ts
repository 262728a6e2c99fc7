// The shipped JSON schema (bundled by esbuild, copied to out/ by tsc) and helpers to walk it by key.
import schemaJson from '../../schemas/gadget.schema.json';

export interface SchemaNode {
  title?: string;
  description?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  examples?: unknown[];
  deprecated?: boolean;
  required?: string[];
  $ref?: string;
  definitions?: Record<string, SchemaNode>;
}

export const SCHEMA: Readonly<SchemaNode> = schemaJson as SchemaNode;

/** Follows `$ref: '#/definitions/…'` (the only kind of reference the schema uses). */
export function deref(node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node;
  for (let hops = 0; n?.$ref && hops < 8; hops++) {
    const m = /^#\/definitions\/(.+)$/.exec(n.$ref);
    n = m ? SCHEMA.definitions?.[m[1]!] : undefined;
  }
  return n;
}

/** The schema at a key path from the root; `*` stands for any name in an open map. */
export function schemaAt(path: readonly string[]): SchemaNode | undefined {
  let n: SchemaNode | undefined = SCHEMA;
  for (const k of path) n = childSchema(n, k);
  return n;
}

/** The schema's property named `key`, exactly or ignoring case (IG reads keys case-insensitively). */
export function propertyOf(node: SchemaNode | undefined, key: string): { name: string; schema: SchemaNode } | undefined {
  const props = deref(node)?.properties;
  if (!props) return undefined;
  if (Object.prototype.hasOwnProperty.call(props, key)) return { name: key, schema: deref(props[key])! };
  const lower = key.toLowerCase();
  for (const name of Object.keys(props)) if (name.toLowerCase() === lower) return { name, schema: deref(props[name])! };
  return undefined;
}

/** The schema for the value under `key`: a named property, else `additionalProperties` when it is a schema. */
export function childSchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  const p = propertyOf(node, key);
  if (p) return p.schema;
  const ap = deref(node)?.additionalProperties;
  return typeof ap === 'object' ? deref(ap) : undefined;
}

export function isOpenMap(node: SchemaNode | undefined): boolean {
  return !!node && node.additionalProperties !== false;
}

export function typesOf(node: SchemaNode | undefined): string[] {
  const t = node?.type;
  return t === undefined ? [] : Array.isArray(t) ? t : [t];
}
