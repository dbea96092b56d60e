import type { ConfigIssue, KeyPath } from '../config/ConfigIssue.js';
import { isPlainObject } from './camelCase.js';

// ZenML's placeholder pattern: only the braced form `${NAME}` with [A-Za-z0-9_] names.
const PLACEHOLDER = /\$\{([a-zA-Z0-9_]+)\}/g;
const CREDENTIAL_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|PASS\b|_PASS|KEY|CREDENTIAL|AUTH|PRIVATE|CERT|SESSION|COOKIE/i;

/** True when a variable name looks like it holds a credential (its value is redacted in output). */
export function looksLikeCredential(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

export interface Substitution<T> {
  value: T;
  /** Values substituted from credential-looking variables: to be redacted wherever printed. */
  secrets: string[];
  issues: ConfigIssue[];
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
  const issues: ConfigIssue[] = [];

  const text = (s: string, path: KeyPath): string =>
    s.replace(PLACEHOLDER, (whole, name: string) => {
      const v = env[name];
      if (v === undefined) {
        issues.push({
          path,
          message: `environment variable "${name}" is not set (used as \${${name}})`,
          hint: `export ${name}=… before running stowage, or remove the placeholder`,
        });
        return whole;
      }
      // A credential by its variable's name, or by the key it is substituted under (HF_TOKEN: ${HF}).
      const key = [...path].reverse().find((p): p is string => typeof p === 'string');
      if (v && (looksLikeCredential(name) || (key !== undefined && looksLikeCredential(key)))) secrets.add(v);
      return v;
    });

  const walk = (v: unknown, path: KeyPath): unknown => {
    if (typeof v === 'string') return text(v, path);
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        const key = text(k, [...path, k]);
        out[key] = walk(item, [...path, key]);
      }
      return out;
    }
    return v;
  };

  const value = walk(input, basePath) as T;
  return { value, secrets: [...secrets], issues };
}
