/**
 * Orders paths by their UTF-8 bytes, as Go's sort of strings (and so Docker and tar listings) does;
 * JS `<` compares UTF-16 units, which puts astral characters before U+E000..U+FFFF.
 */
export function compareContextPaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
