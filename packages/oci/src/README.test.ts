import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as oci from './index.js';

const text = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const tsBlocks = [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

describe('README', () => {
  it('imports only what @stowage/oci exports in its examples', () => {
    const imported = tsBlocks.flatMap((block) => [...block.matchAll(/import \{([^}]+)\} from '@stowage\/oci'/g)].flatMap((m) => m[1]!.split(',').map((name) => name.trim())));
    expect(imported).toEqual(expect.arrayContaining(['appendImage', 'readImageFiles', 'RegistryApiClient']));
    for (const name of imported) expect(Object.keys(oci)).toContain(name);
  });

  it('documents every method of RegistryApiClient and the image operations', () => {
    const methods = Object.getOwnPropertyNames(oci.RegistryApiClient.prototype).filter((m) => m !== 'constructor');
    const undocumented = methods.filter((m) => !text.includes(`\`${m}\``) && !text.includes(`\`${m}(`));
    // What is left are the private helpers: a public method missing from the README fails here.
    expect(undocumented.sort()).toEqual(['accept', 'cancelUpload', 'fetchOnce', 'finishUpload', 'followRedirects', 'send', 'unexpected']);
    for (const operation of ['copyImage(client, from, to)', 'appendImage(client, request)', 'readImageFiles(client, image, paths']) expect(text).toContain(operation);
  });

  it('names the limits the code enforces', () => {
    expect(text).toContain('over 4 MiB');
    expect(text).toContain('more than 64 manifests');
    expect(text).toContain('`maxFileBytes` (default 1 MiB)');
  });
});
