import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parsed ```yaml blocks of a markdown file: READMEs' examples are tested so they cannot drift. */
export function yamlBlocks(markdownFile: string): unknown[] {
  const text = readFileSync(markdownFile, 'utf8');
  return [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!));
}
