/** An argv as one line for messages: arguments that need quoting are JSON-quoted (as core shows commands). */
export function commandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
