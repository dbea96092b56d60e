import { engineReady } from '@stowage/testing';

export { AUTH_CREDENTIALS, AUTH_REGISTRY, OPEN_REGISTRY, registryDigest, removeLocalImages as removeImages } from '@stowage/testing';

/** Whether this package's e2e tests can run here (a loud skip outside CI when not). */
export const e2eReady = (): Promise<boolean> => engineReady('aws-codebuild');
