import type { ConfigIssue, KeyPath } from './ConfigIssue.js';

/**
 * `__proto__` as a key (a step, an environment variable, …) would be dropped without a word by
 * the first `out[key] = value` of a later stage (it sets the object's prototype instead), so the
 * step or variable would silently vanish from the image: it is refused where it is written.
 */
export function reservedKeyIssues(value: unknown, basePath: KeyPath = []): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const stack: { value: unknown; path: KeyPath }[] = [{ value, path: basePath }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const v = item.value;
    // Pushed last to first, so issues come in the order they are written.
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...item.path, i] });
    else if (typeof v === 'object' && v !== null) {
      for (const key of Object.keys(v).reverse()) {
        const path = [...item.path, key];
        if (key === '__proto__') issues.push({ path, message: 'the key "__proto__" cannot be used: it is reserved in JavaScript and would be dropped', hint: 'rename it' });
        else stack.push({ value: (v as Record<string, unknown>)[key], path });
      }
    }
  }
  return issues;
}
