/**
 * MT-Bench single-answer grading (Zheng et al. 2023, "Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena"), as
 * FastChat's `gen_judgment.py --mode single` does it:
 *
 * - Each question has two turns; the judge rates each turn's answer from 1 to 10 in a separate call.
 * - Turn 1 uses "single-v1" (system prompt "You are a helpful assistant."; the question and the answer), or, for the
 *   categories that need a reference (`NEED_REF_CATS`: math, reasoning, coding), "single-math-v1", which also shows
 *   the GPT-4 reference answer to turn 1.
 * - Turn 2 uses "single-v1-multi-turn" (the whole conversation; the judge is told to grade the second answer), or
 *   "single-math-v1-multi-turn" with the reference answers to both turns.
 * - The template is filled like Python's `str.format` with question/question_1/question_2, answer/answer_1/answer_2
 *   and ref_answer_1/ref_answer_2; the verdict is the first "[[rating]]" (fallback "[rating]"), see
 *   {@link parseRating}. Judge settings: temperature 0, max_tokens 2048.
 *
 * Scores (on the 1–10 scale, not 0–1): "score", the mean of the two turns' ratings (the headline; FastChat's
 * overall MT-Bench score is the mean over all turn ratings, which is the same number when every verdict parses),
 * "turn1" and "turn2". A verdict without a usable rating gives no score for its turn, and then no "score" for the
 * sample, but a {@link JUDGE_UNPARSED} score holding the judge's answer.
 */
import { JudgeMissingError, type ScoreContext, type Scorer } from "../../core/task.js";
import type { ModelRequest, Sample, Score } from "../../core/types.js";
import {
  FASTCHAT_JUDGE_SETTINGS,
  FASTCHAT_PROMPTS,
  type JudgePrompt,
  judgeMessages,
  requirePrompt,
} from "./prompts.js";
import { JUDGE_UNPARSED, parseRating, unparsedScore } from "./verdicts.js";

export const MT_BENCH_TASK = "mt_bench";

/** Metrics in the order reported, headline first. */
export const MT_BENCH_METRICS = ["score", "turn1", "turn2", JUDGE_UNPARSED] as const;

/** Categories graded against a reference answer (FastChat common.py, NEED_REF_CATS). */
export const NEED_REF_CATS: readonly string[] = ["math", "reasoning", "coding"];

/** The four single-answer prompts MT-Bench grading uses. */
export interface MtBenchPrompts {
  single: JudgePrompt;
  singleMath: JudgePrompt;
  singleMultiTurn: JudgePrompt;
  singleMathMultiTurn: JudgePrompt;
}

const SINGLE_FIELDS = ["question", "answer"];
const MULTI_FIELDS = ["question_1", "question_2", "answer_1", "answer_2"];
const REF_FIELDS = ["ref_answer_1", "ref_answer_2"];

/** Picks and checks MT-Bench's prompts from a judge_prompts.jsonl (`source` names it in errors). */
export function mtBenchPrompts(prompts: ReadonlyMap<string, JudgePrompt>, source: string): MtBenchPrompts {
  const single = (name: string, fields: string[]) =>
    requirePrompt(prompts, name, { type: "single", outputFormat: "[[rating]]", fields }, source);
  return {
    single: single(FASTCHAT_PROMPTS.single, SINGLE_FIELDS),
    singleMath: single(FASTCHAT_PROMPTS.singleMath, [...SINGLE_FIELDS, ...REF_FIELDS]),
    singleMultiTurn: single(FASTCHAT_PROMPTS.singleMultiTurn, MULTI_FIELDS),
    singleMathMultiTurn: single(FASTCHAT_PROMPTS.singleMathMultiTurn, [...MULTI_FIELDS, ...REF_FIELDS]),
  };
}

/** What grading needs from an MT-Bench sample (as the mt_bench task builds it). */
export interface MtBenchQuestion {
  category: string;
  /** The user's two turns. */
  questions: [string, string];
  /** The reference answers to both turns, for the categories that need them; else null. */
  references: [string, string] | null;
}

function isPair(value: unknown): value is [string, string] {
  return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === "string");
}

/**
 * The question behind an MT-Bench sample: `metadata.category`, `metadata.turns` (the two user turns) and, for
 * math/reasoning/coding, `target` = the two reference answers. Throws when the sample is not shaped so.
 */
