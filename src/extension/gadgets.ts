// Finding gadgets and what a run needs: gadget folders in the workspace, a gadget's wasm module and its
// events files. Pure look-ups; prompting the user is run.ts's job.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { TextDecodeError, decodeUtf8 } from '../yaml/decode';
import { wasmFromBuildYaml } from './inputs';

export const GADGET_YAML = 'gadget.yaml';

export interface Gadget {
  /** The folder holding gadget.yaml. */
  folder: vscode.Uri;
  yaml: vscode.Uri;
  /** `name:` from gadget.yaml, else the folder's name. */
  name: string;
  /** Stable id for remembered choices and grid layouts: the folder's URI (an image's: the tarball's). */
  key: string;
  /** A gadget image tarball (`yaml` is then the tarball; gadget.yaml, object and wasm are inside it). */
  image?: boolean;
}

const EXCLUDE = '**/{node_modules,.git,.vscode-test,out,dist}/**';

/** Every gadget.yaml in the workspace that belongs to an IG gadget (snaps' meta/gadget.yaml excluded). */
export async function findGadgets(ctx: Ctx, token?: vscode.CancellationToken): Promise<Gadget[]> {
  const uris = await vscode.workspace.findFiles(`**/${GADGET_YAML}`, EXCLUDE, undefined, token);
  const metadata = await ctx.loadMetadata();
  const out: Gadget[] = [];
  for (const yaml of uris) {
    const text = await readText(yaml);
    if (text === undefined || !(metadata.isGadgetYaml(yaml.fsPath, text))) continue;
    out.push(gadgetFor(yaml, nameIn(metadata, text)));
  }
  out.push(...(await findImages(ctx, token)));
  return out.sort((a, b) => a.folder.fsPath.localeCompare(b.folder.fsPath) || a.key.localeCompare(b.key));
}

/** Images bigger than this are not opened while listing gadgets (real ones are a few MiB). */
const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/** Gadget image tarballs (`ig image export`) in the workspace: each is a gadget. */
async function findImages(ctx: Ctx, token?: vscode.CancellationToken): Promise<Gadget[]> {
  const uris = await vscode.workspace.findFiles('**/*.tar', EXCLUDE, 50, token);
  const out: Gadget[] = [];
  for (const uri of uris) {
    const img = await readImage(ctx, uri);
    if (img.error) continue;
    out.push({ folder: vscode.Uri.joinPath(uri, '..'), yaml: uri, name: img.name || path.basename(uri.fsPath), key: uri.toString(), image: true });
  }
  return out;
}

/** A gadget image's parts (src/workbench/image.ts); `error` when it is not one. */
export async function readImage(ctx: Ctx, uri: vscode.Uri): Promise<import('../workbench').ImageGadget & { error?: string }> {
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > MAX_IMAGE_BYTES) return { error: 'too large to list' };
    const wb = await ctx.loadWorkbench();
    return wb.readImageGadget(await vscode.workspace.fs.readFile(uri), wb.goArch(process.arch));
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** gadget.yaml's text: the file's, or the one inside a gadget image ('' when the image has none); `strict`: readStrictText. */
export async function gadgetYamlText(ctx: Ctx, g: Gadget, strict = false): Promise<string | undefined> {
  if (!g.image) return strict ? readStrictText(g.yaml) : readText(g.yaml);
  const img = await readImage(ctx, g.yaml);
  return img.error ? undefined : img.metadataYaml ?? '';
}

/** A gadget image given as a command's argument (a `.tar` URI). */
export async function imageGadgetAt(ctx: Ctx, uri: vscode.Uri): Promise<Gadget | undefined> {
  const img = await readImage(ctx, uri);
  if (img.error) return undefined;
  return { folder: vscode.Uri.joinPath(uri, '..'), yaml: uri, name: img.name || path.basename(uri.fsPath), key: uri.toString(), image: true };
}

export function gadgetFor(yaml: vscode.Uri, name?: string): Gadget {
  const folder = vscode.Uri.joinPath(yaml, '..');
  return { folder, yaml, name: name || path.basename(folder.fsPath), key: folder.toString() };
}

export async function gadgetAt(ctx: Ctx, yaml: vscode.Uri): Promise<Gadget> {
  const metadata = await ctx.loadMetadata();
  const text = await readText(yaml);
  return gadgetFor(yaml, text === undefined ? undefined : nameIn(metadata, text));
}

function nameIn(metadata: typeof import('../metadata'), text: string): string | undefined {
  try {
    return metadata.readGadgetMetadata(text).name;
  } catch {
    return undefined;
  }
}

export type WasmSource = 'setting' | 'build.yaml' | 'remembered' | 'conventional';

/** Where the wasm module comes from, in order; `candidates` lists conventional places when several match. */
export async function discoverWasm(ctx: Ctx, g: Gadget): Promise<{ uri?: vscode.Uri; source?: WasmSource; candidates: vscode.Uri[] }> {
  const setting = ctx.config.wasmModule(g.folder);
  if (setting) {
    const uri = resolveIn(g.folder, setting);
    if (!(await exists(uri))) throw new Error(`igWorkbench.run.wasmModule names ${setting}, which does not exist (looked for ${uri.fsPath})`);
    return { uri, source: 'setting', candidates: [] };
  }
  const fromBuild = await buildYamlWasm(g);
  if (fromBuild && (await exists(fromBuild))) return { uri: fromBuild, source: 'build.yaml', candidates: [] };

  const remembered = ctx.memento.get<string>(wasmMementoKey(g));
  if (remembered) {
    const uri = vscode.Uri.parse(remembered);
    if (await exists(uri)) return { uri, source: 'remembered', candidates: [] };
  }
  const candidates = await vscode.workspace.findFiles(
    new vscode.RelativePattern(g.folder, '{*.wasm,build/*.wasm,dist/*.wasm,out/*.wasm,target/wasm32-*/release/*.wasm}'), null, 20);
  candidates.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  if (candidates.length === 1) return { uri: candidates[0], source: 'conventional', candidates };
  return { candidates };
}

