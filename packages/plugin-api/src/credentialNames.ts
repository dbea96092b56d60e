// Words that make a name (a `${VAR}`, a settings key, an environment variable, a query parameter)
// look like it holds a credential. PAT (personal access token) and PWD only as a word of a longer
// name (`GITHUB_PAT`, `DB_PWD`): `PATH` and the shell's `PWD` are not credentials.
const CREDENTIAL_NAME =
  /TOKEN|SECRET|PASSWORD|PASSWD|PASS\b|_PASS|KEY|CREDENTIAL|AUTH|PRIVATE|CERT|SESSION|COOKIE|SIGNATURE|(^|[_-])(PAT|SIG)($|[_-])|[_-]PWD($|[_-])/i;

/** True when a name looks like it holds a credential (its value is redacted in output). */
export function looksLikeCredential(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}
