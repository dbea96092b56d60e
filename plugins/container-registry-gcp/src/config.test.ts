import { describe, expect, it } from 'vitest';
import { makeTestServiceAccount } from '@stowage/gcp-auth-emulator';
import { GcpContainerRegistryConfigSchema } from './config.js';
import { artifactRepositoryOf, parseGoogleRegistryUri } from './googleRegistryUri.js';
import { gcpContainerRegistryFlavor } from './plugin.js';

const AR = 'europe-west1-docker.pkg.dev/my-project/images';
const issues = (config: Record<string, unknown>) => {
  const result = GcpContainerRegistryConfigSchema.safeParse(config);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const describeConfig = (config: Record<string, unknown>) => gcpContainerRegistryFlavor.describe(GcpContainerRegistryConfigSchema.parse(config), { projectRoot: '/tmp' });

describe('parseGoogleRegistryUri', () => {
  it.each([
    [AR, { kind: 'artifact-registry', host: 'europe-west1-docker.pkg.dev', location: 'europe-west1', project: 'my-project', repository: 'images' }],
    ['us-docker.pkg.dev/my-project/images/team/ml', { kind: 'artifact-registry', host: 'us-docker.pkg.dev', location: 'us', project: 'my-project', repository: 'images', path: 'team/ml' }],
    ['northamerica-northeast1-docker.pkg.dev/example.com/my-project/repo', { kind: 'artifact-registry', host: 'northamerica-northeast1-docker.pkg.dev', location: 'northamerica-northeast1', project: 'example.com:my-project', repository: 'repo' }],
    ['gcr.io/my-project', { kind: 'container-registry', host: 'gcr.io', project: 'my-project' }],
    ['eu.gcr.io/my-project/team', { kind: 'container-registry', host: 'eu.gcr.io', project: 'my-project', path: 'team' }],
    ['asia.gcr.io/example.com/my-project', { kind: 'container-registry', host: 'asia.gcr.io', project: 'example.com:my-project' }],
  ])('%s', (uri, expected) => {
    expect(parseGoogleRegistryUri(uri)).toEqual({ uri: expected });
  });

  it.each(['ghcr.io/acme', '127.0.0.1:5000/my-project/images', 'https://' + AR, 'docker.pkg.dev/my-project/images', 'de.gcr.io/my-project', 'not a uri'])('%s is not a Google registry', (uri) => {
    expect(parseGoogleRegistryUri(uri)).toEqual({ notGoogle: true });
  });

  it.each([
    ['europe-west1-docker.pkg.dev/my-project', /names the repository after the project: `europe-west1-docker.pkg.dev\/my-project\/<repository>`/],
    ['europe-west1-docker.pkg.dev', /names the project and the repository/],
    ['europe-west1-docker.pkg.dev/1project/images', /names the project and the repository/],
    ['europe-west1-docker.pkg.dev/my-project/9images', /"9images" is not an Artifact Registry repository id/],
    ['gcr.io', /a Container Registry uri names the project: `gcr.io\/<project>`/],
  ])('%s says what is missing', (uri, problem) => {
    const parsed = parseGoogleRegistryUri(uri);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
  });

  it('finds the Artifact Registry repository of an image repository path', () => {
    expect(artifactRepositoryOf('my-project/images/stowage')).toEqual({ project: 'my-project', repository: 'images' });
    expect(artifactRepositoryOf('example.com/my-project/images/a/b')).toEqual({ project: 'example.com:my-project', repository: 'images' });
    expect(artifactRepositoryOf('stowage')).toBeUndefined();
  });
});

describe('GcpContainerRegistryConfigSchema and describe()', () => {
  it('takes an Artifact Registry uri alone (strips a trailing slash) and describes it', () => {
    expect(GcpContainerRegistryConfigSchema.parse({ uri: `${AR}/` })).toEqual({ uri: AR, timeout_seconds: 30 });
    expect(describeConfig({ uri: AR, default_repository: 'trainer' })).toEqual({ uri: AR, defaultRepository: 'trainer', identity: { uri: AR, default_repository: 'trainer' } });
  });

  it('makes the uri from project, location and repository when there is none', () => {
    expect(describeConfig({ project: 'my-project', location: 'europe-west1', repository: 'images' }).uri).toBe(AR);
    expect(describeConfig({ project: 'example.com:my-project', location: 'us', repository: 'images' }).uri).toBe('us-docker.pkg.dev/example.com/my-project/images');
  });

  it("takes the project from the service-account key's project_id", () => {
    const account = makeTestServiceAccount('builder@key-project.iam.gserviceaccount.com', 'key-project');
    expect(describeConfig({ location: 'us', repository: 'images', service_account_key: account.keyJson }).uri).toBe('us-docker.pkg.dev/key-project/images');
  });

  it('takes Container Registry hosts', () => {
    expect(describeConfig({ uri: 'eu.gcr.io/my-project' }).uri).toBe('eu.gcr.io/my-project');
    expect(issues({ uri: 'gcr.io/my-project', project: 'my-project' })).toEqual([]);
  });

  it('says what a Google registry uri looks like, and how to use another host', () => {
    expect(issues({ uri: 'ghcr.io/acme' })).toEqual([
      'uri: expected an Artifact Registry repository like `europe-west1-docker.pkg.dev/my-project/images` or a Container Registry like `gcr.io/my-project` (host and path, no scheme); a uri on another host (a proxy, a loopback registry in tests) needs `registry_host` set to that host',
    ]);
    expect(issues({ uri: '127.0.0.1:5000/my-project/images' })[0]).toMatch(/^uri: expected an Artifact Registry repository/);
    expect(issues({ uri: 'europe-west1-docker.pkg.dev/my-project' })).toEqual([
      'uri: an Artifact Registry uri names the repository after the project: `europe-west1-docker.pkg.dev/my-project/<repository>` (images live in a repository, which must exist)',
    ]);
  });

  it('wants project, location and repository when there is no uri, naming each missing key', () => {
    expect(issues({ project: 'my-project' })).toEqual([
      'location: set `uri`, or `project`, `location` and `repository` of an Artifact Registry repository (`uri` is then `<location>-docker.pkg.dev/<project>/<repository>`); `location` is missing',
      'repository: set `uri`, or `project`, `location` and `repository` of an Artifact Registry repository (`uri` is then `<location>-docker.pkg.dev/<project>/<repository>`); `repository` is missing',
    ]);
    expect(issues({})).toHaveLength(3);
  });

  it('rejects project, location or repository that disagree with the uri', () => {
    expect(issues({ uri: AR, project: 'other-project', location: 'us', repository: 'images' })).toEqual([
      'project: `project` is other-project but the uri says my-project: remove `project` (the uri says it) or make them agree',
      'location: `location` is us but the uri says europe-west1: remove `location` (the uri says it) or make them agree',
    ]);
    expect(issues({ uri: 'gcr.io/my-project', repository: 'images' })).toEqual([
      'repository: `repository` names an Artifact Registry repository, and the Container Registry uri `gcr.io/…` has none: remove `repository`',
    ]);
  });

  it('takes a registry that is not Google’s only with registry_host, and names images on it', () => {
    expect(describeConfig({ registry_host: '127.0.0.1:5555', project: 'stowage-test', repository: 'images' }).uri).toBe('127.0.0.1:5555/stowage-test/images');
    expect(describeConfig({ registry_host: 'registry.corp.example', uri: 'registry.corp.example/gcp/team' }).uri).toBe('registry.corp.example/gcp/team');
    expect(issues({ registry_host: '127.0.0.1:5555', uri: '127.0.0.1:5000/x' })[0]).toMatch(/^uri: the uri is on 127\.0\.0\.1:5000 but `registry_host` is 127\.0\.0\.1:5555/);
    expect(issues({ registry_host: '127.0.0.1:5555', uri: '127.0.0.1:5555/x', repository: 'images' })[0]).toMatch(/^repository: `repository` says nothing about a uri on `registry_host`/);
    expect(issues({ registry_host: 'http://127.0.0.1:5555', project: 'stowage-test', repository: 'images' })[0]).toMatch(/^registry_host: expected a registry host with an optional port, without scheme or path/);
    expect(issues({ registry_host: 'us-docker.pkg.dev', project: 'stowage-test', repository: 'images' })[0]).toMatch(/^registry_host: `us-docker.pkg.dev` is Google's own registry host/);
  });

  it('checks the credential keys with @stowage/gcp’s wording, never echoing a key', () => {
    expect(issues({ uri: AR, access_token: 'ya29.x', service_account_key: '{}' })).toContain(
      'access_token: `service_account_key` and `access_token` are both set: keep one (or neither, to use Application Default Credentials)',
    );
    const problems = issues({ uri: AR, service_account_key: 'not-json-secret-value' });
    expect(problems[0]).toMatch(/^service_account_key: the service-account key is not JSON/);
    expect(problems.join('\n')).not.toContain('not-json-secret-value');
  });

  it('rejects bad field values and unknown keys', () => {
    expect(issues({ project: 'my-project', location: 'Europe West', repository: 'images' })[0]).toMatch(/^location: expected an Artifact Registry location/);
    expect(issues({ project: 'my-project', location: 'us', repository: 'Images' })[0]).toMatch(/^repository: expected an Artifact Registry repository id/);
    expect(issues({ uri: AR, password: 'x' })[0]).toMatch(/^: Unrecognized key/);
  });
});
