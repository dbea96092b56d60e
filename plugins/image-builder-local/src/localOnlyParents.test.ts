import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createContextArchive } from '@stowage/core';
import { dockerfileOfContext, parentImagesOf } from './localOnlyParents.js';

describe('parentImagesOf', () => {
  it.each([
    ['one stage', 'FROM python:3.11-slim\nRUN x\n', ['python:3.11-slim']],
    ['flags skipped, stages and scratch are not images', 'FROM --platform=linux/amd64 base:1 AS build\nFROM scratch\nFROM build\nfrom other@sha256:abc as x\n', ['base:1', 'other@sha256:abc']],
  ])('%s', (_name, dockerfile, parents) => {
    expect(parentImagesOf(dockerfile)).toEqual(parents);
  });
});

describe('dockerfileOfContext', () => {
  it('finds the Dockerfile after other entries, large ones included, without buffering them', async () => {
    const big = 'x'.repeat(300_000);
    const extraFiles = [{ path: '.aaa', content: big }, { path: 'Dockerfile', content: 'FROM generated:1\n' }, { path: 'zzz/late.txt', content: 'late' }];
    expect(await dockerfileOfContext(createContextArchive({ selection: null, extraFiles }))).toBe('FROM generated:1\n');
  });

  it('undefined when the context has none; a Dockerfile below the top does not count', async () => {
    expect(await dockerfileOfContext(createContextArchive({ selection: null, extraFiles: [{ path: 'sub/Dockerfile', content: 'FROM no\n' }] }))).toBeUndefined();
    expect(await dockerfileOfContext(Readable.from([]))).toBeUndefined();
  });
});
