/**
 * GSM8K (Cobbe et al. 2021, "Training Verifiers to Solve Math Word Problems"; data: github.com/openai/grade-school-math,
 * MIT): 1,319 grade-school word problems whose answers are integers. Scored as lm-evaluation-harness scores them
 * (see src/scorers/gsm8k.ts): "strict-match" (headline) and "flexible-extract", both exact_match.
 *
 * Variants, each reproducing one harness task (lm_eval/tasks/gsm8k/, metadata version 3.0):
 *
 * - "cot-8shot" (default) = `gsm8k_cot` (gsm8k-cot.yaml): the eight chain-of-thought exemplars of Wei et al. 2022
 *   (`fewshot_config.samples`, sampler first_n, num_fewshot 8), `doc_to_text: "Q: {{question}}\nA:"`, exemplar
 *   targets ending "The answer is N.", `until: ["Q:", "</s>", "<|im_end|>"]`. The harness builds, for a base model,
 *
 *       Q: <exemplar 1 question>\nA: <exemplar 1 target>\n\n … Q: <exemplar 8 question>\nA: <target>\n\nQ: <question>\nA:
 *
 *   and, for a chat model with `--apply_chat_template --fewshot_as_multiturn`, one user turn "Q: <question>\nA:" and
 *   one assistant turn "<target>" per exemplar, then the user turn of the problem. Arbiter talks to chat APIs and
 *   sends the latter.
 * - "zeroshot" = `gsm8k` (gsm8k.yaml) with num_fewshot 0: one user turn `"Question: {{question}}\nAnswer:"`,
 *   `until: ["Question:", "</s>", "<|im_end|>"]`; strict-match then looks for "#### N".
 *
 * Generation as the harness asks: greedy (`do_sample: false`, temperature 0) and its default max_gen_toks of 256.
 * The model's own settings win (raise maxTokens for verbose or reasoning models).
 *
 * The reference is `answer.split('####')[-1].strip()` (gsm8k_cot's doc_to_target; the plain task compares against
 * the full solution, which its regexes_to_ignore reduce to the same number). Sample ids are the 0-based line index
 * of test.jsonl, the harness's doc_id.
 */
import { join } from "node:path";
import type { Solver, Task } from "../../core/task.js";
import type { ChatMessage, GenerationSettings, Sample } from "../../core/types.js";
import { GSM8K_METRICS, gsm8kScorer, gsm8kTarget, STRICT_MATCH } from "../../scorers/gsm8k.js";
import { dataFileError, describeJsonValue, readRecords } from "../data-files.js";
import { type BuiltinTaskDefinition, BuiltinTaskError } from "./definition.js";
import { benchmarkDir } from "./paths.js";

export const GSM8K_VARIANTS = ["cot-8shot", "zeroshot"] as const;
export type Gsm8kVariant = (typeof GSM8K_VARIANTS)[number];

export const GSM8K_FILE = "test.jsonl";
export const GSM8K_TEST_SIZE = 1319;

/** The eight exemplars of gsm8k-cot.yaml (`fewshot_config.samples`), in order. */
export const GSM8K_COT_EXEMPLARS: readonly { question: string; target: string }[] = [
  {
    question:
      "There are 15 trees in the grove. Grove workers will plant trees in the grove today. After they are done, there will be 21 trees. How many trees did the grove workers plant today?",
    target:
      "There are 15 trees originally. Then there were 21 trees after some more were planted. So there must have been 21 - 15 = 6. The answer is 6.",
  },
  {
    question: "If there are 3 cars in the parking lot and 2 more cars arrive, how many cars are in the parking lot?",
    target: "There are originally 3 cars. 2 more cars arrive. 3 + 2 = 5. The answer is 5.",
  },
  {
    question:
      "Leah had 32 chocolates and her sister had 42. If they ate 35, how many pieces do they have left in total?",
    target:
      "Originally, Leah had 32 chocolates. Her sister had 42. So in total they had 32 + 42 = 74. After eating 35, they had 74 - 35 = 39. The answer is 39.",
  },
  {
    question:
      "Jason had 20 lollipops. He gave Denny some lollipops. Now Jason has 12 lollipops. How many lollipops did Jason give to Denny?",
    target:
      "Jason started with 20 lollipops. Then he had 12 after giving some to Denny. So he gave Denny 20 - 12 = 8. The answer is 8.",
  },
  {
    question:
      "Shawn has five toys. For Christmas, he got two toys each from his mom and dad. How many toys does he have now?",
    target:
      "Shawn started with 5 toys. If he got 2 toys each from his mom and dad, then that is 4 more toys. 5 + 4 = 9. The answer is 9.",
  },
  {
    question:
      "There were nine computers in the server room. Five more computers were installed each day, from monday to thursday. How many computers are now in the server room?",
    target:
      "There were originally 9 computers. For each of 4 days, 5 more computers were added. So 5 * 4 = 20 computers were added. 9 + 20 is 29. The answer is 29.",
  },
  {
    question:
      "Michael had 58 golf balls. On tuesday, he lost 23 golf balls. On wednesday, he lost 2 more. How many golf balls did he have at the end of wednesday?",
    target:
      "Michael started with 58 golf balls. After losing 23 on tuesday, he had 58 - 23 = 35. After losing 2 more, he had 35 - 2 = 33 golf balls. The answer is 33.",
  },
  {
    question: "Olivia has $23. She bought five bagels for $3 each. How much money does she have left?",
    target:
      "Olivia had 23 dollars. 5 bagels for 3 dollars each will be 5 x 3 = 15 dollars. So she has 23 - 15 dollars left. 23 - 15 is 8. The answer is 8.",
  },
];

