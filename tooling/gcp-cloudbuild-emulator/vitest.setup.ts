// Every test here drives a Google client: nothing may leave the machine (the loopback guard), and
// nothing of the developer's Google setup may leak in (no key file, no project, no gcloud config,
// no metadata server).
import { installLoopbackGuard } from '@stowage/testing';

installLoopbackGuard();

process.env.METADATA_SERVER_DETECTION = 'none';
for (const name of Object.keys(process.env)) {
  if (/^(GOOGLE_APPLICATION_CREDENTIALS|GOOGLE_CLOUD_PROJECT|GCLOUD_PROJECT|GCE_METADATA_\w+|CLOUDSDK_\w+)$/.test(name)) delete process.env[name];
}
