/** A component created on first use (its `create()` may import a heavy SDK). */
export interface Lazy<T> {
  get(): Promise<T>;
}

export function lazy<T>(create: () => Promise<T> | T): Lazy<T> {
  let pending: Promise<T> | undefined;
  return {
    get() {
      pending ??= Promise.resolve().then(create);
      return pending;
    },
  };
}
