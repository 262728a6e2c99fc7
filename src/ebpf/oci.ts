// A gadget image as `ig image export` writes it: an OCI image layout in a tar (oci-layout, index.json,
// blobs/sha256/…). Like IG's oci handler we take the image index, the manifest for the host architecture,
// gadget.yaml from the config blob and the layers by media type (shared note §f).
import { TextDecodeError, decodeUtf8 } from '../yaml/decode';
import { EbpfError } from './errors';
import { readTar } from './tar';

export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.gadget.config.v1+yaml',
  emptyConfig: 'application/vnd.oci.empty.v1+json',
  ebpf: 'application/vnd.gadget.ebpf.program.v1+binary',
  wasm: 'application/vnd.gadget.wasm.program.v1+binary',
  btfgen: 'application/vnd.gadget.btfgen.v1+binary',
} as const;

const REF_NAME = 'org.opencontainers.image.ref.name';

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  annotations?: Record<string, string>;
  platform?: { architecture?: string; os?: string };
}

export interface GadgetImage {
  /** `org.opencontainers.image.ref.name` of the image in index.json, if any. */
  ref?: string;
  architecture: string;
  /** gadget.yaml text; undefined when the image has the OCI empty config. */
  metadataYaml?: string;
  ebpfObject?: Uint8Array;
  wasm?: Uint8Array;
  btfgen?: Uint8Array;
  annotations: Record<string, string>;
  /** Architectures the image has. */
  architectures: string[];
  /** Layers of media types IG does not know (it skips them with a warning). */
  skippedLayers: string[];
}

/** Node's `process.arch` → Go's GOARCH (what IG compares with the manifest platform). */
export function goArch(nodeArch: string): string {
  return ({ x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

/**
 * Reads an exported image tarball. `arch` is the GOARCH to pick (amd64, arm64); `ref` selects an image when
 * the tarball holds several.
 */
export function readGadgetImage(tarBytes: Uint8Array, arch: string, ref?: string): GadgetImage {
  const files = new Map(readTar(tarBytes).map((e) => [e.path, e.data]));
  const json = (path: string): unknown => {
    const d = files.get(path);
    if (!d) throw new EbpfError('oci', `${path} is missing from the image tarball`);
    try {
      return JSON.parse(new TextDecoder().decode(d));
    } catch (e) {
      throw new EbpfError('oci', `${path}: invalid JSON: ${(e as Error).message}`);
    }
  };
  const blob = (d: Descriptor, what: string): Uint8Array => {
    const m = /^sha256:([0-9a-f]{64})$/.exec(d.digest ?? '');
    if (!m) throw new EbpfError('oci', `${what}: bad digest '${d.digest ?? ''}'`);
    const data = files.get(`blobs/sha256/${m[1]}`);
    if (!data) throw new EbpfError('oci', `${what}: blob ${d.digest} is missing from the tarball`);
    return data;
  };
  if (!files.has('oci-layout')) throw new EbpfError('oci', 'not an OCI image layout: oci-layout is missing (export the image with `ig image export`)');
  const index = json('index.json') as { manifests?: Descriptor[] };
  const entries = index.manifests ?? [];
  const tagged = entries.filter((e) => e.annotations?.[REF_NAME]);
  let top: Descriptor | undefined;
  if (ref) {
    top = tagged.find((e) => e.annotations?.[REF_NAME] === ref);
    if (!top) throw new EbpfError('oci', `no image '${ref}' in the tarball (it has: ${tagged.map((e) => e.annotations?.[REF_NAME]).join(', ') || 'no tagged images'})`);
  } else if (tagged.length > 1) {
    throw new EbpfError('oci', `the tarball holds ${tagged.length} images, name one: ${tagged.map((e) => e.annotations?.[REF_NAME]).join(', ')}`);
  } else {
    top = tagged[0] ?? entries.find((e) => e.mediaType === MEDIA.index) ?? entries[0];
  }
  if (!top) throw new EbpfError('oci', 'index.json lists no images');

  let manifestDesc = top;
  let architectures: string[] = [];
  const topJson = JSON.parse(new TextDecoder().decode(blob(top, 'image'))) as { mediaType?: string; manifests?: Descriptor[] };
  if (top.mediaType === MEDIA.index || topJson.manifests) {
    const ms = topJson.manifests ?? [];
    architectures = ms.map((m) => m.platform?.architecture ?? '?');
    const pick = ms.find((m) => m.platform?.architecture === arch);
    if (!pick) throw new EbpfError('oci', `no manifest for architecture ${arch} (the image has: ${architectures.join(', ') || 'none'})`);
    manifestDesc = pick;
  }
  const manifest = (manifestDesc === top ? topJson : JSON.parse(new TextDecoder().decode(blob(manifestDesc, `manifest for ${arch}`)))) as {
    config?: Descriptor; layers?: Descriptor[]; annotations?: Record<string, string>;
  };
  if (!architectures.length) architectures = [manifestDesc.platform?.architecture ?? arch];
  const img: GadgetImage = {
    architecture: arch, annotations: manifest.annotations ?? {}, architectures, skippedLayers: [],
  };
  const refName = top.annotations?.[REF_NAME];
  if (refName) img.ref = refName;
  if (manifest.config?.mediaType === MEDIA.config) {
    // gadget.yaml must be UTF-8 as IG's YAML reader requires: a bad byte is the image's error, not U+FFFD.
    try {
      img.metadataYaml = decodeUtf8(blob(manifest.config, 'config (gadget.yaml)'));
    } catch (e) {
      if (e instanceof TextDecodeError) throw new EbpfError('oci', `config (gadget.yaml) ${e.line}:${e.column}: ${e.reason}`);
      throw e;
    }
  }
  for (const l of manifest.layers ?? []) {
    if (l.mediaType === MEDIA.ebpf) img.ebpfObject ??= blob(l, 'eBPF layer');
    else if (l.mediaType === MEDIA.wasm) img.wasm ??= blob(l, 'wasm layer');
    else if (l.mediaType === MEDIA.btfgen) img.btfgen ??= blob(l, 'btfgen layer');
    else img.skippedLayers.push(l.mediaType ?? '(no media type)');
  }
  return img;
}
