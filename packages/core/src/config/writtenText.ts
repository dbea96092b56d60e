import { z } from 'zod';

/**
 * Values rendered as text (environment variables): a YAML number or boolean there keeps the text
 * it was written as (`11.0`, `3.10`, `yes`), not its JS value (`11`, `3.1`, `true`).
 */
export const renderedAsText = z.registry<Record<string, never>>();
