/**
 * Judge prompts: FastChat's MT-Bench judge prompts (read from `judge_prompts.jsonl`, see prompt-file.ts) and
 * promptfoo's llm-rubric grading prompt.
 *
 * FastChat (lm-sys/FastChat, `fastchat/llm_judge/data/judge_prompts.jsonl`, commit 0e6d3e4b, Apache-2.0) gives each
 * prompt as `{name, type, system_prompt, prompt_template, description, category, output_format}`. Its judge call
 * (`fastchat/llm_judge/common.py`, `run_judge_single` / `run_judge_pair`) sends the system prompt as the system
 * message and `prompt_template.format(**fields)` as the one user message, at temperature 0 with max_tokens 2048
 * (OpenAI judges). For Claude judges FastChat folds a pairwise system prompt into the user message instead; Arbiter
 * always sends a system message, which every adapter maps to the vendor's own system field.
 */
import type { ChatMessage, GenerationSettings } from "../../core/types.js";
import { formatTemplate, templateFieldNames } from "./format.js";

export interface JudgePrompt {
  name: string;
  /** "single": grade one answer; "pairwise": compare two. */
  type: "single" | "pairwise";
  systemPrompt: string;
  /** A Python `str.format` template with named fields ({question}, {answer}, {ref_answer_1}, …). */
  promptTemplate: string;
  /** How the verdict is written: "[[rating]]", "[[A]]" or "[[rating_a,rating_b]]". */
  outputFormat: string;
}

/** The FastChat prompts MT-Bench single-answer grading and pairwise comparison use (gen_judgment.py). */
export const FASTCHAT_PROMPTS = {
  /** General categories, turn 1. */
  single: "single-v1",
  /** math, reasoning, coding, turn 1: graded against the reference answer. */
  singleMath: "single-math-v1",
  /** General categories, turn 2 (the judge sees the whole conversation and grades the second answer). */
  singleMultiTurn: "single-v1-multi-turn",
  /** math, reasoning, coding, turn 2, against both reference answers. */
  singleMathMultiTurn: "single-math-v1-multi-turn",
  /** Pairwise comparison of two answers to one question: [[A]], [[B]] or [[C]] (tie). */
  pair: "pair-v2",
} as const;

/** What a scorer expects of a prompt it looks up: its type, verdict format and the fields it may fill. */
export interface PromptRequirement {
  type: JudgePrompt["type"];
  outputFormat: string;
  /** Fields the scorer supplies; the template may use any of them and no others. */
  fields: readonly string[];
}

export class JudgePromptError extends Error {
  override name = "JudgePromptError";
}

/**
 * The prompt named `name`, checked against what the scorer will give it. `source` names where the prompts came from
 * (a file) for the error message. Throws {@link JudgePromptError}.
 */
export function requirePrompt(
  prompts: ReadonlyMap<string, JudgePrompt>,
  name: string,
  requirement: PromptRequirement,
  source: string,
): JudgePrompt {
  const prompt = prompts.get(name);
  if (!prompt) {
    throw new JudgePromptError(
      `${source}: judge prompt "${name}" not found (found: ${[...prompts.keys()].join(", ") || "none"})`,
    );
  }
  if (prompt.type !== requirement.type) {
    throw new JudgePromptError(
      `${source}: judge prompt "${name}" has type "${prompt.type}", expected "${requirement.type}"`,
    );
  }
  if (prompt.outputFormat !== requirement.outputFormat) {
    throw new JudgePromptError(
      `${source}: judge prompt "${name}" has output_format "${prompt.outputFormat}", expected "${requirement.outputFormat}"`,
    );
  }
  const unknown = templateFieldNames(prompt.promptTemplate).filter((f) => !requirement.fields.includes(f));
  if (unknown.length > 0) {
    throw new JudgePromptError(
      `${source}: judge prompt "${name}" uses ${unknown.map((f) => `{${f}}`).join(", ")}; ` +
        `expected only ${requirement.fields.map((f) => `{${f}}`).join(", ")}`,
    );
  }
  return prompt;
}

/** FastChat's judge generation settings (common.py, `chat_completion_openai(..., temperature=0, max_tokens=2048)`). */
export const FASTCHAT_JUDGE_SETTINGS: GenerationSettings = { temperature: 0, maxTokens: 2048 };

/** The judge conversation: the prompt's system message (when it has one) and the filled template as the user turn. */
export function judgeMessages(prompt: JudgePrompt, fields: Readonly<Record<string, string>>): ChatMessage[] {
  const user: ChatMessage = { role: "user", content: formatTemplate(prompt.promptTemplate, fields) };
  return prompt.systemPrompt === "" ? [user] : [{ role: "system", content: prompt.systemPrompt }, user];
}

/**
 * promptfoo's llm-rubric grading prompt, system message (promptfoo/promptfoo `src/prompts/grading.ts`,
 * `DEFAULT_GRADING_PROMPT`, commit e5c8e017, MIT): the judge answers `{"reason", "pass", "score"}`.
 */
export const RUBRIC_SYSTEM_PROMPT = `You are grading output according to a user-specified rubric. If the statement in the rubric is true, then the output passes the test. You respond with a JSON object with this structure: {reason: string, pass: boolean, score: number}

Examples:

<Output>Hello world</Output>
<Rubric>Content contains a greeting</Rubric>
{"reason": "the content contains the word 'Hello'", "pass": true, "score": 1.0}

<Output>Avast ye swabs, repel the invaders!</Output>
<Rubric>Does not speak like a pirate</Rubric>
{"reason": "'avast ye' is a common pirate term", "pass": false, "score": 0.0}`;

/** promptfoo's llm-rubric user message: `<Output>\n{{ output }}\n</Output>\n<Rubric>\n{{ rubric }}\n</Rubric>`. */
export function rubricMessages(output: string, rubric: string): ChatMessage[] {
  return [
    { role: "system", content: RUBRIC_SYSTEM_PROMPT },
    { role: "user", content: `<Output>\n${output}\n</Output>\n<Rubric>\n${rubric}\n</Rubric>` },
  ];
}
