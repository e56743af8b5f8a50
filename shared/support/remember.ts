/**
 * The promise cached under `key`, or a new one from `load` (forgotten when it fails, so a later call may try again).
 * For answers that cannot go stale: listings and reads of an immutable commit, a diff of two commits.
 */
export function remember<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const promise = load();
  cache.set(key, promise);
  promise.catch(() => cache.delete(key));
  return promise;
}
