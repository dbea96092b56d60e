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

describe('Redactor: what used to leak', () => {
  const r = new Redactor();
  it.each([
    ['a password with a raw @ (URLs split at the last @ before the host)', 'pip: https://bot:p@ss@w0rd@pypi.example/simple', 'pip: https://***@pypi.example/simple'],
    ['a connection string', 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0+/==;EndpointSuffix=core.windows.net', 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=***;EndpointSuffix=core.windows.net'],
    ['an access_token in a query string', 'GET https://api.example/v1?access_token=ya29.abc&page=2', 'GET https://api.example/v1?access_token=***&page=2'],
    ['a presigned S3 URL', 'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAX%2F2026&X-Amz-Signature=9f86d081884c7d65', 'https://b.s3.amazonaws.com/k?X-Amz-Credential=***&X-Amz-Signature=***'],
    ['an Azure SAS signature', 'https://a.blob.core.windows.net/c/b?sv=2022-11-02&sig=abc%2Bdef%3D', 'https://a.blob.core.windows.net/c/b?sv=2022-11-02&sig=***'],
    ['a Slack webhook', 'notify https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXX now', 'notify https://hooks.slack.com/*** now'],
    ['a Teams webhook', 'https://acme.webhook.office.com/webhookb2/1234@5678/IncomingWebhook/abc/def', 'https://acme.webhook.office.com/***'],
    ['a Discord webhook', 'https://discord.com/api/webhooks/123456/abcDEF-ghi', 'https://discord.com/api/webhooks/***'],
    ['a *_PAT in an ENV line', 'ENV GITHUB_PAT="ghp_abcdef0123456789"', 'ENV GITHUB_PAT="***"'],
    ['a *_PWD build arg', '--build-arg DB_PWD=hunter2 --build-arg MODE=prod', '--build-arg DB_PWD=*** --build-arg MODE=prod'],
    ['a password variable without a separator', 'ENV PGPASSWORD=hunter22 MYTOKEN=abc12345', 'ENV PGPASSWORD=*** MYTOKEN=***'],
    ['camelCase credential names', 'clientSecret=abc123 apiKey=xyz789', 'clientSecret=*** apiKey=***'],
    ['a literal value under a credential-named ENV key', 'ENV DB_PASSWORD="a \\"quoted\\" one" PORT="8080"', 'ENV DB_PASSWORD="***" PORT="8080"'],
  ])('hides %s', (_, text, expected) => {
    expect(r.redact(text)).toBe(expected);
  });

  it.each([
    'ENV PATH="/opt/venv/bin:$PATH" PWD="/app" PATTERN="x"',
    'FROM python:3.11-slim AS base',
    'https://pypi.example/simple/pandas/',
    'RUN --mount=type=cache,target=/root/.cache/pip pip install -r .stowage_user_requirements',
    // Requirement pins and names that merely contain a credential word.
    'certifi==2024.2.2\nkeyring==24.3.0 authlib==1.3.0 python-keycloak==3.9.0 tokenizers==0.19.1 google-auth==2.29.0',
    'cryptography>=42 sessionize~=1.0 passlib!=1.7.3',
    'ENV MONKEY_BUSINESS=1 AUTHOR="me" KEYBOARD_LAYOUT=us CERTIFICATION=done',
    'ARG AUTHOR=me',
    // Names of where a credential is, not credentials.
    '-e STOWAGE_CODE_AUTH_ENV=GITHUB_TOKEN -e DB_PASSWORD_FILE=/run/secrets/db',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(r.redact(text)).toBe(text);
  });
});
