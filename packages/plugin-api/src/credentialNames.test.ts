import { describe, expect, it } from 'vitest';
import { looksLikeCredential } from './index.js';

describe('looksLikeCredential', () => {
  it.each(['GITHUB_TOKEN', 'db_password', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_PAT', 'DB_PWD', 'X-Amz-Signature', 'sig', 'session_cookie', 'PIP_INDEX_PASS'])('%s is a credential name', (name) => {
    expect(looksLikeCredential(name)).toBe(true);
  });

  it.each(['PATH', 'PWD', 'PATCH_LEVEL', 'STAGE', 'PYTHONPATH', 'SIGNAL'])('%s is not', (name) => {
    expect(looksLikeCredential(name)).toBe(false);
  });
});
