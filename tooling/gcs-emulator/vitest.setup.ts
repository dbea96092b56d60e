// The tests drive the emulator with the real @google-cloud/storage client: nothing may leave the
// machine (the loopback guard), and nothing of the developer's Google setup may leak in (no
// credentials file, no gcloud config, no project, no metadata server).
import { installLoopbackGuard } from '@stowage/testing';

installLoopbackGuard();

process.env.METADATA_SERVER_DETECTION = 'none';
process.env.CLOUDSDK_CONFIG = '/nonexistent/stowage-test/gcloud';
for (const name of Object.keys(process.env)) {
  if (/^(GOOGLE_APPLICATION_CREDENTIALS|GOOGLE_CLOUD_PROJECT|GCLOUD_PROJECT|GCLOUD_\w+|CLOUDSDK_(?!CONFIG$)\w+|STORAGE_EMULATOR_HOST|GCE_METADATA_\w+)$/.test(name)) delete process.env[name];
}
