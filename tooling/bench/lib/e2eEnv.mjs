import { existsSync, readFileSync } from 'node:fs';

/**
 * The variables of the e2e harness's env file (`export NAME='value'` lines that up.sh writes, values
 * quoted as a shell would read them), or an empty object when there is none.
 */
export function readE2eEnv(file) {
  if (!existsSync(file)) return {};
  const vars = {};
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    const m = /^export ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l.trim());
    if (m) vars[m[1]] = unquote(m[2]);
  }
  return vars;
}

/** A shell word without its quoting: 'single', "double" (\ escapes), bare (\ escapes), concatenated. */
function unquote(word) {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (c === "'") {
      const end = word.indexOf("'", i + 1);
      out += word.slice(i + 1, end < 0 ? word.length : end);
      i = end < 0 ? word.length : end;
    } else if (c === '"') {
      for (i++; i < word.length && word[i] !== '"'; i++) out += word[i] === '\\' && i + 1 < word.length ? word[++i] : word[i];
    } else if (c === '\\' && i + 1 < word.length) {
      out += word[++i];
    } else {
      out += c;
    }
  }
  return out;
}

/** Whether a registry answers its API root on plain http (200, or 401 when it wants a login). */
export async function registryAnswers(host) {
  try {
    const r = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(3000) });
    return r.status === 200 || r.status === 401;
  } catch {
    return false;
  }
}
