// `ig-wasm`: the command-line face of the host and metadata libraries. Each subcommand lives in its own
// module and returns its exit status (0 ok, 1 the gadget/lint failed, 2 usage or input error).
// Subcommands are loaded on use: each pulls in its own libraries (host worker, metadata, eBPF readers).
const commands: Record<string, (argv: string[]) => Promise<number>> = {
  run: async (argv) => (await import('./run')).main(argv),
  inspect: async (argv) => (await import('./inspect')).main(argv),
  lint: async (argv) => (await import('./lint')).main(argv),
};

const USAGE = `usage: ig-wasm <command> [options]

commands:
  run <module.wasm | object.bpf.o | image.tar> [--metadata gadget.yaml] [--events FILE] [--param key=value]...
                    [-o columns|json|jsonpretty|yaml|records] [--fields LIST] [--filter RULES]
                    (ig-wasm run --help for every option)
  inspect <module.wasm>          API revision, imports, exports, unsupported imports
  inspect <object.bpf.o | image.tar> [-o text|json] [--metadata gadget.yaml] [--arch ARCH]
                                 data sources, fields, params, maps, programs as IG derives them
  lint <gadget.yaml>... [-o text|json] [--ebpf object.bpf.o]
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`ig-wasm: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  return cmd(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    // Every expected failure is reported by the subcommand; this is a bug of ours. The stack is for the
    // report, on request: IG_WASM_DEBUG=1.
    const msg = err instanceof Error ? err.message : String(err);
    const stack = process.env.IG_WASM_DEBUG && err instanceof Error && err.stack ? `\n${err.stack}` : '';
    process.stderr.write(`ig-wasm: internal error (please report it; IG_WASM_DEBUG=1 shows where): ${msg}${stack}\n`);
    process.exitCode = 2;
  },
);
