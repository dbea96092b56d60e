// The tests drive google-auth-library: nothing may leave the machine (the loopback guard), and
// nothing of this machine's Google setup may leak in (no ADC file, no project, no metadata server).
import { installLoopbackGuard } from '@stowage/testing';

installLoopbackGuard();

process.env.METADATA_SERVER_DETECTION = 'none';
for (const name of Object.keys(process.env)) {
  if (/^(GOOGLE_APPLICATION_CREDENTIALS|GOOGLE_CLOUD_PROJECT|GCLOUD_PROJECT|GCE_METADATA_\w+|CLOUDSDK_\w+)$/.test(name)) delete process.env[name];
}
