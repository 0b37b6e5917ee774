/**
 * Scorers by name, for task files: `scorer: exact` or `scorer: {type: regex, pattern: "Answer: (\\w+)"}`.
 */
import { z } from "zod";
import type { SimpleScorer } from "../core/task.js";
import { choice, compileRegex, exact, includes, numeric, regex, ScorerConfigError } from "./starter.js";

export * from "./starter.js";

export const SCORER_TYPES = ["exact", "includes", "regex", "numeric", "choice"] as const;
export type ScorerType = (typeof SCORER_TYPES)[number];

const ExactSpec = z.strictObject({
  type: z.literal("exact"),
  ignoreCase: z.boolean().optional(),
  trim: z.boolean().optional(),
});

const IncludesSpec = z.strictObject({
  type: z.literal("includes"),
  ignoreCase: z.boolean().optional(),
});

const RegexSpec = z
  .strictObject({
    type: z.literal("regex"),
    pattern: z.string().min(1, "a regex scorer needs a pattern"),
    flags: z.string().optional(),
    group: z.number().int().min(0).optional(),
  })
  .superRefine((spec, ctx) => {
    try {
      compileRegex(spec);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : String(err), path: ["pattern"] });
    }
  });

const NumericSpec = z.strictObject({
  type: z.literal("numeric"),
  tolerance: z.number().min(0).optional(),
  relative: z.boolean().optional(),
});

const ChoiceSpec = z.strictObject({ type: z.literal("choice") });

/** Scorers that need no options can be named by a bare string (regex needs a pattern, so it cannot). */
const SCORER_NAMES = ["exact", "includes", "numeric", "choice"] as const;

function scorerSpecError(input: unknown): string {
  if (input === "regex") return 'the regex scorer needs a pattern: write {type: "regex", pattern: "..."}';
  if (typeof input === "string") {
    return `unknown scorer "${input}": expected one of ${SCORER_TYPES.join(", ")}`;
  }
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    const type = (input as { type?: unknown }).type;
    return type === undefined
      ? `a scorer object needs a "type": one of ${SCORER_TYPES.join(", ")}`
      : `unknown scorer type ${JSON.stringify(type)}: expected one of ${SCORER_TYPES.join(", ")}`;
  }
  return `expected a scorer name (${SCORER_NAMES.join(", ")}) or an object {type: ..., ...options}`;
}

/** A scorer in a task file: a name (`"exact"`) or an object with a `type` and that scorer's options. */
export const ScorerSpec = z.union(
  [
    z.enum(SCORER_NAMES),
    z.discriminatedUnion("type", [ExactSpec, IncludesSpec, RegexSpec, NumericSpec, ChoiceSpec], {
      error: (issue) => scorerSpecError(issue.input),
    }),
  ],
  { error: (issue) => scorerSpecError(issue.input) },
);
export type ScorerSpec = z.infer<typeof ScorerSpec>;

/**
 * The scorer a spec describes and the name stored beside its scores (the scorer type: "exact", "regex", …).
 * Throws {@link ScorerConfigError} for an invalid spec, e.g. a regex that does not compile.
 */
export function buildScorer(spec: ScorerSpec): { name: ScorerType; scorer: SimpleScorer } {
  const parsed = ScorerSpec.safeParse(spec);
  if (!parsed.success) throw new ScorerConfigError(`invalid scorer: ${z.prettifyError(parsed.error)}`);
  const s = parsed.data;
  if (typeof s === "string") return buildScorer({ type: s });
  switch (s.type) {
    case "exact":
      return { name: "exact", scorer: exact(s) };
    case "includes":
      return { name: "includes", scorer: includes(s) };
    case "regex":
      return { name: "regex", scorer: regex(s) };
    case "numeric":
      return { name: "numeric", scorer: numeric(s) };
    case "choice":
      return { name: "choice", scorer: choice() };
  }
}
