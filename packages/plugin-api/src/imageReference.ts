import { StowageError } from './errors.js';
import type { ImageRef } from './ImageRef.js';

// The grammar of github.com/distribution/reference (what `docker push` accepts).
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[[a-fA-F0-9:]+\\]';
const DOMAIN = new RegExp(`^(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?$`);
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
/** A repository path: lower-case components separated by `/`. */
export const REPOSITORY_PATTERN = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REPOSITORY = new RegExp(`^${REPOSITORY_PATTERN}$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const MAX_NAME_LENGTH = 255;

const TAG_RULE = 'up to 128 of [A-Za-z0-9_.-], not starting with . or -';
const REPOSITORY_RULE = 'lower-case letters, digits and . _ - separators, joined by /';

/** Docker Hub answers to several names; they all mean `docker.io`. */
export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
/** Where Docker Hub's v2 API really lives (docker.io itself only redirects to the website). */
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** `docker.io`, `index.docker.io`, … → `docker.io`; other hosts lower-cased. */
export function normalizeRegistryHost(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/** The host the v2 API is served from (differs from the image-name host only for Docker Hub). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
}

/** Hosts Docker itself treats as insecure (plain http) registries by default. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : registry.replace(/:\d+$/, '');
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * The tag or digest to put in `/v2/<repo>/manifests/<here>`. When a reference has both, the
 * digest is what is asked for (as docker does).
 */
export function manifestReferenceOf(reference: Pick<ImageRef, 'tag' | 'digest'>): string {
  return reference.digest ?? reference.tag ?? 'latest';
}

/** distribution's rule: the first component is a registry host iff it has `.` or `:`, is localhost, or has capitals. */
function looksLikeRegistryHost(component: string): boolean {
  return /[.:]/.test(component) || component === 'localhost' || component.startsWith('[') || component !== component.toLowerCase();
}

/** A configured registry `uri` (`host[:port][/path]`, no scheme), or undefined when it has another shape. */
export function parseRegistryUri(uri: string): { registry: string; path?: string } | undefined {
  const slash = uri.indexOf('/');
  const host = slash === -1 ? uri : uri.slice(0, slash);
  const path = slash === -1 ? undefined : uri.slice(slash + 1);
  if (!DOMAIN.test(host) || !looksLikeRegistryHost(host)) return undefined;
  if (path !== undefined && !REPOSITORY.test(path)) return undefined;
  return { registry: normalizeRegistryHost(host), path };
}

function invalidReference(reference: string, why: string): StowageError {
  return new StowageError(`"${reference}" is not a valid image reference: ${why}`, {
    code: 'USAGE',
    hint: 'expected <host>[:port]/<repository>[:<tag>] or <host>[:port]/<repository>@sha256:<digest>',
  });
}

/** `name[:tag][@digest]` split as written (a `:` before the last `/` is a port, not a tag). */
function splitReference(reference: string): { name: string; tag?: string; digest?: string } {
  const at = reference.lastIndexOf('@');
  const digest = at === -1 ? undefined : reference.slice(at + 1);
  const nameAndTag = at === -1 ? reference : reference.slice(0, at);
  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > nameAndTag.lastIndexOf('/');
  return {
    name: hasTag ? nameAndTag.slice(0, colon) : nameAndTag,
    ...(hasTag && { tag: nameAndTag.slice(colon + 1) }),
    ...(digest !== undefined && { digest }),
  };
}

/**
 * Parses `[<host>[:port]/]<repository>[:<tag>][@<digest>]` the way docker does: no host means
 * Docker Hub (`docker.io` for every alias), and a one-component Docker Hub name is an official
 * image under `library/`. A malformed reference throws USAGE.
 */
export function parseImageReference(reference: string): ImageRef {
  const invalid = (why: string) => invalidReference(reference, why);
  const { name, tag, digest } = splitReference(reference);
  if (digest !== undefined && !DIGEST.test(digest)) throw invalid(`"${digest}" is not a digest like sha256:<64 hex>`);
  if (tag !== undefined && !TAG.test(tag)) throw invalid(`"${tag}" is not a tag (${TAG_RULE})`);
  if (!name) throw invalid('the name is empty');
  if (name.length > MAX_NAME_LENGTH) throw invalid(`the name is longer than ${MAX_NAME_LENGTH} characters`);

  const { registry, repository } = splitRegistry(name);
  if (!DOMAIN.test(registry)) throw invalid(`"${registry}" is not a registry host`);
  if (!REPOSITORY.test(repository)) throw invalid(`"${repository}" is not a repository path (${REPOSITORY_RULE})`);
  return { registry: normalizeRegistryHost(registry), repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

function splitRegistry(name: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const hasHost = slash !== -1 && looksLikeRegistryHost(first);
  const registry = hasHost ? first : DOCKER_HUB;
  const repository = hasHost ? name.slice(slash + 1) : name;
  const official = normalizeRegistryHost(registry) === DOCKER_HUB && !repository.includes('/');
  return { registry, repository: official ? `library/${repository}` : repository };
}

/**
 * The fully qualified `registry/repository[:tag][@digest]` (`docker.io/library/python:3.11`,
 * never the short Docker Hub form), which parses back to the same reference. Throws USAGE when
 * a part is malformed.
 */
export function formatImageReference(ref: ImageRef): string {
  const text = `${normalizeRegistryHost(ref.registry)}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
  const why = malformedPart(ref);
  if (why) throw invalidReference(text, why);
  return text;
}

function malformedPart(ref: ImageRef): string | undefined {
  if (!DOMAIN.test(ref.registry)) return `"${ref.registry}" is not a registry host`;
  if (!REPOSITORY.test(ref.repository)) return `"${ref.repository}" is not a repository path (${REPOSITORY_RULE})`;
  if (ref.tag !== undefined && !TAG.test(ref.tag)) return `"${ref.tag}" is not a tag (${TAG_RULE})`;
  if (ref.digest !== undefined && !DIGEST.test(ref.digest)) return `"${ref.digest}" is not a digest like sha256:<64 hex>`;
  return undefined;
}

/**
 * The image name without its tag and digest, spelt as given: `host:5000/team/app:1` →
 * `host:5000/team/app` (a port is not a tag), `python:3.11@sha256:…` → `python`. Throws USAGE for
 * a malformed name.
 */
export function repositoryOf(imageName: string): string {
  parseImageReference(imageName);
  return splitReference(imageName).name;
}

/** `<repository>@<digest>`: the image pinned to one manifest (any tag of `imageName` is dropped, as docker prints it). */
export function withDigest(imageName: string, digest: string): string {
  if (!DIGEST.test(digest)) throw invalidReference(`${imageName}@${digest}`, `"${digest}" is not a digest like sha256:<64 hex>`);
  return `${repositoryOf(imageName)}@${digest}`;
}
