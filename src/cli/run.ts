// Placeholder until the 'run' subcommand lands.
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('ig-wasm run: not implemented yet\n');
  return 2;
}
