// Every test here can reach google-auth-library: nothing may leave the machine (the loopback
// guard), and nothing of the developer's Google setup may leak in (no ADC key file, no gcloud
// config or project, no metadata server). The well-known ADC file ($HOME/.config/gcloud) is kept
// out by the tests that use ADC, which point HOME at an empty folder.
import { installLoopbackGuard } from '@stowage/testing';

installLoopbackGuard();

process.env.METADATA_SERVER_DETECTION = 'none';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
for (const name of Object.keys(process.env)) {
  if (/^(GOOGLE_APPLICATION_CREDENTIALS|GOOGLE_CLOUD_PROJECT|GCLOUD_PROJECT|GOOGLE_CLOUD_QUOTA_PROJECT|GCE_METADATA_\w+|CLOUDSDK_\w+)$/i.test(name)) {
    delete process.env[name];
  }
}
