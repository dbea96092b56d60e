/**
 * Runs `task` over `items` with at most `limit` at once. The first failure aborts `controller`
 * (so running builds stop), waits for the others to settle, and is rethrown.
 */
export async function runLimited<T>(
  items: readonly T[],
  limit: number,
  controller: AbortController,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure && !controller.signal.aborted) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
        controller.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  if (controller.signal.aborted) throw controller.signal.reason ?? new Error('aborted');
}
