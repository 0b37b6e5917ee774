import type { Sample } from "../core/types.js";
import { createRng } from "../stats/random.js";

/**
 * The samples a run uses from a dataset: all of them, the first `limit`, or — with a seed — a uniform random
 * sample of `limit` (reservoir sampling, Algorithm R: one pass, `limit` samples held, the same seed always picks
 * the same samples from the same data). Chosen samples keep their order in the dataset.
 */
export async function* selectSamples(
  samples: AsyncIterable<Sample>,
  limit: number | undefined,
  seed: number | undefined,
): AsyncGenerator<Sample> {
  if (limit === undefined) {
    yield* samples;
    return;
  }
  if (seed === undefined) {
    let n = 0;
    for await (const sample of samples) {
      if (n >= limit) return;
      n++;
      yield sample;
    }
    return;
  }
  const rng = createRng(seed);
  const reservoir: { index: number; sample: Sample }[] = [];
  let seen = 0;
  for await (const sample of samples) {
    if (reservoir.length < limit) {
      reservoir.push({ index: seen, sample });
    } else {
      const j = Math.floor(rng.next() * (seen + 1));
      if (j < limit) reservoir[j] = { index: seen, sample };
    }
    seen++;
  }
  reservoir.sort((a, b) => a.index - b.index);
  for (const { sample } of reservoir) yield sample;
}
