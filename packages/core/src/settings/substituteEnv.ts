import type { ConfigIssue, KeyPath } from '../config/ConfigIssue.js';
import { isPlainObject } from './camelCase.js';
import { looksLikeCredential } from '@stowage/plugin-api';

// ZenML's placeholder pattern: only the braced form `${NAME}` with [A-Za-z0-9_] names.
const PLACEHOLDER = /\$\{([a-zA-Z0-9_]+)\}/g;
/** Literal values shorter than this under a credential-named key are not redacted everywhere (`AUTH_MODE: none`). */
const MIN_LITERAL_SECRET = 8;

export interface Substitution<T> {
  value: T;
  /** Values substituted from credential-looking variables: to be redacted wherever printed. */
  secrets: string[];
  /** Literal values written under credential-named keys (`DB_PASSWORD: hunter2!`): redacted too. */
  literalSecrets: string[];
  issues: ConfigIssue[];
}

function missingVariable(name: string, path: KeyPath): ConfigIssue {
  return { path, message: `environment variable "${name}" is not set (used as \${${name}})`, hint: `export ${name}=… before running stowage, or remove the placeholder` };
}

/** The nearest mapping key of a path: what a value is "under" (`HF_TOKEN` for `environment.HF_TOKEN`). */
function keyOf(path: KeyPath): string | undefined {
  return [...path].reverse().find((p): p is string => typeof p === 'string');
}

/**
 * Keys that name where a credential is, not the credential: `token_env: GITHUB_TOKEN` (a variable's
 * name), `password_file`, `key_path`, `auth_header`, `secret_name`.
 */
const REFERENCE_KEY = /[_-](env|var|name|file|path|header|prefix|type|mode|url|id)$/i;

/** A value written out (no `${VAR}`) under a credential-named key, long enough not to be an ordinary word. */
function isLiteralSecret(value: string, path: KeyPath): boolean {
  const key = keyOf(path);
  return !value.match(PLACEHOLDER) && value.length >= MIN_LITERAL_SECRET && key !== undefined && looksLikeCredential(key) && !REFERENCE_KEY.test(key);
}

/**
 * Replaces `${VAR}` in mapping keys and string values (recursively), from `env`, before
 * validation. A missing variable is an issue naming the variable and the key path it was used at.
 */
export function substituteEnv<T>(
  input: T,
  env: Readonly<Record<string, string | undefined>>,
  basePath: KeyPath = [],
): Substitution<T> {
  const secrets = new Set<string>();
  const literalSecrets = new Set<string>();
  const issues: ConfigIssue[] = [];

  const text = (s: string, path: KeyPath): string =>
    s.replace(PLACEHOLDER, (whole, name: string) => {
      const v = env[name];
      if (v === undefined) {
        issues.push(missingVariable(name, path));
        return whole;
      }
      // A credential by its variable's name, or by the key it is substituted under (HF_TOKEN: ${HF}).
      const key = keyOf(path);
      if (v && (looksLikeCredential(name) || (key !== undefined && looksLikeCredential(key)))) secrets.add(v);
      return v;
    });

  const walk = (v: unknown, path: KeyPath): unknown => {
    if (typeof v === 'string') {
      if (isLiteralSecret(v, path)) literalSecrets.add(v);
      return text(v, path);
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        const key = text(k, [...path, k]);
        if (key === '__proto__' && k !== key) issues.push({ path: [...path, k], message: `the key "${k}" becomes "__proto__", which cannot be used`, hint: 'rename it' });
        out[key] = walk(item, [...path, key]);
      }
      return out;
    }
    return v;
  };

  const value = walk(input, basePath) as T;
  return { value, secrets: [...secrets], literalSecrets: [...literalSecrets], issues };
}
