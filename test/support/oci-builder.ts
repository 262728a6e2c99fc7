// Builds gadget image tarballs shaped like `ig image export` output (OCI layout: oci-layout, index.json
// with the tagged image index and the untagged per-arch manifests, blobs/sha256/<hex>) and a ustar writer.
import { createHash } from 'node:crypto';

export function tar(entries: { path: string; data: Uint8Array | string }[]): Uint8Array {
  const chunks: Buffer[] = [];
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : Buffer.from(e.data);
    const h = Buffer.alloc(512);
    h.write(e.path, 0, 100, 'utf8');
    h.write('0000644\0', 100); h.write('0000000\0', 108); h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.fill(' ', 148, 156);
    h[156] = 0x30;
    h.write('ustar\0', 257); h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    chunks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  chunks.push(Buffer.alloc(1024));
  return new Uint8Array(Buffer.concat(chunks));
}

export interface ImageSpec {
  ref?: string;
  /** gadget.yaml's text, or its raw bytes (e.g. not UTF-8). */
  metadataYaml?: string | Uint8Array;
  /** Per architecture: the eBPF object. */
  ebpf?: Record<string, Uint8Array>;
  wasm?: Uint8Array;
  extraLayer?: { mediaType: string; data: Uint8Array };
}

export function gadgetImageTar(spec: ImageSpec): Uint8Array {
  const blobs = new Map<string, Uint8Array>();
  const put = (data: Uint8Array | string, mediaType: string): { mediaType: string; digest: string; size: number } => {
    const bytes = typeof data === 'string' ? new Uint8Array(Buffer.from(data)) : data;
    const hex = createHash('sha256').update(bytes).digest('hex');
    blobs.set(hex, bytes);
    return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
  };
  const annotations = { 'org.opencontainers.image.title': 'test gadget' };
  const config = spec.metadataYaml !== undefined
    ? put(spec.metadataYaml, 'application/vnd.gadget.config.v1+yaml')
    : put('{}', 'application/vnd.oci.empty.v1+json');
  const archs = Object.keys(spec.ebpf ?? { amd64: 0, arm64: 0 }).sort();
  const manifests = archs.map((arch) => {
    const layers = [];
    if (spec.ebpf?.[arch]) layers.push(put(spec.ebpf[arch], 'application/vnd.gadget.ebpf.program.v1+binary'));
    if (spec.wasm) layers.push(put(spec.wasm, 'application/vnd.gadget.wasm.program.v1+binary'));
    if (spec.extraLayer) layers.push(put(spec.extraLayer.data, spec.extraLayer.mediaType));
    const m = { schemaVersion: 2, config, layers, annotations, artifactType: 'application/vnd.gadget.v1+binary' };
    return { ...put(JSON.stringify(m), 'application/vnd.oci.image.manifest.v1+json'), platform: { architecture: arch, os: 'linux' }, annotations };
  });
  const index = put(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests, annotations }),
    'application/vnd.oci.image.index.v1+json');
  const top = { ...index, annotations: { 'org.opencontainers.image.ref.name': spec.ref ?? 'ghcr.io/inspektor-gadget/gadget/test:latest' } };
  const indexJson = { schemaVersion: 2, manifests: [top, ...manifests.map(({ annotations: _a, ...m }) => m)] };
  return tar([
    { path: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    { path: 'index.json', data: JSON.stringify(indexJson) },
    ...[...blobs].map(([hex, data]) => ({ path: `blobs/sha256/${hex}`, data })),
  ]);
}