/** Stop sequences (`generation_kwargs.until`) of each harness task. */
export const GSM8K_STOP: Record<Gsm8kVariant, string[]> = {
  "cot-8shot": ["Q:", "</s>", "<|im_end|>"],
  zeroshot: ["Question:", "</s>", "<|im_end|>"],
};

/** Greedy decoding and the harness's default max_gen_toks. */
export const GSM8K_SETTINGS: GenerationSettings = { temperature: 0, maxTokens: 256 };

/** gsm8k_cot's doc_to_text. */
export function cotQuestion(question: string): string {
  return `Q: ${question}\nA:`;
}

/** gsm8k's doc_to_text. */
export function zeroShotQuestion(question: string): string {
  return `Question: ${question}\nAnswer:`;
}

/** The conversation for a problem in a variant (see the module comment). */
export function gsm8kMessages(question: string, variant: Gsm8kVariant): ChatMessage[] {
  if (variant === "zeroshot") return [{ role: "user", content: zeroShotQuestion(question) }];
  const messages: ChatMessage[] = [];
  for (const shot of GSM8K_COT_EXEMPLARS) {
    messages.push({ role: "user", content: cotQuestion(shot.question) }, { role: "assistant", content: shot.target });
  }
  messages.push({ role: "user", content: cotQuestion(question) });
  return messages;
}

function requireString(record: Record<string, unknown>, field: string, label: string, line: number): string {
  const value = record[field];
  if (typeof value !== "string") {
    throw dataFileError(
      label,
      line,
      `field "${field}" is ${value === undefined ? "missing" : describeJsonValue(value)}: expected a string ` +
        "(a GSM8K record is {question, answer})",
    );
  }
  return value;
}

/** Streams the problems of a GSM8K JSONL file as samples; a malformed record is an error naming its line. */
export async function* readGsm8k(file: string, label = file): AsyncGenerator<Sample> {
  let index = 0;
  for await (const { record, line } of readRecords(file, "jsonl", { label })) {
    const question = requireString(record, "question", label, line);
    const answer = requireString(record, "answer", label, line);
    if (!answer.includes("####")) {
      throw dataFileError(label, line, 'field "answer" has no "####": expected a solution ending "#### <number>"');
    }
    yield { id: String(index), input: question, target: gsm8kTarget(answer), metadata: { solution: answer } };
    index++;
  }
}

export function gsm8kSolver(variant: Gsm8kVariant): Solver {
  return (sample) => {
    if (typeof sample.input !== "string") {
      throw new BuiltinTaskError(`gsm8k: sample ${sample.id} has a conversation as input, expected the question`);
    }
    return { messages: gsm8kMessages(sample.input, variant), settings: { stop: [...GSM8K_STOP[variant]] } };
  };
}

export const gsm8k: BuiltinTaskDefinition = {
  info: {
    name: "gsm8k",
    description: "GSM8K: 1,319 grade-school math word problems, lm-evaluation-harness gsm8k_cot (8-shot CoT) or gsm8k",
    metrics: [...GSM8K_METRICS],
    variants: [...GSM8K_VARIANTS],
    settings: { ...GSM8K_SETTINGS, stop: GSM8K_STOP["cot-8shot"] },
    samples: GSM8K_TEST_SIZE,
    bundled: true,
    license: "MIT",
  },
  create(options): Task {
    if (options.subjects !== undefined && options.subjects.length > 0) {
      throw new BuiltinTaskError("gsm8k has no subjects to choose from");
    }
    const variant = (options.variant ?? "cot-8shot") as Gsm8kVariant;
    if (!GSM8K_VARIANTS.includes(variant)) {
      throw new BuiltinTaskError(`gsm8k: unknown variant "${options.variant}"; variants: ${GSM8K_VARIANTS.join(", ")}`);
    }
    const file = join(benchmarkDir("gsm8k", options.path), GSM8K_FILE);
    return {
      name: variant === "cot-8shot" ? "gsm8k" : `gsm8k-${variant}`,
      description: gsm8k.info.description,
      dataset: () => readGsm8k(file),
      solver: gsm8kSolver(variant),
      scorer: gsm8kScorer(variant === "cot-8shot" ? "cot" : "hash"),
      scorerName: STRICT_MATCH,
      metrics: [...GSM8K_METRICS],
      settings: { ...GSM8K_SETTINGS, stop: [...GSM8K_STOP[variant]] },
    };
  },
};
