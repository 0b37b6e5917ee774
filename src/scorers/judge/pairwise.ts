/**
 * Pairwise comparison against a baseline's recorded answer (AlpacaEval-style win rate), judged with FastChat's
 * "pair-v2" prompt (lm-sys/FastChat `fastchat/llm_judge/data/judge_prompts.jsonl`): the judge sees the question and
 * two answers as "Assistant A" and "Assistant B" and ends with "[[A]]", "[[B]]" or "[[C]]" (tie).
 *
 * Position bias is controlled as in FastChat's `play_a_match_pair`: the judge is asked twice, once with the model's
 * answer as A (order 1) and once with it as B (order 2). The sample's "win-rate" is then FastChat's rule
 * (show_result.py, pairwise-baseline mode, "win_rate_adjusted"):
 * - 1 when both orders prefer the model, 0 when both prefer the baseline;
 * - 0.5 when both orders say tie, or when they disagree ("inconsistent": a tie in one order, or each order preferring
 *   whichever answer was shown first or second).
 * The mean over samples is (wins + ½·ties) / samples. A verdict without [[A]]/[[B]]/[[C]] gives no "win-rate" for the
 * sample (FastChat would count it as inconsistent, i.e. 0.5) but a {@link JUDGE_UNPARSED} score per unread order.
 *
 * AlpacaEval's own annotators (alpaca_eval_gpt4, weighted_alpaca_eval_gpt4_turbo) judge one randomly chosen order
 * and the weighted one reads token log-probabilities, which a text-only judge cannot give; and AlpacaEval 2.0's
 * headline is a length-controlled win rate. This scorer reports the plain two-order win rate.
 *
 * For Bradley–Terry ratings each judged order is one comparison of the model with the baseline: the score's `answer`
 * is a JSON {@link PairwiseRecord}, and {@link pairwiseComparisons} turns it into `PairwiseComparison`s.
 */
import { JudgeMissingError, type ScoreContext, type Scorer } from "../../core/task.js";
import type { ModelRequest, Sample, Score } from "../../core/types.js";
import type { PairwiseComparison } from "../../stats/bradley-terry.js";
import {
  FASTCHAT_JUDGE_SETTINGS,
  FASTCHAT_PROMPTS,
  type JudgePrompt,
  judgeMessages,
  requirePrompt,
} from "./prompts.js";
import { JUDGE_UNPARSED, type PairVerdict, parsePairVerdict, unparsedScore } from "./verdicts.js";

export const PAIRWISE_TASK = "pairwise";

/** Metrics in the order reported, headline first. */
export const PAIRWISE_METRICS = ["win-rate", JUDGE_UNPARSED] as const;

/** Who an order's verdict favours. */
export type PairWinner = "model" | "baseline" | "tie";

/** One judged order: which answer was shown as A and as B, the verdict letter and whom it favours. */
export interface JudgedOrder {
  a: "model" | "baseline";
  b: "model" | "baseline";
  verdict: PairVerdict;
  winner: PairWinner;
}

/** What a "win-rate" score's `answer` holds (as JSON). */
export interface PairwiseRecord {
  /** The baseline's name (AlpacaEval `generator`). */
  baseline: string;
  /** The sample's outcome: both orders agree on "model", "baseline" or "tie"; else "inconsistent". */
  outcome: PairWinner | "inconsistent";
  orders: [JudgedOrder, JudgedOrder];
}

/** Picks and checks pair-v2 from a judge_prompts.jsonl (`source` names it in errors). */
export function pairwisePrompt(prompts: ReadonlyMap<string, JudgePrompt>, source: string): JudgePrompt {
  return requirePrompt(
    prompts,
    FASTCHAT_PROMPTS.pair,
    { type: "pairwise", outputFormat: "[[A]]", fields: ["question", "answer_a", "answer_b"] },
    source,
  );
}

/** What comparing needs from a sample: the question, the baseline's answer (target) and name (metadata.baseline). */
export interface PairwiseQuestion {
  question: string;
  baselineAnswer: string;
  baseline: string;
}

export function pairwiseQuestion(sample: Sample): PairwiseQuestion {
  if (typeof sample.input !== "string") {
    throw new Error(`sample ${sample.id}: a pairwise sample's input must be the question as one string`);
  }
  if (typeof sample.target !== "string") {
    throw new Error(`sample ${sample.id}: a pairwise sample's target must be the baseline's answer as one string`);
  }
  const baseline = sample.metadata?.baseline;
  if (typeof baseline !== "string" || baseline === "") {
    throw new Error(`sample ${sample.id}: metadata.baseline must name the baseline model`);
  }
  return { question: sample.input, baselineAnswer: sample.target, baseline };
}

