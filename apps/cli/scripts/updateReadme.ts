// `pnpm docs`: regenerates the config and CLI reference sections of the root README.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderReadme } from '../src/docs/readmeSections.js';

const readme = resolve(import.meta.dirname, '../../../README.md');
writeFileSync(readme, renderReadme(readme));
console.log(`updated ${readme}`);
