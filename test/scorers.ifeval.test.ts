/**
 * IFEval: the port of the official checker reproduces the official results on GPT-4's responses (strict and loose,
 * every instruction of every prompt), each instruction's edge semantics, the NLTK and langdetect behaviour the
 * checker depends on, the four-metric scorer, and the built-in task.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sample } from "../src/core/types.js";
import {
  buildInstruction,
  checkInstructions,
  countSentences,
  detectLanguage,
  IfevalInstructionError,
  INSTRUCTION_IDS,
  ifevalScorer,
  instructionLevelAccuracy,
  LangDetectError,
  loadLanguageProfiles,
  looseVariants,
  sentTokenize,
  treebankTokenize,
  wordTokenize,
} from "../src/scorers/ifeval/index.js";
import { PythonRandom } from "../src/scorers/ifeval/langdetect/python-random.js";
import { pythonRegexSource } from "../src/scorers/ifeval/python-text.js";
import { BuiltinTaskError } from "../src/tasks/builtin/definition.js";
import { ifeval, ifevalSamples, readIfevalRecords } from "../src/tasks/builtin/ifeval.js";
import { DataFileError } from "../src/tasks/data-files.js";

// The checks are synchronous; the language profiles they need load once, as the IFEval scorer does.
beforeAll(loadLanguageProfiles);

const SHARED = resolve("../shared/datasets/ifeval");

interface InputRecord {
  key: number;
  prompt: string;
  instruction_id_list: string[];
  kwargs: Record<string, unknown>[];
}
interface EvalResult {
  prompt: string;
  instruction_id_list: string[];
  follow_all_instructions: boolean;
  follow_instruction_list: boolean[];
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

const inputs = new Map(readJsonl<InputRecord>(join(SHARED, "input_data.jsonl")).map((r) => [r.prompt, r]));
const responses = new Map(
  readJsonl<{ prompt: string; response: string }>(join(SHARED, "input_response_data_gpt4_20231107_145030.jsonl")).map(
    (r) => [r.prompt, r.response],
  ),
);
const reference = {
  strict: readJsonl<EvalResult>(join(SHARED, "reference_eval_outputs/eval_results_strict.jsonl")),
  loose: readJsonl<EvalResult>(join(SHARED, "reference_eval_outputs/eval_results_loose.jsonl")),
};

/**
 * The reference results this port does not reproduce, and why. IFEval's released checker — the version that produced
 * the reference outputs — replaces a `keywords:letter_frequency` letter outside a–z with a random letter each time it
 * builds the instruction (upstream later dropped that rule and counts the character as given). The reference results
 * for "#" (key 1122) and "!" (key 1129) are therefore random draws, different for strict and loose; this port counts
 * the character itself, which both responses contain often enough, so both are followed. The loose results agree.
 */
const KNOWN_DIFFERENCES = [
  { key: 1122, instruction: "keywords:letter_frequency", mode: "strict", reference: false, port: true },
  { key: 1129, instruction: "keywords:letter_frequency", mode: "strict", reference: false, port: true },
];