/** The two judge requests: order 1 shows the model's answer as A, order 2 as B. */
export function pairwiseJudgeRequests(
  question: PairwiseQuestion,
  answer: string,
  prompt: JudgePrompt,
): [ModelRequest, ModelRequest] {
  const request = (answerA: string, answerB: string): ModelRequest => ({
    messages: judgeMessages(prompt, { question: question.question, answer_a: answerA, answer_b: answerB }),
    settings: { ...FASTCHAT_JUDGE_SETTINGS },
  });
  return [request(answer, question.baselineAnswer), request(question.baselineAnswer, answer)];
}

function orderOf(modelFirst: boolean, verdict: PairVerdict): JudgedOrder {
  const a = modelFirst ? "model" : "baseline";
  const b = modelFirst ? "baseline" : "model";
  return { a, b, verdict, winner: verdict === "C" ? "tie" : verdict === "A" ? a : b };
}

/** FastChat's rule: the winner both orders agree on (1, 0, or 0.5 for a tie); orders that disagree count 0.5. */
export function combineOrders(
  first: JudgedOrder,
  second: JudgedOrder,
): { outcome: PairwiseRecord["outcome"]; value: number } {
  if (first.winner !== second.winner) return { outcome: "inconsistent", value: 0.5 };
  return { outcome: first.winner, value: first.winner === "model" ? 1 : first.winner === "baseline" ? 0 : 0.5 };
}

function describeOrder(index: number, order: JudgedOrder): string {
  return `order ${index} (A = ${order.a}, B = ${order.b}): [[${order.verdict}]] → ${order.winner === "tie" ? "tie" : `${order.winner} better`}`;
}

/** Compares one answer with the baseline's in both orders; returns the scores described in the module comment. */
export async function comparePairwise(
  output: string,
  sample: Sample,
  context: ScoreContext,
  prompt: JudgePrompt,
  task: string = PAIRWISE_TASK,
): Promise<Score[]> {
  const judge = context.judge;
  if (!judge) throw new JudgeMissingError(task);
  const question = pairwiseQuestion(sample);
  const requests = pairwiseJudgeRequests(question, output, prompt);
  const orders: JudgedOrder[] = [];
  const unparsed: Score[] = [];
  // One order after the other: a sample never holds more than one judge request in flight.
  for (const [i, request] of requests.entries()) {
    const judgment = await judge(request);
    const verdict = parsePairVerdict(judgment);
    if (verdict === null) {
      unparsed.push(
        unparsedScore(`order ${i + 1} (${prompt.name})`, 'no verdict "[[A]]", "[[B]]" or "[[C]]"', judgment),
      );
    } else {
      orders.push(orderOf(i === 0, verdict));
    }
  }
  const [first, second] = orders;
  if (unparsed.length > 0 || !first || !second) return unparsed;
  const { outcome, value } = combineOrders(first, second);
  const record: PairwiseRecord = { baseline: question.baseline, outcome, orders: [first, second] };
  return [
    {
      metric: "win-rate",
      value,
      answer: JSON.stringify(record),
      explanation:
        `baseline ${question.baseline}; ${describeOrder(1, first)}; ${describeOrder(2, second)}; ` +
        `${outcome === "inconsistent" ? "inconsistent across orders" : outcome} → ${value}`,
    },
  ];
}

/** The pairwise scorer; `prompt` is called once per sample and may load it (the task caches the promise). */
export function pairwiseScorer(prompt: () => JudgePrompt | Promise<JudgePrompt>, task: string = PAIRWISE_TASK): Scorer {
  return async (output, sample, context) => {
    if (!context.judge) throw new JudgeMissingError(task);
    return comparePairwise(output, sample, context, await prompt(), task);
  };
}

/**
 * The Bradley–Terry comparisons in a "win-rate" score's `answer`: one per judged order, `a` = `model` (the model
 * under test's name, which the score does not know), `b` = the baseline, `winner` from that order's verdict.
 * Throws when `answer` is not a {@link PairwiseRecord}.
 */
export function pairwiseComparisons(answer: string, model: string): PairwiseComparison[] {
  let record: unknown;
  try {
    record = JSON.parse(answer);
  } catch {
    throw new Error(`not a pairwise record (expected JSON {baseline, outcome, orders}): ${answer.slice(0, 80)}`);
  }
  const r = record as Partial<PairwiseRecord> | null;
  if (typeof r?.baseline !== "string" || !Array.isArray(r.orders)) {
    throw new Error(`not a pairwise record (expected JSON {baseline, outcome, orders}): ${answer.slice(0, 80)}`);
  }
  if (model === r.baseline) {
    throw new Error(`the model under test and the baseline are both named "${model}"; Bradley–Terry needs two names`);
  }
  const baseline = r.baseline;
  return r.orders.map((order) => {
    const winner = order?.winner;
    if (winner !== "model" && winner !== "baseline" && winner !== "tie") {
      throw new Error(`pairwise record: an order's winner is ${JSON.stringify(winner)}, expected model/baseline/tie`);
    }
    return { a: model, b: baseline, winner: winner === "model" ? "a" : winner === "baseline" ? "b" : "tie" };
  });
}
