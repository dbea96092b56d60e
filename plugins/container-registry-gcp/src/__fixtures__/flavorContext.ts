import type { FlavorContext } from '@stowage/plugin-api';
import { testFlavorContext } from '@stowage/testing';

export { failureOf } from '@stowage/testing';

/** What `create()` gets from core; the secrets the component registers land in `secrets`. */
export const flavorContext = (secrets: string[] = []): FlavorContext => testFlavorContext('container_registry', 'the gcp registry', secrets);
