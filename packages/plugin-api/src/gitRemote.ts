/** A git remote URL, reduced to what identifies the repository it points at. */
export interface GitRemote {
  /** `https`, `http`, `ssh` or `git`. */
  transport: string;
  /** Lower-case host name, without port. */
  hostname: string;
  /** The port when the URL names one that is not its scheme's default. */
  port: string;
  /** Repository path without leading or trailing `/` and without `.git`, e.g. `acme/demo`. */
  path: string;
}

const TRANSPORTS: Readonly<Record<string, string>> = { 'https:': 'https', 'http:': 'http', 'ssh:': 'ssh', 'git+ssh:': 'ssh', 'ssh+git:': 'ssh', 'git:': 'git' };

// `[user@]host:path` (git's scp-like syntax); a `host` of one letter is a Windows drive, not a host.
const SCP_LIKE = /^(?:[^@/]+@)?([^:/]{2,}):(?!\/\/)(.+)$/;

function trimPath(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/i, '');
}

/**
 * Parses the remote forms git accepts for a network repository: `https://host/owner/repo(.git)`,
 * `ssh://git@host[:port]/owner/repo`, `git@host:owner/repo.git`. Local paths and `file://`
 * URLs are not remotes of a forge: undefined.
 */
export function parseGitRemote(url: string): GitRemote | undefined {
  const text = url.trim();
  const scp = text.includes('://') ? null : SCP_LIKE.exec(text);
  if (scp) return { transport: 'ssh', hostname: scp[1]!.toLowerCase(), port: '', path: trimPath(scp[2]!) };
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return undefined;
  }
  const transport = TRANSPORTS[parsed.protocol];
  if (!transport || !parsed.hostname) return undefined;
  return { transport, hostname: parsed.hostname.toLowerCase(), port: parsed.port, path: trimPath(decodeURIComponent(parsed.pathname)) };
}

/**
 * Whether a remote is on the web host `host` (`name[:port]`): http(s) remotes must match the port
 * too; ssh and git remotes only the name (their port is not the web port).
 */
export function isOnHost(remote: GitRemote, host: string): boolean {
  const [hostname, port = ''] = host.toLowerCase().split(':') as [string, string?];
  if (remote.hostname !== hostname) return false;
  return remote.transport.startsWith('http') ? remote.port === port : true;
}
