/** Replaces secret values, and credentials in URLs, with `***` in anything shown or stored. */
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
    // userinfo in URLs: scheme://user:password@host → scheme://***@host
    return out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi, '$1***@');
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
