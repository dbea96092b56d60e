import type { ComponentKind } from '@stowage/plugin-api';
import type { StackComponentKey } from '../config/ProjectConfigSchema.js';

/** The one table of component kinds by their key in a stack's config. */
export const KIND_OF: Record<StackComponentKey, ComponentKind> = {
  image_builder: 'image-builder',
  container_registry: 'container-registry',
  artifact_store: 'artifact-store',
  code_repository: 'code-repository',
};

export const KEY_OF = Object.fromEntries(Object.entries(KIND_OF).map(([key, kind]) => [kind, key])) as Record<ComponentKind, StackComponentKey>;
