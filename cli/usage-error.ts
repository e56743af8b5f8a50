/** A mistake in how spa-cd was called or an input that cannot be read: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
