// Placeholder until the 'inspect' subcommand lands.
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('ig-wasm inspect: not implemented yet\n');
  return 2;
}