export function mtBenchQuestion(sample: Sample): MtBenchQuestion {
  const category = sample.metadata?.category;
  const questions = sample.metadata?.turns;
  if (typeof category !== "string") {
    throw new Error(
      `sample ${sample.id}: metadata.category is missing; MT-Bench grading needs the question's category`,
    );
  }
  if (!isPair(questions)) {
    throw new Error(`sample ${sample.id}: metadata.turns must hold the question's two user turns`);
  }
  if (!NEED_REF_CATS.includes(category)) return { category, questions, references: null };
  if (!isPair(sample.target)) {
    throw new Error(
      `sample ${sample.id}: category ${category} is graded against reference answers, but the sample's target does ` +
        "not hold the two reference answers",
    );
  }
  return { category, questions, references: sample.target };
}

/** One judge call of MT-Bench grading. */
export interface MtBenchJudgeCall {
  turn: 1 | 2;
  prompt: JudgePrompt;
  request: ModelRequest;
}

/** The two judge requests for a question and the model's two answers, exactly as FastChat builds them. */
export function mtBenchJudgeCalls(
  question: MtBenchQuestion,
  answers: readonly [string, string],
  prompts: MtBenchPrompts,
): [MtBenchJudgeCall, MtBenchJudgeCall] {
  const refs = question.references;
  const refFields: Record<string, string> = refs ? { ref_answer_1: refs[0], ref_answer_2: refs[1] } : {};
  const [q1, q2] = question.questions;
  const [a1, a2] = answers;
  const first = refs ? prompts.singleMath : prompts.single;
  const second = refs ? prompts.singleMathMultiTurn : prompts.singleMultiTurn;
  const request = (prompt: JudgePrompt, fields: Record<string, string>): ModelRequest => ({
    messages: judgeMessages(prompt, { ...fields, ...refFields }),
    settings: { ...FASTCHAT_JUDGE_SETTINGS },
  });
  return [
    { turn: 1, prompt: first, request: request(first, { question: q1, answer: a1 }) },
    {
      turn: 2,
      prompt: second,
      request: request(second, { question_1: q1, question_2: q2, answer_1: a1, answer_2: a2 }),
    },
  ];
}

/** The model's two answers: ctx.turns when the runner gave them, else an error (MT-Bench is always two turns). */
function answersOf(sample: Sample, context: ScoreContext): [string, string] {
  const turns = context.turns;
  if (!turns || turns.length < 2) {
    throw new Error(
      `sample ${sample.id}: MT-Bench grades both turns but the scorer got ${turns?.length ?? 0} answer(s); ` +
        "the second user turn must be sent as a follow-up",
    );
  }
  return [turns[0] ?? "", turns[1] ?? ""];
}

/** Grades one sample: two judge calls, then the scores described in the module comment. */
export async function gradeMtBench(
  sample: Sample,
  context: ScoreContext,
  prompts: MtBenchPrompts,
  task: string = MT_BENCH_TASK,
): Promise<Score[]> {
  const judge = context.judge;
  if (!judge) throw new JudgeMissingError(task);
  const question = mtBenchQuestion(sample);
  const calls = mtBenchJudgeCalls(question, answersOf(sample, context), prompts);
  const ratings: (number | null)[] = [];
  const turnScores: Score[] = [];
  const unparsed: Score[] = [];
  // One call after the other: a sample never holds more than one judge request in flight.
  for (const call of calls) {
    const judgment = await judge(call.request);
    const verdict = parseRating(judgment);
    if (verdict.ok) {
      ratings.push(verdict.rating);
      turnScores.push({
        metric: `turn${call.turn}`,
        value: verdict.rating,
        answer: String(verdict.rating),
        explanation: `${call.prompt.name}: ${judgment}`,
      });
    } else {
      ratings.push(null);
      unparsed.push(unparsedScore(`turn ${call.turn} (${call.prompt.name})`, verdict.why, judgment));
    }
  }
  const [r1, r2] = ratings;
  const scores: Score[] = [];
  if (typeof r1 === "number" && typeof r2 === "number") {
    const mean = (r1 + r2) / 2;
    scores.push({
      metric: "score",
      value: mean,
      answer: String(mean),
      explanation: `mean of turn 1 (${r1}) and turn 2 (${r2}), each rated 1–10 by the judge`,
    });
  }
  return [...scores, ...turnScores, ...unparsed];
}

/** The MT-Bench scorer; `prompts` is called once per sample and may load them (the task caches the promise). */
export function mtBenchScorer(
  prompts: () => MtBenchPrompts | Promise<MtBenchPrompts>,
  task: string = MT_BENCH_TASK,
): Scorer {
  return async (_output, sample, context) => {
    if (!context.judge) throw new JudgeMissingError(task);
    return gradeMtBench(sample, context, await prompts(), task);
  };
}
