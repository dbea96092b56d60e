// Every test here can reach the AWS SDK: nothing may leave the machine (the loopback guard), and
// nothing of the developer's AWS setup may leak in (no profile files, no credential or region
// variables, no instance metadata).
import { installLoopbackGuard } from '@stowage/testing';

installLoopbackGuard();

process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.METADATA_SERVER_DETECTION = 'none';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_CONFIG_FILE = '/nonexistent/stowage-test/aws-config';
process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/stowage-test/aws-credentials';
for (const name of Object.keys(process.env)) {
  if (/^AWS_(PROFILE|DEFAULT_PROFILE|REGION|DEFAULT_REGION|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|ROLE_ARN|WEB_IDENTITY_TOKEN_FILE|CONTAINER_CREDENTIALS_\w+|ENDPOINT_URL\w*|REQUEST_CHECKSUM_CALCULATION|RESPONSE_CHECKSUM_VALIDATION)$/.test(name)) {
    delete process.env[name];
  }
}
