import { StowageError } from '@stowage/plugin-api';

export interface RequirementLine {
  line: string;
  /** Why the line points at local files (editable installs, file paths), if it does. */
  local?: string;
  /** How to install it in an image when the line itself cannot be used (`-e git+…` → `git+…`). */
  installAs?: string;
}

const EDITABLE = /^(-e|--editable)(\s|=)/;
const FILE_URL = /(^|\s|@\s*)file:/i;
const LOCAL_PATH = /^(\.{1,2}\/|\/|~\/)/;
const VCS_URL = /^(git|hg|svn|bzr)\+[a-z]+:\/\//i;

/** Classifies requirements.txt lines; local ones cannot be installed inside an image. */
export function parseRequirementLines(text: string): RequirementLine[] {
  return text.split(/\r?\n/).map((line) => {
    const t = line.trim();
    if (EDITABLE.test(t)) {
      // `-e git+https://…#egg=x` installs anywhere; only editable installs of local folders cannot.
      const target = t.replace(EDITABLE, '').trim();
      if (VCS_URL.test(target)) return { line, installAs: target };
      return { line, local: 'editable install of a local project' };
    }
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
    else kept.push(l.installAs ?? l.line);
  }
  return { requirements: kept.join('\n'), dropped };
}

// What Python's str.splitlines() (pip reads requirement files with it) breaks a line at, and NUL.
const LINE_BREAK = /[\n\r\v\f\x1c-\x1e\x85\u2028\u2029\0]/;

/**
 * One item of a `requirements:` list is one line of the generated requirements file: a line break
 * in it would start another line there, e.g. an `--index-url` every later install would use.
 */
export function assertRequirementLine(item: string): void {
  if (!LINE_BREAK.test(item)) return;
  throw new StowageError(`the requirement ${JSON.stringify(item)} holds a line break: each part would become its own line of the requirements file (a pip option such as --index-url)`, {
    code: 'SETTINGS_INVALID',
    hint: 'write one requirement per list item, without line breaks',
  });
}
