import { parseRegistryUri } from '@stowage/oci';
import { gcpCredentialIssues, projectOf, type GcpCredentialSettings } from '@stowage/gcp';
import { AR_URI_EXAMPLE, GCR_URI_EXAMPLE, isGoogleRegistryHost, parseGoogleRegistryUri, projectPath, type GoogleRegistryUri } from './googleRegistryUri.js';

/**
 * Where a `gcp` registry's images live, from its config alone:
 * - `artifact-registry`: Google's `<location>-docker.pkg.dev`, or `registry_host` serving the same
 *   `<project>/<repository>/…` layout (a proxy, or a loopback registry in tests);
 * - `container-registry`: `gcr.io` and its regional hosts;
 * - `custom`: a `uri` on `registry_host` whose layout Stowage does not know.
 */
export interface RegistryLocation {
  kind: 'artifact-registry' | 'container-registry' | 'custom';
  /** `host[:port][/path]`: where image names start. */
  uri: string;
  /** `host[:port]` the registry API is served from. */
  host: string;
  project?: string;
  /** Artifact Registry location and repository, when known. */
  location?: string;
  repository?: string;
}

/** The keys of the config this reads (the schema's input, before `.strict()` objects). */
export interface RegistryLocationSettings extends GcpCredentialSettings {
  uri?: string;
  location?: string;
  repository?: string;
  registry_host?: string;
}

export interface LocationIssue {
  path: string[];
  message: string;
}

export type Located = { location: RegistryLocation; issues?: undefined } | { issues: LocationIssue[]; location?: undefined };

const NOT_GOOGLE = `expected an Artifact Registry repository like \`${AR_URI_EXAMPLE}\` or a Container Registry like \`${GCR_URI_EXAMPLE}\` (host and path, no scheme); a uri on another host (a proxy, a loopback registry in tests) needs \`registry_host\` set to that host`;

/** The registry location a config describes, or the issues (with key paths) that keep it from saying. */
export function locateRegistry(config: RegistryLocationSettings): Located {
  if (config.registry_host !== undefined) {
    const problem = registryHostProblem(config.registry_host);
    if (problem) return { issues: [{ path: ['registry_host'], message: problem }] };
  }
  return config.uri !== undefined ? fromUri(config.uri, config) : fromParts(config);
}

function registryHostProblem(host: string): string | undefined {
  const parsed = parseRegistryUri(host);
  if (!parsed || parsed.path !== undefined) return 'expected a registry host with an optional port, without scheme or path, e.g. `127.0.0.1:5000` or `registry.example.com`';
  if (isGoogleRegistryHost(parsed.registry)) return `\`${host}\` is Google's own registry host: leave \`registry_host\` out (it is for registries that are not Google's, e.g. a loopback registry in tests)`;
  return undefined;
}

function fromUri(uri: string, config: RegistryLocationSettings): Located {
  if (config.registry_host !== undefined) return customUri(uri, config);
  const parsed = parseGoogleRegistryUri(uri);
  if ('notGoogle' in parsed) return { issues: [{ path: ['uri'], message: NOT_GOOGLE }] };
  if ('problem' in parsed) return { issues: [{ path: ['uri'], message: parsed.problem }] };
  const issues = disagreements(parsed.uri, config);
  if (issues.length) return { issues };
  const { kind, host, project } = parsed.uri;
  const ar = parsed.uri.kind === 'artifact-registry' ? { location: parsed.uri.location, repository: parsed.uri.repository } : {};
  return { location: { kind, uri, host, project, ...ar } };
}

/** With `uri`, `project`, `location` and `repository` may only repeat what the uri says. */
function disagreements(uri: GoogleRegistryUri, config: RegistryLocationSettings): LocationIssue[] {
  const said: Record<'project' | 'location' | 'repository', string | undefined> = {
    project: uri.project,
    location: uri.kind === 'artifact-registry' ? uri.location : undefined,
    repository: uri.kind === 'artifact-registry' ? uri.repository : undefined,
  };
  return (['project', 'location', 'repository'] as const).flatMap((key) => {
    const value = config[key];
    if (value === undefined || value === said[key]) return [];
    if (said[key] === undefined) {
      return [{ path: [key], message: `\`${key}\` names an Artifact Registry ${key}, and the Container Registry uri \`${uri.host}/…\` has none: remove \`${key}\`` }];
    }
    return [{ path: [key], message: `\`${key}\` is ${value} but the uri says ${said[key]}: remove \`${key}\` (the uri says it) or make them agree` }];
  });
}

/** A uri on `registry_host`: images are named on that host, with whatever path the uri gives. */
function customUri(uri: string, config: RegistryLocationSettings): Located {
  const parsed = parseRegistryUri(uri);
  const host = parseRegistryUri(config.registry_host!)!.registry;
  if (!parsed) return { issues: [{ path: ['uri'], message: `expected \`${config.registry_host}[/path]\` (host and path, no scheme)` }] };
  if (parsed.registry !== host) {
    return { issues: [{ path: ['uri'], message: `the uri is on ${parsed.registry} but \`registry_host\` is ${host}: with \`registry_host\`, write the uri on that host (\`${host}/<path>\`), or leave \`uri\` out to have it made from \`project\` and \`repository\`` }] };
  }
  const unused = (['location', 'repository'] as const).filter((key) => config[key] !== undefined);
  if (unused.length) {
    return { issues: unused.map((key) => ({ path: [key], message: `\`${key}\` says nothing about a uri on \`registry_host\`: remove it, or leave \`uri\` out to have the uri made from \`project\`, \`location\` and \`repository\`` })) };
  }
  return { location: { kind: 'custom', uri, host, ...(config.project ? { project: config.project } : {}) } };
}

/** No `uri`: an Artifact Registry repository from `project` (or the key's), `location` and `repository`. */
function fromParts(config: RegistryLocationSettings): Located {
  // A key the schema rejects names no project (its issue is reported on its own key).
  const project = gcpCredentialIssues(config).length ? config.project : projectOf(config);
  const needed = { project, location: config.registry_host !== undefined ? 'any' : config.location, repository: config.repository };
  const missing = (Object.keys(needed) as (keyof typeof needed)[]).filter((key) => needed[key] === undefined);
  if (missing.length) {
    const what = `set \`uri\`, or \`project\`, \`location\` and \`repository\` of an Artifact Registry repository (\`uri\` is then \`<location>-docker.pkg.dev/<project>/<repository>\`)`;
    return { issues: missing.map((key) => ({ path: [key], message: `${what}; \`${key}\` is missing` })) };
  }
  const host = config.registry_host !== undefined ? parseRegistryUri(config.registry_host)!.registry : `${config.location}-docker.pkg.dev`;
  const uri = `${host}/${projectPath(project!)}/${config.repository}`;
  return { location: { kind: 'artifact-registry', uri, host, project: project!, repository: config.repository!, ...(config.location ? { location: config.location } : {}) } };
}
