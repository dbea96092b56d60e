import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { configReference } from './configReference.js';
import { cliReference } from './cliReference.js';
import { createProgram } from '../program.js';

const SILENT = { stdout: () => {}, stderr: () => {}, isTTY: false, cwd: process.cwd(), env: {} };

/** Generated README sections by marker name (`<!-- generated:NAME -->` … `<!-- /generated:NAME -->`). */
export function generatedSections(): Record<string, string> {
  return { 'config-reference': configReference(), 'cli-reference': cliReference(createProgram(SILENT).program) };
}

/** The README with every generated section and included file replaced by its current text. */
export function renderReadme(readmePath: string): string {
  let text = readFileSync(readmePath, 'utf8');
  // <!-- include:path --> ```lang … ``` <!-- /include:path -->: a file of the repo, verbatim.
  text = text.replace(/(<!-- include:([^ ]+) -->\n```(\w*)\n)[\s\S]*?(```\n<!-- \/include:\2 -->)/g, (_m, start: string, path: string, _lang, end: string) => {
    const file = resolve(dirname(readmePath), path);
    return `${start}${readFileSync(file, 'utf8').trimEnd()}\n${end}`;
  });
  for (const [name, body] of Object.entries(generatedSections())) {
    const re = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!re.test(text)) throw new Error(`README has no <!-- generated:${name} --> section`);
    text = text.replace(re, (_m, start: string, end: string) => `${start}${body}\n${end}`);
  }
  return text;
}
