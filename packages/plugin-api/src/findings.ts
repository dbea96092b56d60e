/** A non-fatal finding (deprecated key, ignored ZenML key, ignored parent image, …). */
export interface Warning {
  message: string;
  file?: string;
  keyPath?: string;
  line?: number;
}

export function formatWarning(w: Warning): string {
  const where = [w.file && (w.line ? `${w.file}:${w.line}` : w.file), w.keyPath].filter(Boolean).join(' ');
  return `warning: ${where ? `${where}: ` : ''}${w.message}`;
}

/** Collects warnings once each (same message at the same place is reported once). */
export class WarningList {
  readonly items: Warning[] = [];
  private readonly seen = new Set<string>();

  add(w: Warning): void {
    const key = `${w.file ?? ''}|${w.keyPath ?? ''}|${w.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(w);
  }

  addAll(ws: Iterable<Warning>): void {
    for (const w of ws) this.add(w);
  }
}

/** What a plugin reports at plan time about a planned build (`check()`): a warning or an error. */
export interface Finding {
  severity: 'warning' | 'error';
  message: string;
  hint?: string;
}
