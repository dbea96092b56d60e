// `scheme://userinfo@`, to the last `@` before the host: a password may hold a raw `@`.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/'"]+@/gi;
// Webhook URLs carry their secret in the path (Slack, Teams, Discord, `/webhook/…`, `/hooks/…`).
const WEBHOOK_PATHS = [
  /\b(https?:\/\/hooks\.slack\.com\/)[^\s'"<>]+/gi,
  /\b(https?:\/\/[^\s/'"<>]*webhook\.office\.com\/)[^\s'"<>]+/gi,
  /\b(https?:\/\/[^\s'"<>]*?\/(?:web)?hooks?\/)[^\s'"<>]+/gi,
];
// `NAME=value` (ENV lines, build args, `-e`, connection strings, query strings): the value is
// hidden when NAME looks like a credential (`AccountKey=`, `access_token=`, `X-Amz-Signature=`).
// Never `name==1.0` (a requirement pin: `=` followed by `=`).
const NAMED_VALUE = /([A-Za-z][\w.-]*)=(?!=)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s;&'",<>]+)/g;
// In free text a name counts only when one of its words is a credential word, or it ends in one
// of the unambiguous ones (`PGPASSWORD`, `MYTOKEN`): `AUTHOR=`, `MONKEY=`, `certifi=` are not
// credentials, whatever substring they hold. (`${VAR}` names are matched more widely:
// `looksLikeCredential` — there a false hit only hides more.)
const CREDENTIAL_WORD = /^(?:token|secret|password|passwd|pass|pwd|key|apikey|accesskey|credentials?|auth|private|cert|session|cookie|signature|sig|pat)$/i;
const CREDENTIAL_SUFFIX = /(?:password|passwd|token|secret|apikey|accesskey)$/i;

function isCredentialPairName(name: string): boolean {
  if (CREDENTIAL_SUFFIX.test(name)) return true;
  // The shell's working directory, not a password.
  if (/^pwd$/i.test(name)) return false;
  // Where a credential is, not the credential: STOWAGE_CODE_AUTH_ENV=GITHUB_TOKEN, DB_PASSWORD_FILE=/run/x.
  if (/[_-](env|var|name|file|path|header|prefix|type|mode)$/i.test(name)) return false;
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_.-]+/)
    .some((word) => CREDENTIAL_WORD.test(word));
}

/**
 * Replaces secret values, credentials in URLs (userinfo, webhook paths) and the values of
 * credential-named `NAME=value` pairs with `***` in anything shown or stored.
 */
export class Redactor {
  private secrets: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined | null): void {
    // Very short values would redact ordinary text; they are still never printed on purpose.
    if (!secret || secret.length < 4) return;
    // The forms a value takes where Stowage writes it: Dockerfile ENV (\\ \" \$ escaped),
    // shell single quotes, JSON strings.
    const forms = [secret, secret.replace(/[\\"$]/g, (c) => `\\${c}`), secret.replace(/'/g, `'\\''`), JSON.stringify(secret).slice(1, -1)];
    for (const form of forms) if (!this.secrets.includes(form)) this.secrets.push(form);
    this.secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    out = out.replace(URL_USERINFO, '$1***@');
    for (const webhook of WEBHOOK_PATHS) out = out.replace(webhook, '$1***');
    return out.replace(NAMED_VALUE, (pair, name: string, value: string) => (isCredentialPairName(name) ? `${name}=${quoted(value, '***')}` : pair));
  }

  /** Redacts every string in a JSON-like value (keys included). */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [this.redact(k), this.redactDeep(v)]),
      ) as T;
    }
    return value;
  }
}

/** `***` in the quotes the value had. */
function quoted(value: string, replacement: string): string {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${quote}${replacement}${quote}`;
}
