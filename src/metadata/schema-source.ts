// Builds the gadget.yaml JSON Schema (draft-07) from IG's definitions. The result is committed as
// schemas/gadget.schema.json (regenerate: `node out/src/metadata/schema-source.js --write`); a unit test
// fails when the committed file drifts from this source.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ANNOTATIONS, AnnotationInfo, AnnotationScope, OLD_FORMAT_KEYS, TEMPLATES, TYPE_HINTS } from './catalogue';

type Json = { [k: string]: unknown };

/** yaml.v3 decodes any scalar into a Go string field, so string fields accept numbers and booleans too. */
const SCALAR = ['string', 'number', 'boolean', 'null'];
/** An empty `key:` decodes to an empty Go map, so mappings may also be null. */
const OBJ = ['object', 'null'];

function text(title: string, description: string, extra: Json = {}): Json {
  return { title, description, type: SCALAR, ...extra };
}

function annotationProps(scope: AnnotationScope): Json {
  const props: Json = {};
  for (const a of ANNOTATIONS.filter((x) => x.scopes.includes(scope))) props[a.name] = annotationSchema(a);
  return props;
}

function annotationSchema(a: AnnotationInfo): Json {
  const s: Json = { title: a.name, description: `${a.description}\n\nRead by: ${a.readBy}.`, type: SCALAR };
  const v = a.value;
  if (v.kind === 'bool') s.examples = [true, false];
  else if (v.kind === 'enum') s.examples = [...v.values];
  else if (v.kind === 'template') s.examples = TEMPLATES.map((t) => t.name);
  return s;
}

const ref = (name: string): Json => ({ $ref: `#/definitions/${name}` });

function annotations(scope: AnnotationScope, where: string): Json {
  return {
    title: 'annotations',
    description: `Annotations of the ${where}: string keys and scalar values (Go reads them as \`map[string]string\`, so \`true\` and \`64\` are fine). IG and its operators read the names listed here; other names are kept for other tools.`,
    type: OBJ,
    properties: annotationProps(scope),
    additionalProperties: { type: SCALAR },
  };
}

const paramDescProps: Json = {
  key: text('key', 'Name of the param on the command line (`--<key>`) and in API calls. Usually kebab-case.'),
  alias: text('alias', 'Short alias, usually one letter (`-m`).'),
  title: text('title', 'Human-friendly name shown in UIs; defaults to the key.'),
  defaultValue: text('defaultValue', 'Value used when the user sets none. A string in Go: quote values such as `"true"` or `"10"` to be explicit.'),
  description: text('description', 'Help text shown for the param.'),
  isMandatory: { title: 'isMandatory', description: 'The user must give a value (`true` or `false`). A mandatory param with a default never lacks a value.', type: ['boolean', 'null'] },
  tags: { title: 'tags', description: 'Tags used to skip params in some environments.', type: 'array', items: { type: SCALAR } },
  type: text('type', `Type hint: IG validates and converts values accordingly. One of ${TYPE_HINTS.map((t) => `\`${t}\``).join(', ')}; \`string\` when unset. (Under \`params.wasm\` the key is \`typeHint\`.)`,
    { examples: [...TYPE_HINTS] }),
  valueHint: text('valueHint', 'Hint for front ends about the expected content, e.g. `k8s:namespace`.'),
  possibleValues: { title: 'possibleValues', description: 'The only values IG accepts for this param.', type: 'array', items: { type: SCALAR } },
};

const paramDesc: Json = {
  title: 'param', description: 'A param (`pkg/params` ParamDesc): shown as `--<key>` on the command line and validated by its type hint.',
  type: OBJ, properties: paramDescProps, additionalProperties: false,
};

const wasmParam: Json = {
  title: 'wasm param', description: 'A param of the wasm module, decoded into the wasm API\'s `Param` (`typeHint`, not `type`); the module reads its value with `getParamValue`.',
  type: OBJ,
  properties: {
    key: paramDescProps.key, alias: paramDescProps.alias, title: paramDescProps.title,
    defaultValue: paramDescProps.defaultValue, description: paramDescProps.description,
    isMandatory: paramDescProps.isMandatory, possibleValues: paramDescProps.possibleValues,
    tags: paramDescProps.tags, valueHint: paramDescProps.valueHint,
    prefix: text('prefix', 'Prefix of the param\'s full name (the wasm API\'s `Param.prefix`); IG sets it, gadget.yaml rarely needs it.'),
    typeHint: text('typeHint', `Type hint of a wasm param (the wasm API's \`Param.typeHint\`): one of ${TYPE_HINTS.map((t) => `\`${t}\``).join(', ')}. Other operators use \`type\` instead.`,
      { examples: [...TYPE_HINTS] }),
  },
  additionalProperties: false,
};

const patch: Json = {
  title: 'patch',
  description: 'Metadata merged into this gadget.yaml when the param is used (e.g. `datasources`, `operator`). String values are Go templates: `{{call .getParamValue "custom.<name>"}}`.',
  type: OBJ,
};

