/** `1 error`, `2 errors`: a count and its noun (regular English plurals only). */
export function plural(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}
