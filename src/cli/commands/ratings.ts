import { gatherBattles, PAIRWISE_METRIC, type Ratings, RatingsDataError, ratingsOf } from "../../report/ratings.js";
import { BradleyTerryError } from "../../stats/bradley-terry.js";
import { UsageError } from "../errors.js";
import { openStore } from "../store-path.js";

export interface RatingsFlags {
  json?: boolean;
  /** Bootstrap resamples for the intervals (0: none), default 1000. */
  bootstrap?: number;
  seed?: number;
  /** Virtual tied games per pair of players, for when some player never won or tied. */
  prior?: number;
  /** Only this task's judgments (default: every task with "win-rate" scores). */
  task?: string;
  db?: string;
}

/**
 * `arbiter ratings [RUN...]`: Bradley–Terry ratings with bootstrap intervals and ranks from the pairwise judge's
 * verdicts of one or more runs (default: the latest run), the baselines rated beside the models.
 */
export async function ratingsCommand(runs: string[] | string | undefined, flags: RatingsFlags): Promise<void> {
  const bootstrap = flags.bootstrap ?? 1000;
  if (!(Number.isInteger(bootstrap) && bootstrap >= 0)) {
    throw new UsageError(`--bootstrap ${flags.bootstrap}: expected a whole number of resamples (0 for no intervals)`);
  }
  const seed = flags.seed ?? 1;
  if (!Number.isInteger(seed)) throw new UsageError(`--seed ${flags.seed}: expected an integer`);
  const prior = flags.prior ?? 0;
  if (!(Number.isFinite(prior) && prior >= 0)) throw new UsageError(`--prior ${flags.prior}: expected a number ≥ 0`);
  const store = await openStore(flags.db);
  try {
    let ids = typeof runs === "string" ? [runs] : (runs ?? []);
    if (ids.length === 0) {
      const latest = (await store.listRuns(1))[0]?.id;
      if (!latest) throw new UsageError("no runs in the store yet (see: arbiter run)");
      ids = [latest];
    }
    for (const id of ids) {
      if (!(await store.getRun(id))) throw new UsageError(`no run "${id}" in the store (see: arbiter runs)`);
    }
    let battles: ReturnType<typeof gatherBattles>;
    try {
      battles = gatherBattles(
        ids.map((run) => ({ run, scores: store.metricAnswers(run, PAIRWISE_METRIC, flags.task) })),
      );
    } catch (error) {
      if (error instanceof RatingsDataError) throw new UsageError(error.message);
      throw error;
    }
    const which = `${ids.length === 1 ? "run" : "runs"} ${ids.join(", ")}`;
    if (battles.comparisons.length === 0) {
      throw new UsageError(
        `${which} ${ids.length === 1 ? "has" : "have"} no pairwise judgments ("${PAIRWISE_METRIC}" scores)${flags.task ? ` on task ${flags.task}` : ""}: run the pairwise task with a judge, e.g. arbiter run --task pairwise --judge provider/model`,
      );
    }
    let ratings: Ratings;
    try {
      ratings = ratingsOf(battles, { bootstrap, seed, prior });
    } catch (error) {
      if (error instanceof BradleyTerryError) {
        throw new UsageError(
          `${which}: no finite ratings: some player never won or tied against the others (e.g. the judge preferred one side every time). Judge more samples, or pass --prior 1 to add one virtual tie per pair of players`,
        );
      }
      throw error;
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ runs: ids, metric: PAIRWISE_METRIC, ...ratings }, null, 2)}\n`);
      return;
    }
    process.stdout.write(formatRatings(ratings, which));
  } finally {
    await store.close();
  }
}

/** The ratings as an aligned table, best first, with how they were computed. */
export function formatRatings(r: Ratings, which: string): string {
  const level = r.ratings[0]?.ci?.level ?? 0.95;
  const header = ["rank", "model", "rating", `${Math.round(level * 100)}% CI`, "battles", "wins/ties/losses"];
  const rows = r.ratings.map((p) => [
    String(p.rank),
    p.baseline ? `${p.model} (baseline)` : p.model,
    p.rating.toFixed(0),
    p.ci ? `[${p.ci.lower.toFixed(0)}, ${p.ci.upper.toFixed(0)}]` : "-",
    String(p.battles),
    `${p.wins}/${p.ties}/${p.losses}`,
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  const text = all.map((row) =>
    row
      .map((cell, i) => (i === 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
  const notes = [
    `${which}: ${r.battles} battles from ${r.samples} judged samples (${r.tasks.join(", ")}); ${r.anchor}` +
      (r.prior > 0 ? `; ${r.prior} virtual ties per pair` : ""),
    "",
    ...text,
    "",
    `${r.method}; ${r.resamples} resamples, seed ${r.seed}.`,
  ];
  if (r.resamples > 0 && r.degenerateResamples > 0.05 * r.resamples) {
    notes.push(
      `warning: ${r.degenerateResamples} of ${r.resamples} resamples had no finite fit: the intervals are unreliable (judge more samples)`,
    );
  }
  return `${notes.join("\n")}\n`;
}
