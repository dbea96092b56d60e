import { StowageError, type ArtifactStore } from '@stowage/plugin-api';

/** The engine writes only where the plan said: a store that would put the key elsewhere is an error. */
export function assertPlannedLocation(store: ArtifactStore, key: string, destination: string): void {
  const actual = store.locate(key).uri;
  if (actual !== destination) {
    throw new StowageError(`the artifact store would write ${key} to ${actual}, but the plan showed ${destination}`, {
      code: 'ARTIFACT_STORE_FAILED',
      hint: "the store's describe() and locate() disagree: report it to the plugin's authors",
    });
  }
}
