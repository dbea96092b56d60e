import { isLoopbackRegistry, parseRegistryUri } from '@stowage/oci';

/** What an ECR registry uri says: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn][/path]`. */
export interface EcrUri {
  accountId: string;
  region: string;
  /** `host` of the registry (no path). */
  host: string;
  /** The repository path prefix after the host, if any (`team` in `…amazonaws.com/team`). */
  path?: string;
}

const ECR_URI = /^((\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?)(?:\/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*))?$/;

export const ECR_URI_EXAMPLE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

/** The parts of an ECR registry uri, or undefined when it is not one (a trailing slash is tolerated). */
export function parseEcrUri(uri: string): EcrUri | undefined {
  const match = ECR_URI.exec(uri.replace(/\/+$/, ''));
  if (!match) return undefined;
  const [, host, accountId, region, path] = match;
  return { host: host!, accountId: accountId!, region: region!, ...(path ? { path } : {}) };
}

/** Where a registry `uri` points: an ECR registry, or a loopback registry standing in for one. */
export interface RegistryLocation {
  /** `host[:port]` of the registry. */
  host: string;
  path?: string;
  /** Only an ECR uri names its account and region. */
  accountId?: string;
  region?: string;
}

/**
 * An ECR uri, or a loopback `host:port[/path]`: a test registry the local engine can push to
 * (an ECR host cannot be reached from here), so image names there are real pushable names.
 */
export function locateRegistry(uri: string): RegistryLocation | undefined {
  const ecr = parseEcrUri(uri);
  if (ecr) return ecr;
  const parsed = parseRegistryUri(uri.replace(/\/+$/, ''));
  if (!parsed || !isLoopbackRegistry(parsed.registry)) return undefined;
  return { host: parsed.registry, ...(parsed.path ? { path: parsed.path } : {}) };
}
