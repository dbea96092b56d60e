import { EcrEmulator, TEST_CREDENTIALS, type EcrEmulatorOptions } from '@stowage/aws-ecr-emulator';
export { failureOf, flavorContext } from './flavorContext.js';
import { EcrContainerRegistryConfigSchema, type EcrContainerRegistryConfig } from '../config.js';

export const ACCOUNT = '123456789012';
export const REGISTRY_HOST = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;

/** An emulator for the test account (us-east-1) whose tokens are `password`. */
export function startEmulator(options: Partial<EcrEmulatorOptions> & { password?: string; address?: string } = {}): Promise<EcrEmulator> {
  const { password = 'ecr-token-0001', address = '127.0.0.1:1', ...rest } = options;
  return EcrEmulator.start({ registry: { address, password }, accountId: ACCOUNT, region: 'us-east-1', ...rest });
}

/** The config of a registry that talks to `emulator` with the test keys (`overrides` win). */
export function configFor(emulator: EcrEmulator, overrides: Record<string, unknown> = {}): EcrContainerRegistryConfig {
  return EcrContainerRegistryConfigSchema.parse({
    uri: REGISTRY_HOST,
    endpoint: emulator.endpoint,
    access_key_id: TEST_CREDENTIALS.accessKeyId,
    secret_access_key: TEST_CREDENTIALS.secretAccessKey,
    ...overrides,
  });
}
