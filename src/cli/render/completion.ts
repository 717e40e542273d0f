/** A completion script, as is, for a shell to source. */
export function printScript(script: string): void {
  process.stdout.write(script);
}