describe("IFEval reference results (GPT-4 responses, official checker)", () => {
  const differences: typeof KNOWN_DIFFERENCES = [];
  let compared = 0;
  const rows = reference.strict.map((strictRow, i) => {
    const looseRow = reference.loose[i] as EvalResult;
    const input = inputs.get(strictRow.prompt) as InputRecord;
    const response = responses.get(strictRow.prompt) as string;
    return { strictRow, looseRow, input, response };
  });

  it("pairs every reference row with its prompt and response", () => {
    expect(rows.length).toBe(reference.loose.length);
    expect(rows.length).toBeGreaterThan(0);
    for (const { strictRow, looseRow, input, response } of rows) {
      expect(input, strictRow.prompt).toBeDefined();
      expect(typeof response).toBe("string");
      expect(looseRow.prompt).toBe(strictRow.prompt);
      expect(strictRow.instruction_id_list).toEqual(input.instruction_id_list);
      // The official follow_all_instructions is all(follow_instruction_list).
      expect(strictRow.follow_all_instructions).toBe(strictRow.follow_instruction_list.every(Boolean));
      expect(looseRow.follow_all_instructions).toBe(looseRow.follow_instruction_list.every(Boolean));
    }
  });

  it("reproduces every per-instruction result, strict and loose, except the listed random draws", () => {
    for (const { strictRow, looseRow, input, response } of rows) {
      const results = checkInstructions(response, input.instruction_id_list, input.kwargs, input.prompt);
      for (const mode of ["strict", "loose"] as const) {
        const expected = (mode === "strict" ? strictRow : looseRow).follow_instruction_list;
        expect(results[mode]).toHaveLength(expected.length);
        results[mode].forEach((got, k) => {
          compared++;
          if (got !== expected[k]) {
            differences.push({
              key: input.key,
              instruction: input.instruction_id_list[k] as string,
              mode,
              reference: expected[k] as boolean,
              port: got,
            });
          }
        });
      }
    }
    expect(differences).toEqual(KNOWN_DIFFERENCES);
    // Every instruction of every prompt was compared in both modes.
    const instructions = rows.reduce((n, r) => n + r.input.instruction_id_list.length, 0);
    expect(compared).toBe(2 * instructions);
  });

  it("gives the reference prompt-level results and instruction counts through the scorer", async () => {
    const scorer = ifevalScorer();
    const answers = { strict: [] as (string | null)[], loose: [] as (string | null)[] };
    const known = new Set(KNOWN_DIFFERENCES.map((d) => d.key));
    for (const { strictRow, looseRow, input, response } of rows) {
      const sample: Sample = {
        id: String(input.key),
        input: input.prompt,
        target: [],
        metadata: { instruction_id_list: input.instruction_id_list, kwargs: input.kwargs },
      };
      const scores = (await scorer(response, sample, {})) as { metric?: string; value: number; answer: string }[];
      const byMetric = Object.fromEntries(scores.map((s) => [s.metric, s]));
      answers.strict.push(byMetric["instruction-strict"]?.answer ?? null);
      answers.loose.push(byMetric["instruction-loose"]?.answer ?? null);
      expect(byMetric["prompt-loose"]?.value).toBe(looseRow.follow_all_instructions ? 1 : 0);
      if (!known.has(input.key)) {
        expect(byMetric["prompt-strict"]?.value).toBe(strictRow.follow_all_instructions ? 1 : 0);
      }
    }
    const pooled = (mode: "strict" | "loose") =>
      reference[mode].reduce(
        (acc, r) => ({
          followed: acc.followed + r.follow_instruction_list.filter(Boolean).length,
          total: acc.total + r.follow_instruction_list.length,
        }),
        { followed: 0, total: 0 },
      );
    const loose = instructionLevelAccuracy(answers.loose);
    expect({ followed: loose.followed, total: loose.total }).toEqual(pooled("loose"));
    const strict = instructionLevelAccuracy(answers.strict);
    const gained = KNOWN_DIFFERENCES.filter((d) => d.mode === "strict" && d.port && !d.reference).length;
    expect(strict.total).toBe(pooled("strict").total);
    expect(strict.followed).toBe(pooled("strict").followed + gained);
    expect(strict.accuracy).toBeCloseTo(strict.followed / strict.total, 12);
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** Strict result of one instruction on one response. */
function follows(id: string, kwargs: Record<string, unknown>, response: string): boolean {
  return checkInstructions(response, [id], [kwargs]).strict[0] as boolean;
}

describe("IFEval instructions", () => {
  it("registers exactly the 25 instruction ids of the official registry", () => {
    expect([...INSTRUCTION_IDS].sort()).toEqual(
      [
        "change_case:capital_word_frequency",
        "change_case:english_capital",
        "change_case:english_lowercase",
        "combination:repeat_prompt",
        "combination:two_responses",
        "detectable_content:number_placeholders",
        "detectable_content:postscript",
        "detectable_format:constrained_response",
        "detectable_format:json_format",
        "detectable_format:multiple_sections",
        "detectable_format:number_bullet_lists",
        "detectable_format:number_highlighted_sections",
        "detectable_format:title",
        "keywords:existence",
        "keywords:forbidden_words",
        "keywords:frequency",
        "keywords:letter_frequency",
        "language:response_language",
        "length_constraints:nth_paragraph_first_word",
        "length_constraints:number_paragraphs",
        "length_constraints:number_sentences",
        "length_constraints:number_words",
        "punctuation:no_comma",
        "startend:end_checker",
        "startend:quotation",
      ].sort(),
    );
  });

  it("keywords: substring search, frequency, whole-word forbidden words (Unicode word boundaries), letters", () => {
    expect(follows("keywords:existence", { keywords: ["dog", "Cat"] }, "A catalog about dogs.")).toBe(true);
    expect(follows("keywords:existence", { keywords: ["dog", "cat"] }, "A dog only.")).toBe(false);
    const the = { keyword: "the", frequency: 3 };
    expect(follows("keywords:frequency", { ...the, relation: "at least" }, "The theme of the story")).toBe(true);
    expect(follows("keywords:frequency", { ...the, relation: "less than" }, "The theme of the story")).toBe(false);
    expect(follows("keywords:forbidden_words", { forbidden_words: ["cat"] }, "concatenate cats")).toBe(true);
    expect(follows("keywords:forbidden_words", { forbidden_words: ["cat"] }, "The Cat sat.")).toBe(false);
    // Python's \b is Unicode-aware: "é" is a word character, so "écat" does not contain the word "cat".
    expect(follows("keywords:forbidden_words", { forbidden_words: ["cat"] }, "un écat")).toBe(true);
    const letter = { letter: "A", let_frequency: 3, let_relation: "at least" };
    expect(follows("keywords:letter_frequency", letter, "bAnana")).toBe(true);
    expect(follows("keywords:letter_frequency", letter, "Abc abc")).toBe(false);
    // Characters other than letters are counted as given (upstream's current rule; see KNOWN_DIFFERENCES).
    const hash = { letter: "#", let_frequency: 2, let_relation: "at least" };
    expect(follows("keywords:letter_frequency", hash, "# one # two")).toBe(true);
  });

  it("language and case: langdetect, isupper/islower over the whole response", () => {
    const french = "Bonjour, je m'appelle Marie et j'habite à Paris.";
    expect(follows("language:response_language", { language: "fr" }, french)).toBe(true);
    expect(follows("language:response_language", { language: "de" }, french)).toBe(false);
    // No usable n-gram: IFEval counts the instruction as followed.
    expect(follows("language:response_language", { language: "de" }, "12345 !!! ???")).toBe(true);
    expect(follows("change_case:english_capital", {}, "HELLO WORLD, THIS IS AN ENGLISH SENTENCE.")).toBe(true);
    expect(follows("change_case:english_capital", {}, "HELLO World")).toBe(false);
    expect(follows("change_case:english_lowercase", {}, "this is an english sentence about cats.")).toBe(true);
    expect(follows("change_case:english_lowercase", {}, "ceci est une phrase en français.")).toBe(false);
    const capitals = { capital_frequency: 2 };
    const text = "NASA and the USA agreed on a WELL-KNOWN plan.";
    // Tokens: NASA, and, the, USA, agreed, on, a, WELL-KNOWN, plan, "." — three are upper case.
    expect(follows("change_case:capital_word_frequency", { ...capitals, capital_relation: "at least" }, text)).toBe(
      true,
    );
    expect(
      follows("change_case:capital_word_frequency", { capital_frequency: 3, capital_relation: "less than" }, text),
    ).toBe(false);
  });

  it("length constraints: Punkt sentences, \\w+ words, *** paragraphs, nth paragraph's first word", () => {
    const two = "Mr. Smith left at 5 p.m. today. He came back.";
    expect(countSentences(two)).toBe(2);
    expect(follows("length_constraints:number_sentences", { num_sentences: 3, relation: "less than" }, two)).toBe(true);
    expect(follows("length_constraints:number_sentences", { num_sentences: 3, relation: "at least" }, two)).toBe(false);
    // \w is Unicode-aware: naïve, café, déjà, vu.
    const words = "naïve café, déjà-vu";
    expect(follows("length_constraints:number_words", { num_words: 4, relation: "at least" }, words)).toBe(true);
    expect(follows("length_constraints:number_words", { num_words: 4, relation: "less than" }, words)).toBe(false);
    const paragraphs = { num_paragraphs: 2 };
    expect(follows("length_constraints:number_paragraphs", paragraphs, "First.\n\n***\n\nSecond.")).toBe(true);
    expect(follows("length_constraints:number_paragraphs", paragraphs, "***\nA\n***\nB\n***")).toBe(true);
    expect(follows("length_constraints:number_paragraphs", paragraphs, "A\n***\n***\nB")).toBe(false);
    const nth = { num_paragraphs: 2, nth_paragraph: 2, first_word: "Summary" };
    expect(follows("length_constraints:nth_paragraph_first_word", nth, 'Intro.\n\n"Summary, then more."')).toBe(true);
    expect(follows("length_constraints:nth_paragraph_first_word", nth, "Intro.\n\nOther.\n\nSummary.")).toBe(false);
    // The nth part is counted among all "\n\n" parts, empty ones included (as the official code indexes them).
    const quirk = { num_paragraphs: 3, nth_paragraph: 2, first_word: "b" };
    expect(follows("length_constraints:nth_paragraph_first_word", quirk, "A\n\n\n\nB\n\nC")).toBe(false);
  });

  it("detectable content and format", () => {
    expect(follows("detectable_content:number_placeholders", { num_placeholders: 2 }, "[name] at [address]")).toBe(
      true,
    );
    expect(follows("detectable_content:number_placeholders", { num_placeholders: 2 }, "[name\n] and [x]")).toBe(false);
    const pps = { postscript_marker: "P.P.S" };
    expect(follows("detectable_content:postscript", pps, "Bye.\nP. P. S. see you")).toBe(true);
    expect(follows("detectable_content:postscript", { postscript_marker: "P.S." }, "Bye.\nps: hi")).toBe(false);
    expect(follows("detectable_content:postscript", { postscript_marker: "Note:" }, "x\nNOTE: y")).toBe(true);
    const bullets = { num_bullets: 2 };
    expect(follows("detectable_format:number_bullet_lists", bullets, "* one\n- two\n**bold** is no bullet")).toBe(true);
    expect(follows("detectable_format:number_bullet_lists", bullets, "* one\n* two\n* three")).toBe(false);
    expect(follows("detectable_format:constrained_response", {}, "Sure. My answer is maybe.")).toBe(true);
    expect(follows("detectable_format:constrained_response", {}, "My answer is Yes.")).toBe(false);
    const highlights = { num_highlights: 2 };
    expect(follows("detectable_format:number_highlighted_sections", highlights, "*one* and **two**")).toBe(true);
    expect(follows("detectable_format:number_highlighted_sections", highlights, "*one* and ** **")).toBe(false);
    const sections = { section_spliter: "Section", num_sections: 2 };
    expect(follows("detectable_format:multiple_sections", sections, "Section 1\nA\nSection 2\nB")).toBe(true);
    expect(follows("detectable_format:multiple_sections", sections, "SECTION 1\nA\nSECTION 2\nB")).toBe(false);
    expect(follows("detectable_format:json_format", {}, '```json\n{"a": NaN, "b": [1, 2]}\n```')).toBe(true);
    expect(follows("detectable_format:json_format", {}, "```\n[1, 2]\n```")).toBe(true);
    expect(follows("detectable_format:json_format", {}, "{'a': 1}")).toBe(false);
    expect(follows("detectable_format:json_format", {}, '{"a": -NaN}')).toBe(false);
    expect(follows("detectable_format:title", {}, "<<My Title>>\nText")).toBe(true);
    expect(follows("detectable_format:title", {}, "<< >> and <<a\nb>>")).toBe(false);
  });

  it("combination, start/end, punctuation", () => {
    expect(follows("combination:two_responses", {}, "A\n******\nB")).toBe(true);
    expect(follows("combination:two_responses", {}, "******\nA\n******\nB\n******")).toBe(true);
    expect(follows("combination:two_responses", {}, "A\n******\n A ")).toBe(false);
    expect(follows("combination:two_responses", {}, "A\n******\n\n******\nB")).toBe(false);
    const repeat = { prompt_to_repeat: "Write a poem." };
    expect(follows("combination:repeat_prompt", repeat, "  write a POEM. Here it is")).toBe(true);
    expect(follows("combination:repeat_prompt", repeat, "Here: Write a poem.")).toBe(false);
    const end = { end_phrase: "Any other questions?" };
    expect(follows("startend:end_checker", end, 'Done.\nany other questions?"  ')).toBe(true);
    expect(follows("startend:end_checker", end, "Any other questions? Thanks.")).toBe(false);
    expect(follows("startend:quotation", {}, '  "Hello"  ')).toBe(true);
    expect(follows("startend:quotation", {}, '"')).toBe(false);
    expect(follows("punctuation:no_comma", {}, "a b，c")).toBe(true);
    expect(follows("punctuation:no_comma", {}, "a, b")).toBe(false);
  });

  it("loose evaluation tries the response without its first/last line and without asterisks", () => {
    expect(looseVariants("first\nmiddle *x*\nlast")).toEqual([
      "first\nmiddle *x*\nlast",
      "first\nmiddle x\nlast",
      "middle *x*\nlast",
      "first\nmiddle *x*",
      "middle *x*",
      "middle x\nlast",
      "first\nmiddle x",
      "middle x",
    ]);
    const preamble = checkInstructions('Sure, here it is:\n"This is quoted."', ["startend:quotation"], [{}]);
    expect(preamble).toEqual({ strict: [false], loose: [true] });
    const bold = checkInstructions(
      "Done.\n**Is there anything else I can help with?**",
      ["startend:end_checker"],
      [{ end_phrase: "Is there anything else I can help with?" }],
    );
    expect(bold).toEqual({ strict: [false], loose: [true] });
    // A blank response follows nothing, not even "no commas".
    expect(checkInstructions("  \n ", ["punctuation:no_comma"], [{}])).toEqual({ strict: [false], loose: [false] });
  });

  it("rejects unknown ids, mismatched lists and bad arguments with messages naming them", () => {
    expect(() => buildInstruction("keywords:nonexistent", {})).toThrow(
      /unknown IFEval instruction id "keywords:nonexistent"/,
    );
    expect(() => checkInstructions("x", ["punctuation:no_comma"], [])).toThrow(IfevalInstructionError);
    expect(() => buildInstruction("length_constraints:number_words", { num_words: 5 })).toThrow(
      /argument relation is missing: expected one of/,
    );
    expect(() => buildInstruction("length_constraints:number_words", { num_words: "5", relation: "at least" })).toThrow(
      /argument num_words is "5": expected an integer/,
    );
    expect(() => buildInstruction("punctuation:no_comma", { foo: 1 })).toThrow(/unexpected argument foo/);
    expect(() =>
      buildInstruction("keywords:letter_frequency", { letter: "ab", let_frequency: 1, let_relation: "at least" }),
    ).toThrow(/argument letter is "ab": expected a single character/);
    expect(() => buildInstruction("language:response_language", { language: "xx" })).toThrow(/argument language/);
    expect(() => buildInstruction("keywords:existence", { keywords: ["(?P<x>a)"] })).toThrow(/group syntax/);
    // The Hugging Face copy of the data lists unused arguments as null: they count as absent.
    expect(buildInstruction("punctuation:no_comma", { num_words: null })("a b")).toBe(true);
  });

  it("translates Python regex syntax with Python's meaning", () => {
    const dot = new RegExp(pythonRegexSource("a.c"), "u");
    expect(dot.test("a\rc")).toBe(true); // Python's "." matches "\r" …
    expect(dot.test("a\nc")).toBe(false); // … but not "\n".
    expect(new RegExp(pythonRegexSource("\\w+$"), "u").test("café\n")).toBe(true);
    expect(new RegExp(pythonRegexSource("\\bx\\b"), "u").test("éx")).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("NLTK and langdetect behaviour", () => {
  it("splits sentences like NLTK's English Punkt model (abbreviations, initials, quotes)", () => {
    // NLTK's punkt documentation example.
    const text =
      "Punkt knows that the periods in Mr. Smith and Johann S. Bach\ndo not mark sentence boundaries.  And sometimes " +
      "sentences\ncan start with non-capitalized words.  i is a good variable\nname.";
    expect(sentTokenize(text)).toEqual([
      "Punkt knows that the periods in Mr. Smith and Johann S. Bach\ndo not mark sentence boundaries.",
      "And sometimes sentences\ncan start with non-capitalized words.",
      "i is a good variable\nname.",
    ]);
    expect(sentTokenize('He said "Stop." Then he left. (It rained.) Fine.')).toEqual([
      'He said "Stop."',
      "Then he left.",
      "(It rained.)",
      "Fine.",
    ]);
  });

  it("tokenizes words like NLTK's Treebank tokenizer and word_tokenize", () => {
    const text = "Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.  Please buy me\ntwo of them.\nThanks.";
    // NLTKWordTokenizer's documented output for this text.
    expect(treebankTokenize(text)).toEqual(
      ["Good", "muffins", "cost", "$", "3.88", "(", "roughly", "3,36", "euros", ")", "in", "New", "York."].concat([
        "Please",
        "buy",
        "me",
        "two",
        "of",
        "them.",
        "Thanks",
        ".",
      ]),
    );
    expect(wordTokenize("They'll say \"can't\" -- gonna win!")).toEqual([
      "They",
      "'ll",
      "say",
      "``",
      "ca",
      "n't",
      "''",
      "--",
      "gon",
      "na",
      "win",
      "!",
    ]);
  });

  it("reproduces CPython's random.Random (Mersenne Twister, Python seeding, gauss, choice)", () => {
    // Outputs of CPython 3.11: random.seed(0); random.random(), random.random() and so on.
    const r = new PythonRandom(0);
    expect([r.random(), r.random()]).toEqual([0.8444218515250481, 0.7579544029403025]);
    r.seed(0);
    expect([r.gauss(), r.gauss(), r.gauss()]).toEqual([0.9417154046806644, -1.3965781047011498, -0.6797144480784211]);
    r.seed(12345678901);
    expect(r.random()).toBe(0.9460118159397316);
    r.seed(0);
    expect(Array.from({ length: 8 }, () => r.below(10))).toEqual([6, 6, 0, 4, 8, 7, 6, 4]);
  });

  it("detects languages like Python langdetect (seed 0) and raises when there is nothing to read", () => {
    const cases: [string, string][] = [
      ["Hola, ¿cómo estás? Muy bien, gracias.", "es"],
      ["Tiếng Việt có dấu rất đẹp và phong phú.", "vi"],
      ["مرحبا كيف حالك؟ أنا بخير.", "ar"],
      ["नमस्ते, आप कैसे हैं?", "hi"],
      ["안녕하세요 만나서 반갑습니다", "ko"],
      ["你好，世界。我们今天去公园。", "zh-cn"],
      ["這是繁體中文的句子。", "zh-tw"],
      ["ŞTIINŢĂ şi ţară română", "ro"],
      ["Minä olen suomalainen ja puhun suomea.", "fi"],
    ];
    for (const [text, lang] of cases) expect(detectLanguage(text), text).toBe(lang);
    expect(() => detectLanguage("12345 !!! ???")).toThrow(LangDetectError);
    expect(() => detectLanguage("http://example.com user@mail.com")).toThrow(LangDetectError);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("IFEval scorer and task", () => {
  const tmp = mkdtempSync(join(tmpdir(), "arbiter-ifeval-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("returns the four metrics, headline first, with followed/total answers", async () => {
    const sample: Sample = {
      id: "7",
      input: "Write a sentence without commas, in quotes, with the word cat.",
      target: [],
      metadata: {
        instruction_id_list: ["punctuation:no_comma", "startend:quotation", "keywords:existence"],
        kwargs: [{}, {}, { keywords: ["cat"] }],
      },
    };
    // Every loose variant keeps a comma; dropping the first line puts the quotes at both ends.
    const scores = await ifevalScorer()('Here you go, friend:\n"A dog sat, quietly."', sample, {});
    expect(scores).toEqual([
      {
        metric: "prompt-strict",
        value: 0,
        answer: "0/3",
        explanation:
          "strict: followed 0 of 3 instructions; not followed: punctuation:no_comma, startend:quotation, keywords:existence",
      },
      {
        metric: "prompt-loose",
        value: 0,
        answer: "1/3",
        explanation: "loose: followed 1 of 3 instructions; not followed: punctuation:no_comma, keywords:existence",
      },
      {
        metric: "instruction-strict",
        value: 0,
        answer: "0/3",
        explanation:
          "strict: followed 0 of 3 instructions; not followed: punctuation:no_comma, startend:quotation, keywords:existence",
      },
      {
        metric: "instruction-loose",
        value: 1 / 3,
        answer: "1/3",
        explanation: "loose: followed 1 of 3 instructions; not followed: punctuation:no_comma, keywords:existence",
      },
    ]);
    await expect(async () => ifevalScorer()("x", { id: "8", input: "p", target: [] }, {})).rejects.toThrow(
      /IFEval sample 8: metadata.instruction_id_list/,
    );
  });

  it("pools instruction counts into the official instruction-level accuracy", () => {
    // Two prompts: 1 of 1 and 1 of 3 followed → 2/4 (the mean of per-prompt fractions would be 2/3).
    expect(instructionLevelAccuracy(["1/1", "1/3"])).toEqual({ followed: 2, total: 4, accuracy: 0.5 });
    expect(() => instructionLevelAccuracy(["0.5"])).toThrow(/expected "followed\/total"/);
  });

  it("builds the ifeval task from the bundled data: 541 zero-shot prompts keyed by record", async () => {
    expect(ifeval.info).toMatchObject({
      name: "ifeval",
      metrics: ["prompt-strict", "prompt-loose", "instruction-strict", "instruction-loose"],
      settings: { temperature: 0, maxTokens: 1280 },
      samples: 541,
      bundled: true,
    });
    expect(ifeval.info.license).toMatch(/Apache-2\.0/);
    const task = ifeval.create({});
    const samples: Sample[] = [];
    for await (const s of task.dataset()) samples.push(s);
    const upstream = readJsonl<InputRecord>(join(SHARED, "input_data.jsonl"));
    expect(samples).toHaveLength(ifeval.info.samples);
    expect(samples.map((s) => s.id)).toEqual(upstream.map((r) => String(r.key)));
    const first = samples[0] as Sample;
    const record = upstream[0] as InputRecord;
    expect(first).toEqual({
      id: String(record.key),
      input: record.prompt,
      target: [],
      metadata: { key: record.key, instruction_id_list: record.instruction_id_list, kwargs: record.kwargs },
    });
    expect(task.solver(first)).toEqual({ messages: [{ role: "user", content: record.prompt }] });
    expect(task.metrics).toEqual(ifeval.info.metrics);
    expect(task.scorerName).toBe("prompt-strict");
    expect(() => ifeval.create({ subjects: ["keywords"] })).toThrow(BuiltinTaskError);
  });

  it("reports a bad record with its file, line and the offending instruction", async () => {
    const file = join(tmp, "input_data.jsonl");
    const good = { key: 1, prompt: "Say hi.", instruction_id_list: ["punctuation:no_comma"], kwargs: [{}] };
    const bad = { key: 2, prompt: "Say hi.", instruction_id_list: ["keywords:bogus"], kwargs: [{}] };
    writeFileSync(file, `${JSON.stringify(good)}\n${JSON.stringify(bad)}\n`);
    const seen: number[] = [];
    const read = async () => {
      for await (const r of readIfevalRecords(file)) seen.push(r.key);
    };
    await expect(read()).rejects.toThrow(DataFileError);
    await expect(read()).rejects.toThrow(/input_data\.jsonl:2: record 2, instruction 1 \("keywords:bogus"\): unknown/);
    expect(seen).toContain(1);
    writeFileSync(file, `${JSON.stringify({ ...good, kwargs: "none" })}\n`);
    const samples = async () => {
      for await (const _ of ifevalSamples(file));
    };
    await expect(samples()).rejects.toThrow(/:1: field "kwargs" is a string: expected a list of objects/);
    // The task reads the same file from a user-supplied folder.
    writeFileSync(file, `${JSON.stringify(good)}\n`);
    const task = ifeval.create({ path: tmp });
    const got: Sample[] = [];
    for await (const s of task.dataset()) got.push(s);
    expect(got.map((s) => s.id)).toEqual(["1"]);
  });
});
