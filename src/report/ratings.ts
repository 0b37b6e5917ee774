/**
 * Bradley–Terry ratings from pairwise judgments (the `pairwise` task's "win-rate" scores), Chatbot Arena's way: each
 * judged order of a sample is one battle between the model under test and the baseline (ties included), the ratings
 * are the maximum-likelihood fit on the Elo scale (400 points = 10:1 odds, mean rating 1000), the intervals a
 * percentile bootstrap over battles, and a model's rank is 1 + the number of models statistically better (see
 * stats/bradley-terry.ts). The baseline is a player like the models: every model is compared with it, so it links
 * them, and tasks with different baselines put every baseline on the same scale once some model meets two of them.
 */
import { PAIRWISE_METRICS, pairwiseComparisons } from "../scorers/judge/pairwise.js";
import { type BradleyTerryResult, bradleyTerry, type PairwiseComparison } from "../stats/bradley-terry.js";
import type { ScoredAnswer } from "../store/records.js";

/** The metric whose scores carry the judged orders. */
export const PAIRWISE_METRIC = PAIRWISE_METRICS[0];

/** A win-rate score whose answer is not a pairwise record: the run, model, task and sample it belongs to. */
export class RatingsDataError extends Error {
  override name = "RatingsDataError";
}

export interface Battles {
  comparisons: PairwiseComparison[];
  /** Models under test, in order of first appearance. */
  models: string[];
  /** Baselines they were compared with. */
  baselines: string[];
  /** Judged samples (each gives one battle per judged order). */
  samples: number;
  /** Tasks the judgments came from. */
  tasks: string[];
}

/** The battles in the win-rate scores of one or more runs (each named in errors, with the model, task and sample). */
export function gatherBattles(runs: Iterable<{ run: string; scores: Iterable<ScoredAnswer> }>): Battles {
  const comparisons: PairwiseComparison[] = [];
  const models = new Set<string>();
  const baselines = new Set<string>();
  const tasks = new Set<string>();
  let samples = 0;
  for (const { run, scores } of runs) {
    for (const s of scores) {
      const where = `run ${run}, model ${s.model}, task ${s.task}, sample ${s.sampleId} (epoch ${s.epoch})`;
      if (s.answer === null) {
        throw new RatingsDataError(`${where}: the "${PAIRWISE_METRIC}" score has no pairwise record in its answer`);
      }
      let battles: PairwiseComparison[];
      try {
        battles = pairwiseComparisons(s.answer, s.model);
      } catch (error) {
        throw new RatingsDataError(`${where}: ${(error as Error).message}`);
      }
      for (const b of battles) {
        comparisons.push(b);
        baselines.add(b.b);
      }
      models.add(s.model);
      tasks.add(s.task);
      samples++;
    }
  }
  return { comparisons, models: [...models], baselines: [...baselines], samples, tasks: [...tasks] };
}

export interface RatingsOptions {
  /** Bootstrap resamples for the intervals (0: none), default 1000. */
  bootstrap?: number;
  seed?: number;
  /** Virtual tied games per pair of players, default 0 (plain MLE). */
  prior?: number;
  level?: number;
}

export interface PlayerRating {
  model: string;
  /** A baseline (its answers were recorded, not generated in the run). */
  baseline: boolean;
  rating: number;
  ci: { lower: number; upper: number; level: number } | null;
  rank: number;
  battles: number;
  wins: number;
  ties: number;
  losses: number;
}

export interface Ratings {
  ratings: PlayerRating[];
  /** How the scale is pinned. */
  anchor: string;
  battles: number;
  samples: number;
  tasks: string[];
  resamples: number;
  /** Resamples in which the MLE did not exist (refitted with a tiny prior); a high share means wide, shaky CIs. */
  degenerateResamples: number;
  seed: number;
  prior: number;
  method: string;
}

/** Fits the ratings of every player in the battles. Throws BradleyTerryError when some player never won or tied. */
export function ratingsOf(battles: Battles, options: RatingsOptions = {}): Ratings {
  const seed = options.seed ?? 1;
  const prior = options.prior ?? 0;
  const fit: BradleyTerryResult = bradleyTerry(battles.comparisons, {
    resamples: options.bootstrap ?? 1000,
    seed,
    prior,
    ...(options.level === undefined ? {} : { level: options.level }),
  });
  const baselines = new Set(battles.baselines);
  return {
    ratings: fit.ratings.map((r) => ({
      model: r.model,
      baseline: baselines.has(r.model) && !battles.models.includes(r.model),
      rating: r.rating,
      ci: r.ci,
      rank: r.rank,
      battles: r.comparisons,
      wins: r.wins,
      ties: r.ties,
      losses: r.losses,
    })),
    anchor: fit.anchor,
    battles: battles.comparisons.length,
    samples: battles.samples,
    tasks: battles.tasks,
    resamples: fit.resamples,
    degenerateResamples: fit.degenerateResamples,
    seed,
    prior,
    method:
      "Bradley–Terry maximum likelihood (Hunter's MM), Elo scale (400 points = 10:1 odds); each judged order is one " +
      "battle, a tie half a win each; percentile bootstrap over battles; rank = 1 + players whose interval lies " +
      "wholly above (Chatbot Arena)",
  };
}
