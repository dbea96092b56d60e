import dockerignore from '@balena/dockerignore';
import { toBalenaPattern } from './toBalenaPattern.js';

type BalenaIgnore = ReturnType<typeof dockerignore.default>;

interface Rule {
  negated: boolean;
  /** balena holding this one pattern, without its `!`. */
  pattern: BalenaIgnore;
}

/** A balena matcher for one pattern body; Docker on Linux matches case-sensitively. */
export function compileRule(body: string): BalenaIgnore {
  return dockerignore.default({ ignorecase: false }).add(toBalenaPattern(body));
}

/**
 * Docker's `.dockerignore` decision for one path, plus the rule it uses to decide whether an
 * excluded directory must still be walked. Each pattern is matched by @balena/dockerignore; the
 * rules are combined as current Docker does (patternmatcher's MatchesOrParentMatches): a pattern
 * applies to a path when it matches the path or ANY of its parent directories, and the last
 * applying pattern wins. balena's own combination (moby 19.03) tries a single parent for most
 * patterns, so `a/**\/b` with `!a/b/keep` would keep `a/b/other` where current Docker drops it.
 */
export class DockerignoreMatcher {
  private readonly rules: readonly Rule[];
  private readonly reincludePrefixes: readonly string[];

  /** @param patterns as returned by `parseDockerignore` (already normalised and checked). */
  constructor(readonly patterns: readonly string[]) {
    this.rules = patterns.map((p) => {
      const negated = p.startsWith('!');
      return { negated, pattern: compileRule(negated ? p.slice(1) : p) };
    });
    this.reincludePrefixes = patterns.filter((p) => p.startsWith('!')).map((p) => `${p.slice(1)}/`);
  }

  /** Whether Docker leaves `path` (POSIX, relative to the root, never `.`) out of the context. */
  ignores(path: string): boolean {
    const candidates = [path, ...parentsOf(path)];
    let excluded = false;
    for (const rule of this.rules) {
      // A rule that cannot change the outcome is skipped, as patternmatcher does.
      if (rule.negated !== excluded) continue;
      // balena's ignores() of a one-pattern matcher = the pattern matches the path or one of its parents.
      if (candidates.some((candidate) => rule.pattern.ignores(candidate))) excluded = !rule.negated;
    }
    return excluded;
  }

  /**
   * Whether Docker walks into the excluded directory `dir` anyway. It does so only when some `!`
   * pattern, read as a plain string, starts with `dir/` (moby's TarWithOptions; fsutil in the
   * BuildKit of 20.10), so `!**\/keep.txt` never reaches into an excluded `build/`.
   */
  mayReincludeBelow(dir: string): boolean {
    const prefix = `${dir}/`;
    return this.reincludePrefixes.some((p) => p.startsWith(prefix));
  }
}

/** `a/b/c` → `a`, `a/b`. */
function parentsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
