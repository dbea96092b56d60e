import type { ContextFiles, InputValues } from '../model/inputChanges.js';
import type { PlanInputs } from '../model/plan.js';
import { hideCredentialFields } from '../settings/hideCredentialFields.js';
import type { ImageDraft } from './planImage.js';

/** The values behind a draft's checksum inputs: settings (credential fields hidden), requirement texts, context files. */
export function currentValues(inputs: Pick<PlanInputs, 'contextFiles'>, draft: ImageDraft): InputValues {
  const context = draft.checksumInputs.context;
  return {
    settings: settingValues(draft),
    requirements: Object.fromEntries(draft.requirementFiles.map((f) => [f.name, f.content])),
    context: context ? inputs.contextFiles?.[context] : undefined,
  };
}

/** The resolved values of the settings fields an image's checksum covers (unset: null), credential fields hidden. */
export function settingValues(image: Pick<ImageDraft, 'settings' | 'checksumInputs'>): Record<string, unknown> {
  const settings = image.settings as Record<string, unknown>;
  return Object.fromEntries(Object.keys(image.checksumInputs.settings).map((f) => [f, hideCredentialFields(settings[f] ?? null)]));
}

/** The files of the context folders of a draft's builds, by digest (undefined when none has a folder). */
export function contextsOf(inputs: Pick<PlanInputs, 'contextFiles'>, draft: ImageDraft): Record<string, ContextFiles> | undefined {
  // An image whose code is appended: the code's digest is the image's own, not its builds'.
  const entries = [...draft.builds, draft].flatMap((b) => {
    const digest = b.checksumInputs.context;
    const files = digest ? inputs.contextFiles?.[digest] : undefined;
    return digest && files ? [[digest, files] as const] : [];
  });
  return entries.length ? Object.fromEntries(entries) : undefined;
}
