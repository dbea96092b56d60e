export interface RequirementLine {
  line: string;
  /** Why the line points at local files (editable installs, file paths), if it does. */
  local?: string;
}

const EDITABLE = /^(-e|--editable)(\s|=)/;
const FILE_URL = /(^|\s|@\s*)file:/i;
const LOCAL_PATH = /^(\.{1,2}\/|\/|~\/)/;

/** Classifies requirements.txt lines; local ones cannot be installed inside an image. */
export function parseRequirementLines(text: string): RequirementLine[] {
  return text.split(/\r?\n/).map((line) => {
    const t = line.trim();
    if (EDITABLE.test(t)) return { line, local: 'editable install of a local project' };
    if (FILE_URL.test(t)) return { line, local: 'installed from a local path' };
    if (LOCAL_PATH.test(t)) return { line, local: 'a local path' };
    return { line };
  });
}

/** Splits an export into what an image can install and what it cannot (local projects). */
export function filterLocalRequirements(text: string): { requirements: string; dropped: { line: string; reason: string }[] } {
  const kept: string[] = [];
  const dropped: { line: string; reason: string }[] = [];
  for (const l of parseRequirementLines(text)) {
    if (l.local) dropped.push({ line: l.line.trim(), reason: `${l.local}; install it with local_project_install_command` });
    else kept.push(l.line);
  }
  return { requirements: kept.join('\n'), dropped };
}
