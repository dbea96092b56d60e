import { describe, expect, it } from 'vitest';
import { generateDockerfile } from '../dockerfile/DockerfileGenerator.js';
import { settings } from '../../test/settingsFixture.js';
import { Redactor } from './Redactor.js';

describe('Redactor', () => {
  const secret = `s3cr$t"Pa\\ss'w0rd`;
  const r = new Redactor([secret]);

  it('hides the value as written into a Dockerfile ENV line (escaped)', () => {
    const dockerfile = generateDockerfile({
      parentImage: 'python:3.11-slim',
      settings: settings({ environment: { DB_PASSWORD: secret } }),
      aptPackages: [],
      requirementFiles: [],
      includeCode: false,
    });
    expect(dockerfile).toContain('DB_PASSWORD=');
    expect(r.redact(dockerfile)).toContain('ENV DB_PASSWORD="***"');
  });

  it('hides the value inside JSON and shell quoting', () => {
    expect(r.redact(JSON.stringify({ v: secret }))).toBe('{"v":"***"}');
    expect(r.redact(`'${secret.replace(/'/g, `'\\''`)}'`)).toBe("'***'");
  });

  it('hides userinfo in URLs', () => {
    expect(new Redactor().redact('https://bot:tok@pypi.example/simple and git+https://u@h/x')).toBe('https://***@pypi.example/simple and git+https://***@h/x');
  });
});
