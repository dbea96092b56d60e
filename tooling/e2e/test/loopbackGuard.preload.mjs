// Preloaded into the `stowage` CLI subprocesses of the code e2e tests (NODE_OPTIONS=--import …):
// the same loopback guard the test process runs under, so the CLI's cloud SDKs (Octokit, the
// AWS SDK) cannot reach anything but 127.0.0.1 either.
import { URL, fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
const { installLoopbackGuard } = await import('@stowage/testing');
installLoopbackGuard();
