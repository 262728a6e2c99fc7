// A gadget image tarball (`ig image export`) in the workspace is a gadget: its gadget.yaml, eBPF object and
// wasm module come from the image (the manifest of this machine's architecture). Never throws.
import { EbpfError, isTar, readGadgetImage } from '../ebpf';
import { readGadgetMetadata } from '../metadata/read';

export interface ImageGadget {
  name?: string;
  metadataYaml?: string;
  object?: Uint8Array;
  wasm?: Uint8Array;
}

/** The image's parts, or `error` when the bytes are not a gadget image IG would run here. */
export function readImageGadget(bytes: Uint8Array, goarch: string): ImageGadget & { error?: string } {
  if (!isTar(bytes)) return { error: 'not a tar file' };
  try {
    const img = readGadgetImage(bytes, goarch);
    let name: string | undefined;
    try { name = img.metadataYaml !== undefined ? readGadgetMetadata(img.metadataYaml).name : undefined; } catch { name = undefined; }
    return { name, metadataYaml: img.metadataYaml, object: img.ebpfObject, wasm: img.wasm };
  } catch (e) {
    if (e instanceof EbpfError) return { error: e.message };
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
