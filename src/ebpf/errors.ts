// Errors of the eBPF readers. Every problem names where it is (the ELF/BTF/OCI phase, a section, a type
// id or a byte offset) so the CLI and the editor can print it without a stack trace.

/** Where in the reading an error happened. */
export type EbpfPhase = 'elf' | 'btf' | 'maps' | 'programs' | 'ig' | 'tar' | 'oci';

export class EbpfError extends Error {
  constructor(readonly phase: EbpfPhase, readonly detail: string) {
    super(`${phase}: ${detail}`);
    this.name = 'EbpfError';
  }
}

/**
 * An object IG would refuse to run: the message is IG's reason (its error text, e.g. `map "events" not
 * found in eBPF object`), so authors can match it with what `ig run` says.
 */
export class IgRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'IgRefusal';
  }
}
