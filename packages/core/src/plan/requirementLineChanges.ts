import { namedCount, type NamedCount } from '../model/inputChanges.js';

/** The requirement lines of a file: trimmed, without blank lines and comments (pip reads them so). */
function requirementLines(content: string): string[] {
  return content
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Lines added and removed between two contents of a requirement file, in the order they appear. */
export function requirementLineChanges(before: string, after: string): { added: NamedCount; removed: NamedCount } {
  const [old, now] = [requirementLines(before), requirementLines(after)];
  const oldSet = new Set(old);
  const nowSet = new Set(now);
  return { added: namedCount(now.filter((l) => !oldSet.has(l))), removed: namedCount(old.filter((l) => !nowSet.has(l))) };
}