/**
 * The gadget's eBPF object: `igWorkbench.run.ebpfObject`, else the build output in its folder
 * (src/workbench/object.ts chooses). Undefined `uri` when it has none.
 */
export async function discoverObject(ctx: Ctx, g: Gadget): Promise<{ uri?: vscode.Uri; error?: string }> {
  const setting = ctx.config.ebpfObject(g.folder);
  if (setting) {
    const uri = resolveIn(g.folder, setting);
    return (await exists(uri)) ? { uri } : { error: `igWorkbench.run.ebpfObject names ${setting}, which does not exist (looked for ${uri.fsPath})` };
  }
  const wb = await ctx.loadWorkbench();
  // Listed directly (not searched): a gadget folder outside the workspace has its object found too.
  const rel: string[] = [];
  for (const dir of wb.OBJECT_DIRS) {
    let entries: [string, vscode.FileType][];
    try { entries = await vscode.workspace.fs.readDirectory(dir ? vscode.Uri.joinPath(g.folder, dir) : g.folder); } catch { continue; }
    for (const [name, type] of entries) if (type === vscode.FileType.File && name.endsWith('.bpf.o')) rel.push(dir ? `${dir}/${name}` : name);
  }
  const chosen = wb.chooseObject(rel, wb.goArch(process.arch));
  return chosen ? { uri: vscode.Uri.joinPath(g.folder, chosen) } : {};
}

/** The gadget's object as bytes (from its folder, the setting or its image); nothing when it has none. */
export async function gadgetObjectBytes(ctx: Ctx, g: Gadget): Promise<{ uri?: vscode.Uri; bytes?: Uint8Array; error?: string }> {
  if (g.image) {
    const img = await readImage(ctx, g.yaml);
    if (img.error) return { uri: g.yaml, error: `${path.basename(g.yaml.fsPath)}: ${img.error}` };
    return img.object ? { uri: g.yaml, bytes: img.object } : {};
  }
  const found = await discoverObject(ctx, g);
  if (!found.uri) return { error: found.error };
  try {
    return { uri: found.uri, bytes: await vscode.workspace.fs.readFile(found.uri) };
  } catch (e) {
    return { uri: found.uri, error: `${path.basename(found.uri.fsPath)} could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The gadget's object read as IG reads it (with `yaml`'s annotations); `error` says what went wrong. */
export async function readGadgetObject(ctx: Ctx, g: Gadget, yaml?: string): Promise<{ uri?: vscode.Uri; bytes?: Uint8Array; spec?: import('../ebpf').GadgetSpec; plan?: import('../ebpf/run-plan').RunPlan; error?: string }> {
  const o = await gadgetObjectBytes(ctx, g);
  if (!o.bytes) return { uri: o.uri, error: o.error };
  const r = (await ctx.loadWorkbench()).readObject(o.bytes, yaml);
  return r.error ? { uri: o.uri, error: `${path.basename(o.uri!.fsPath)}: ${r.error}` } : { uri: o.uri, bytes: o.bytes, spec: r.spec, plan: r.plan };
}

export function wasmMementoKey(g: Gadget): string {
  return `wasm:${g.key}`;
}

/** build.yaml's `wasm:` when it names a compiled module (IG's build.yaml usually names the Go/Rust source). */
async function buildYamlWasm(g: Gadget): Promise<vscode.Uri | undefined> {
  const text = await readText(vscode.Uri.joinPath(g.folder, 'build.yaml'));
  if (text === undefined) return undefined;
  const value = wasmFromBuildYaml(text);
  return value ? resolveIn(g.folder, value) : undefined;
}

/** Events files of a gadget: `events.{yaml,yml,json,jsonl}`, `*.events.*` and anything under `events/`. */
export async function findEventsFiles(g: Gadget): Promise<vscode.Uri[]> {
  // VS Code globs do not nest braces: spell the alternatives out.
  const exts = ['yaml', 'yml', 'json', 'jsonl'];
  const globs = exts.flatMap((e) => [`events.${e}`, `*.events.${e}`, `events/*.${e}`]);
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(g.folder, `{${globs.join(',')}}`), null, 50);
  return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

export function resolveIn(folder: vscode.Uri, p: string): vscode.Uri {
  return path.isAbsolute(p) ? vscode.Uri.file(p) : vscode.Uri.joinPath(folder, p);
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * A file's text for running it (gadget.yaml, events files): undefined when unreadable, an Error naming
 * `file:line:column` at the first invalid UTF-8 byte (IG refuses such a file; a lenient decode would not).
 */
export async function readStrictText(uri: vscode.Uri): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
  try {
    return decodeUtf8(bytes);
  } catch (e) {
    if (e instanceof TextDecodeError) throw new Error(`${uri.fsPath}:${e.line}:${e.column}: ${e.reason}`, { cause: e });
    throw e;
  }
}

/** A file's text, leniently decoded (finding gadgets and their names), or undefined when unreadable. */
export async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
