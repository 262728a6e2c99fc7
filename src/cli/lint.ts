// Placeholder until the 'lint' subcommand lands.
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('ig-wasm lint: not implemented yet\n');
  return 2;
}
