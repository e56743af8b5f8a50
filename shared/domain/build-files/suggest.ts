/** "Did you mean" for names: the closest candidate by edit distance, when it is close enough to be a typo. */
import { editDistance } from '../../support/edit-distance';

export { editDistance } from '../../support/edit-distance';

/**
 * The candidate closest to `name`: the same name in another case first, else the smallest edit distance up to a
 * third of the name's length (at most 3, at least 1). Undefined when nothing is close.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase(), limit);
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
