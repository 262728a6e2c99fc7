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
}

export const SCHEMA: Readonly<SchemaNode> = schemaJson as SchemaNode;

/** The schema's property named `key`, exactly or ignoring case (IG reads keys case-insensitively). */
export function propertyOf(node: SchemaNode | undefined, key: string): { name: string; schema: SchemaNode } | undefined {
  const props = node?.properties;
  if (!props) return undefined;
  if (Object.prototype.hasOwnProperty.call(props, key)) return { name: key, schema: props[key]! };
  const lower = key.toLowerCase();
  for (const name of Object.keys(props)) if (name.toLowerCase() === lower) return { name, schema: props[name]! };
  return undefined;
}

/** The schema for the value under `key`: a named property, else `additionalProperties` when it is a schema. */
export function childSchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  const p = propertyOf(node, key);
  if (p) return p.schema;
  const ap = node?.additionalProperties;
  return typeof ap === 'object' ? ap : undefined;
}

export function isOpenMap(node: SchemaNode | undefined): boolean {
  return !!node && node.additionalProperties !== false;
}

export function typesOf(node: SchemaNode | undefined): string[] {
  const t = node?.type;
  return t === undefined ? [] : Array.isArray(t) ? t : [t];
}