const customParam: Json = {
  title: 'custom param', description: 'A param defined in gadget.yaml itself: its value patches this metadata (`patch`, `values.<value>.patch`).',
  type: OBJ,
  properties: {
    ...paramDescProps,
    patch,
    values: {
      title: 'values', description: 'Per-value patches: `values.<value>.patch` is applied when the param has that value.', type: OBJ,
      additionalProperties: { type: OBJ, properties: { patch }, additionalProperties: false },
    },
  },
  additionalProperties: false,
};

function paramMap(title: string, description: string, item: Json): Json {
  return { title, description, type: OBJ, additionalProperties: item };
}

export function buildSchema(): Json {
  const oldKeys: Json = {};
  for (const [k, hint] of Object.entries(OLD_FORMAT_KEYS)) {
    const name = k === 'ebpfparams' ? 'ebpfParams' : k;
    oldKeys[name] = { title: name, description: `Old metadata format: IG no longer reads \`${name}\`; ${hint}.`, deprecated: true };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/inspektor-gadget/ig-workbench/schemas/gadget.schema.json',
    title: 'Inspektor Gadget metadata (gadget.yaml)',
    description: 'Metadata of an Inspektor Gadget gadget: name, links, data sources with field annotations, and params. IG reads this file case-insensitively (through viper).',
    type: 'object',
    properties: {
      name: text('name', 'Name of the gadget. Required: `ig image build` fails without it.'),
      description: text('description', 'One-line description of what the gadget does.'),
      homepageURL: text('homepageURL', 'URL of the gadget\'s homepage.'),
      documentationURL: text('documentationURL', 'URL of the gadget\'s documentation.'),
      sourceURL: text('sourceURL', 'URL of the gadget\'s source code.'),
      annotations: annotations('gadget', 'gadget as a whole'),
      datasources: {
        title: 'datasources',
        description: 'Data sources the gadget emits, by name. Each may carry annotations for itself and for its fields.',
        type: OBJ,
        additionalProperties: ref('dataSource'),
      },
      params: {
        title: 'params',
        description: 'Params the gadget exposes, grouped by operator: `ebpf` (`GADGET_PARAM` variables), `wasm` (the wasm module\'s params, key `typeHint`), `custom` (params that patch this metadata), or any other operator name.',
        type: OBJ,
        properties: {
          ebpf: paramMap('ebpf', 'Params of the eBPF program, keyed by the `const volatile` variable marked with `GADGET_PARAM`.', ref('paramDesc')),
          wasm: paramMap('wasm', 'Params of the wasm module, read through the wasm API\'s `Param` struct (`typeHint`, not `type`).', ref('wasmParam')),
          custom: paramMap('custom', 'Params defined in gadget.yaml that patch the metadata (`patch`, `values.<v>.patch`).', ref('customParam')),
        },
        additionalProperties: paramMap('operator params', 'Params of an operator, by name.', ref('paramDesc')),
      },
      gadgetParams: paramMap('gadgetParams', 'Other params of the gadget, e.g. `iface` for networking (TC) programs.', ref('paramDesc')),
      paramDefaults: {
        title: 'paramDefaults', description: 'Default values for operator params by fully qualified name, e.g. `operator.oci.ebpf.map-fetch-interval: "0"`.',
        type: OBJ, additionalProperties: { type: SCALAR },
      },
      operator: {
        title: 'operator', description: 'Configuration of operators by operator name, e.g. `operator.process.interval`.',
        type: OBJ, additionalProperties: { type: OBJ },
      },
      programs: {
        title: 'programs', description: 'Configuration of eBPF programs by program name (e.g. `perf` and `sampler` settings of perf-event programs).',
        type: OBJ, additionalProperties: { type: OBJ },
      },
      ...oldKeys,
    },
    required: ['name'],
    additionalProperties: false,
    // Shared parts are definitions so that ajv compiles each once (and the file stays small).
    definitions: {
      dataSource: {
        title: 'data source', description: 'A data source: its annotations and its fields.', type: OBJ,
        properties: {
          annotations: annotations('datasource', 'data source'),
          fields: {
            title: 'fields', description: 'Fields of the data source, by field name (as in the eBPF struct or wasm `addField`).', type: OBJ,
            additionalProperties: ref('field'),
          },
        },
        additionalProperties: false,
      },
      field: {
        title: 'field', description: 'A field: its annotations.', type: OBJ,
        properties: { annotations: annotations('field', 'field') },
        additionalProperties: false,
      },
      paramDesc, wasmParam, customParam,
    },
  };
}

if (require.main === module && process.argv.includes('--write')) {
  const target = resolve(__dirname, '../../../schemas/gadget.schema.json');
  writeFileSync(target, `${JSON.stringify(buildSchema(), null, 2)}\n`);
  process.stdout.write(`wrote ${target}\n`);
}
