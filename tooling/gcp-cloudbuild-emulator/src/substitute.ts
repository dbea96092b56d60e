import { invalidBuild } from './GoogleApiError.js';

// `$$` is a literal `$`; `$NAME` and `${NAME}` are substitutions (Cloud Build's template syntax).
const TEMPLATE = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Z_][A-Z0-9_]*))/g;
const USER_KEY = /^_[A-Z0-9_]+$/;

export interface SubstitutionSet {
  builtIns: Readonly<Record<string, string>>;
  user: Readonly<Record<string, string>>;
  /** `options.substitutionOption: ALLOW_LOOSE`: unknown keys become empty instead of failing the request. */
  loose: boolean;
}

/**
 * Applies substitutions to every template of a build, as Cloud Build does on CreateBuild:
 * with MUST_MATCH (the default) a key that is neither built-in nor given, or a given user key
 * that no template uses, is INVALID_ARGUMENT.
 */
export class Substitutions {
  private readonly used = new Set<string>();

  constructor(private readonly set: SubstitutionSet) {
    for (const key of Object.keys(set.user)) {
      if (!USER_KEY.test(key)) throw invalidBuild(`invalid value for 'build.substitutions': key "${key}" must begin with an underscore and use only uppercase letters, digits and underscores`);
    }
  }

  apply(template: string): string {
    return template.replace(TEMPLATE, (_match, dollar: string | undefined, braced: string | undefined, bare: string | undefined) => {
      if (dollar) return '$';
      const key = (braced ?? bare)!;
      this.used.add(key);
      if (key in this.set.user) return this.set.user[key]!;
      if (key in this.set.builtIns) return this.set.builtIns[key]!;
      if (this.set.loose) return '';
      const why = key.startsWith('_') ? 'is not matched in the substitution data' : 'is not a valid built-in substitution';
      throw invalidBuild(`key in the template "${key}" ${why}`);
    });
  }

  /** After every template: a user key no template used is an error (MUST_MATCH). */
  checkAllUsed(): void {
    if (this.set.loose) return;
    const unused = Object.keys(this.set.user).find((key) => !this.used.has(key));
    if (unused) throw invalidBuild(`key "${unused}" in the substitution data is not matched in the template`);
  }
}
