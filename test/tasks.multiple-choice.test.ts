import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Task } from "../src/core/task.js";
import type { Sample, Score } from "../src/core/types.js";
import { ACCURACY_METRIC, UNEXTRACTED_METRIC } from "../src/scorers/multiple-choice.js";
import { ARC_FILES, arcChallenge } from "../src/tasks/builtin/arc-challenge.js";
import { CMMLU_GROUPS, CMMLU_SUBJECT_NAMES, CMMLU_SUBJECTS, cmmlu } from "../src/tasks/builtin/cmmlu.js";
import { BuiltinTaskError } from "../src/tasks/builtin/definition.js";
import { MMLU_GROUPS, MMLU_SUBJECTS, MMLU_SUPERCATEGORIES, mmlu } from "../src/tasks/builtin/mmlu.js";
import { MMLU_PRO_CATEGORIES, mmluPro } from "../src/tasks/builtin/mmlu-pro.js";
import { seededPermutation } from "../src/tasks/builtin/multiple-choice-format.js";
import { BUNDLED_BENCHMARKS } from "../src/tasks/builtin/paths.js";
import { TRUTHFULQA_CATEGORIES, TRUTHFULQA_FILES, truthfulqaMc1 } from "../src/tasks/builtin/truthfulqa.js";

const SHARED = "/work/shared/datasets";

let savedEnv: string | undefined;
const temps: string[] = [];
beforeEach(() => {
  savedEnv = process.env.ARBITER_DATASETS;
  delete process.env.ARBITER_DATASETS;
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env.ARBITER_DATASETS;
  else process.env.ARBITER_DATASETS = savedEnv;
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "arbiter-mc-"));
  temps.push(dir);
  return dir;
}

/** Streams a task's samples through `visit`, keeping none: the full sets are large. */
async function each(task: Task, visit: (s: Sample) => void): Promise<number> {
  let n = 0;
  for await (const s of task.dataset()) {
    visit(s);
    n++;
  }
  return n;
}

async function collect(task: Task): Promise<Sample[]> {
  const out: Sample[] = [];
  await each(task, (s) => out.push(s));
  return out;
}

function csvRows(file: string): Record<string, string>[] {
  return parse(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
}

function jsonl<T>(file: string): T[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function text(s: Sample): string {
  if (typeof s.input !== "string") throw new Error(`sample ${s.id}: expected a string prompt`);
  return s.input;
}

function count(haystack: string, needle: RegExp): number {
  return [...haystack.matchAll(needle)].length;
}

async function scoresOf(task: Task, output: string, s: Sample): Promise<Record<string, Score>> {
  const scores = await task.scorer(output, s, {});
  return Object.fromEntries((Array.isArray(scores) ? scores : [scores]).map((x) => [x.metric ?? "", x]));
}

// ---------------------------------------------------------------------------------------------------------------

describe("bundled data", () => {
  it("is byte-identical to the shared datasets, with a licence note for each benchmark", () => {
    const pairs: [string, string][] = [
      ["mmlu_pro/test.jsonl", "mmlu_pro/test.jsonl"],
      ["arc_challenge/test.jsonl", "arc_challenge/test.jsonl"],
      ["arc_challenge/question-answers.jsonl", "arc_challenge/question-answers.jsonl"],
      ["truthfulqa/data/v1/mc_task.json", "truthfulqa/data/v1/mc_task.json"],
      ["truthfulqa/data/v1/TruthfulQA.csv", "truthfulqa/data/v1/TruthfulQA.csv"],
      ...["test", "dev"].flatMap((split) =>
        readdirSync(join(SHARED, "mmlu", split)).map((f): [string, string] => [
          `mmlu/${split}/${f}`,
          `mmlu/${split}/${f}`,
        ]),
      ),
    ];
    expect(pairs.length).toBe(5 + 114);
    for (const [bundled, shared] of pairs) {
      expect(sha256(join(BUNDLED_BENCHMARKS, bundled)), bundled).toBe(sha256(join(SHARED, shared)));
    }
    for (const name of ["mmlu", "mmlu_pro", "arc_challenge", "truthfulqa"]) {
      const note = readFileSync(join(BUNDLED_BENCHMARKS, name, "LICENSE-NOTE.md"), "utf8");
      expect(note, name).toMatch(/licen[cs]e/i);
      expect(note, name).toMatch(/[0-9a-f]{64}/);
    }
    expect(readFileSync(join(BUNDLED_BENCHMARKS, "mmlu", "LICENSE-NOTE.md"), "utf8")).toContain(
      sha256(join(SHARED, "mmlu", "test", "abstract_algebra_test.csv")),
    );
    expect(() => readdirSync(join(BUNDLED_BENCHMARKS, "cmmlu"))).toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("mmlu", () => {
  it("streams the 14,042 test questions of 57 subjects, each subject's rows in file order", async () => {
    const perSubject = new Map<string, number>();
    const targets: Record<string, number> = {};
    const n = await each(mmlu.create({}), (s) => {
      const subject = s.metadata?.category as string;
      expect(s.id).toBe(`${subject}/${perSubject.get(subject) ?? 0}`);
      perSubject.set(subject, (perSubject.get(subject) ?? 0) + 1);
      targets[s.target as string] = (targets[s.target as string] ?? 0) + 1;
      expect(s.metadata?.supercategory).toBe(MMLU_SUPERCATEGORIES[subject]);
    });
    expect(n).toBe(14042);
    expect(mmlu.info.samples).toBe(n);
    expect([...perSubject.keys()]).toEqual(MMLU_SUBJECTS);
    expect(MMLU_SUBJECTS).toHaveLength(57);
    for (const subject of ["abstract_algebra", "professional_law", "world_religions"]) {
      expect(perSubject.get(subject)).toBe(csvRows(join(SHARED, "mmlu", "test", `${subject}_test.csv`)).length);
    }
    expect(Object.keys(targets).sort()).toEqual(["A", "B", "C", "D"]);
  });

  it("asks each question with the original 5-shot prompt built from the subject's dev rows", async () => {
    const task = mmlu.create({ subjects: ["high_school_us_history"] });
    const [first] = await collect(task);
    if (!first) throw new Error("no sample");
    const dev = csvRows(join(SHARED, "mmlu", "dev", "high_school_us_history_dev.csv"));
    const test = csvRows(join(SHARED, "mmlu", "test", "high_school_us_history_test.csv"));
    const prompt = text(first);
    expect(
      prompt.startsWith("The following are multiple choice questions (with answers) about high school us history.\n\n"),
    ).toBe(true);
    expect(count(prompt, /\nAnswer: [ABCD]\n\n/g)).toBe(5);
    let at = 0;
    for (const row of dev.slice(0, 5)) {
      const shot =
        `${row.question}\nA. ${row.choice0}\nB. ${row.choice1}\nC. ${row.choice2}\nD. ${row.choice3}\n` +
        `Answer: ${"ABCD"[Number(row.answer)]}\n\n`;
      const found = prompt.indexOf(shot, at);
      expect(found, "shots appear in dev order").toBeGreaterThan(at - 1);
      at = found + shot.length;
    }
    const q = test[0] as Record<string, string>;
    expect(prompt.slice(at)).toBe(
      `${q.question}\nA. ${q.choice0}\nB. ${q.choice1}\nC. ${q.choice2}\nD. ${q.choice3}\nAnswer:`,
    );
    expect(first.target).toBe("ABCD"[Number(q.answer)]);
    expect(first.choices).toEqual([q.choice0, q.choice1, q.choice2, q.choice3]);
    expect(task.solver(first).messages).toEqual([{ role: "user", content: prompt }]);
    expect(task.metrics).toEqual([ACCURACY_METRIC, UNEXTRACTED_METRIC]);
    expect(task.settings).toEqual({ temperature: 0, maxTokens: 512 });
  });

  it("reads the first abstract algebra answer as SOURCES.md describes it (index 1 = B)", async () => {
    const [first] = await collect(mmlu.create({ subjects: ["abstract_algebra"] }));
    expect(text(first as Sample)).toContain(
      "Find the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q.\nA. 0\nB. 4\nC. 2\nD. 6\nAnswer:",
    );
    expect(first?.target).toBe("B");
  });

  it("zeroshot leaves the examples out", async () => {
    const [first] = await collect(mmlu.create({ subjects: ["anatomy"], variant: "zeroshot" }));
    const prompt = text(first as Sample);
    expect(count(prompt, /\nAnswer: [ABCD]\n\n/g)).toBe(0);
    expect(prompt.startsWith("The following are multiple choice questions (with answers) about anatomy.\n\n")).toBe(
      true,
    );
    expect(prompt.endsWith("\nAnswer:")).toBe(true);
  });

  it("keeps the named subjects or groups, and names the valid ones for an unknown subject", async () => {
    const anatomy = await each(mmlu.create({ subjects: ["anatomy", "virology"] }), (s) =>
      expect(["anatomy", "virology"]).toContain(s.metadata?.category),
    );
    expect(anatomy).toBe(
      csvRows(join(SHARED, "mmlu", "test", "anatomy_test.csv")).length +
        csvRows(join(SHARED, "mmlu", "test", "virology_test.csv")).length,
    );
    const stem = await each(mmlu.create({ subjects: ["stem"] }), (s) => expect(s.metadata?.supercategory).toBe("stem"));
    const stemRows = (MMLU_GROUPS.stem ?? []).reduce(
      (sum, subject) => sum + csvRows(join(SHARED, "mmlu", "test", `${subject}_test.csv`)).length,
      0,
    );
    expect(stem).toBe(stemRows);
    expect(Object.values(MMLU_GROUPS).flat().sort()).toEqual([...MMLU_SUBJECTS]);
    expect(() => mmlu.create({ subjects: ["astrology"] })).toThrow(BuiltinTaskError);
    expect(() => mmlu.create({ subjects: ["astrology"] })).toThrow(
      /unknown subject "astrology"; subjects: abstract_algebra, anatomy, .*world_religions; groups: stem, humanities/,
    );
    expect(() => mmlu.create({ variant: "3shot" })).toThrow(/unknown variant "3shot"; variants: 5shot, zeroshot/);
  });

  it("scores a generated answer with the robust extractor", async () => {
    const task = mmlu.create({ subjects: ["abstract_algebra"] });
    const [first] = await collect(task);
    const s = first as Sample;
    expect((await scoresOf(task, " B", s))[ACCURACY_METRIC]?.value).toBe(1);
    expect((await scoresOf(task, "The answer is (B) 4.", s))[ACCURACY_METRIC]?.value).toBe(1);
    expect((await scoresOf(task, "4", s))[ACCURACY_METRIC]?.value).toBe(1);
    const wrong = await scoresOf(task, "C", s);
    expect(wrong[ACCURACY_METRIC]).toMatchObject({ value: 0, answer: "C" });
    expect((await scoresOf(task, "I cannot tell.", s))[UNEXTRACTED_METRIC]?.value).toBe(1);
  });

  it("reports a malformed data file with its path, line and the columns expected", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "test"));
    cpSync(join(SHARED, "mmlu", "dev"), join(dir, "dev"), { recursive: true });
    writeFileSync(
      join(dir, "test", "anatomy_test.csv"),
      "question,choice0,choice1,choice2,choice3,answer\nQ1,a,b,c,d,2\nQ2,a,b,c,d,7\n",
    );
    const task = mmlu.create({ path: dir, subjects: ["anatomy"] });
    await expect(collect(task)).rejects.toThrow(/anatomy_test\.csv:3: answer is "7": expected the index 0–3/);
    writeFileSync(join(dir, "test", "anatomy_test.csv"), "question,a,b,c,d,answer\nQ1,a,b,c,d,2\n");
    await expect(collect(task)).rejects.toThrow(
      /anatomy_test\.csv:2: field "choice0" is missing: expected a string \(the columns must be question, choice0/,
    );
    await expect(collect(mmlu.create({ path: dir, subjects: ["virology"] }))).rejects.toThrow(
      /virology_test\.csv: file not found/,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

interface ProRecord {
  question_id: number;
  question: string;
  options: string[];
  answer: string;
  category: string;
}

describe("mmlu_pro", () => {
  const records = (): ProRecord[] => jsonl<ProRecord>(join(SHARED, "mmlu_pro", "test.jsonl"));

  it("streams the 12,032 questions with their answer letters and 14 categories", async () => {
    const byId = new Map(records().map((r) => [String(r.question_id), r]));
    const perCategory: Record<string, number> = {};
    const n = await each(mmluPro.create({}), (s) => {
      const r = byId.get(s.id) as ProRecord;
      expect(s.target).toBe(r.answer);
      expect(s.choices).toEqual(r.options);
      expect(s.metadata?.category).toBe(r.category);
      perCategory[r.category] = (perCategory[r.category] ?? 0) + 1;
    });
    expect(n).toBe(12032);
    expect(mmluPro.info.samples).toBe(n);
    expect(Object.keys(perCategory).sort()).toEqual([...MMLU_PRO_CATEGORIES]);
    const expected: Record<string, number> = {};
    for (const r of records()) expected[r.category] = (expected[r.category] ?? 0) + 1;
    expect(perCategory).toEqual(expected);
    // The one record whose answer and answer_index disagree is graded on `answer`, as the authors grade it.
    const [odd] = await collect(mmluPro.create({ subjects: ["chemistry"] })).then((all) =>
      all.filter((s) => s.id === "3983"),
    );
    expect(odd?.target).toBe("C");
  });

  it("builds the zero-shot chain-of-thought prompt, and the authors' own wording as a variant", async () => {
    const r = records().find((x) => x.category === "computer science") as ProRecord;
    const options = r.options.map((o, i) => `${"ABCDEFGHIJ"[i]}. ${o}`).join("\n");
    const [cot] = await collect(mmluPro.create({ subjects: ["computer science"] }));
    expect(text(cot as Sample)).toBe(
      "The following are multiple choice questions (with answers) about computer science. Think step by step and then " +
        'finish your answer with "the answer is (X)" where X is the correct letter choice.\n\n' +
        `Question:\n${r.question}\nOptions:\n${options}\nAnswer: Let's think step by step.`,
    );
    const [tiger] = await collect(mmluPro.create({ subjects: ["computer_science"], variant: "tiger-cot-zeroshot" }));
    expect(text(tiger as Sample)).toBe(
      "The following is a multiple choice question (with answer) about computer science. Think step by step and then " +
        'output the answer in the format of "The answer is (X)" at the end.\n\n' +
        `Question: ${r.question}\nOptions: ${options}\nAnswer: `,
    );
    expect(mmluPro.create({}).settings).toEqual({ temperature: 0, maxTokens: 4000 });
  });

  it("keeps the named categories and rejects unknown ones", async () => {
    const n = await each(mmluPro.create({ subjects: ["law", "Computer_Science"] }), (s) =>
      expect(["law", "computer science"]).toContain(s.metadata?.category),
    );
    expect(n).toBe(records().filter((r) => r.category === "law" || r.category === "computer science").length);
    expect(() => mmluPro.create({ subjects: ["astrology"] })).toThrow(
      /mmlu_pro: unknown subject "astrology"; subjects: biology, business, chemistry, computer science/,
    );
  });

  it("grades with the authors' extraction and counts unextracted answers apart", async () => {
    const task = mmluPro.create({});
    const [s] = await collect(mmluPro.create({ subjects: ["business"] }));
    const sample = s as Sample;
    const right = sample.target as string;
    const other = right === "A" ? "B" : "A";
    expect((await scoresOf(task, `Step by step… the answer is (${right}).`, sample))[ACCURACY_METRIC]?.value).toBe(1);
    // The first "answer is" wins, even when the model revises it later.
    const revised = await scoresOf(task, `the answer is (${other}). No wait, the answer is (${right}).`, sample);
    expect(revised[ACCURACY_METRIC]).toMatchObject({ value: 0, answer: other });
    // As in the authors' script, a lone capital "I" is the last standalone letter A–J: "I do not know." answers I.
    expect((await scoresOf(task, "I do not know.", sample))[ACCURACY_METRIC]?.answer).toBe("I");
    const none = await scoresOf(task, "not sure, sorry.", sample);
    expect(none[ACCURACY_METRIC]).toMatchObject({ value: 0, answer: null });
    expect(none[ACCURACY_METRIC]?.explanation).toContain("would guess a random option");
    expect(none[UNEXTRACTED_METRIC]?.value).toBe(1);
  });

  it("reports a bad record with its file and line", async () => {
    const dir = tempDir();
    const good = readFileSync(join(SHARED, "mmlu_pro", "test.jsonl"), "utf8").split("\n")[0];
    writeFileSync(join(dir, "test.jsonl"), `${good}\n${good?.replace(/"answer": "[A-J]"/, '"answer": "Z"')}\n`);
    await expect(collect(mmluPro.create({ path: dir }))).rejects.toThrow(/test\.jsonl:2: answer is "Z": expected A–J/);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("cmmlu", () => {
  const DIR = join(SHARED, "cmmlu");

  it("is not bundled: without a path it says how to point Arbiter at the data", () => {
    expect(cmmlu.info.bundled).toBe(false);
    expect(() => cmmlu.create({})).toThrow(BuiltinTaskError);
    expect(() => cmmlu.create({})).toThrow(/cmmlu: no data found .*ARBITER_DATASETS/);
  });

  it("streams the 11,582 test questions of 67 subjects from the path", async () => {
    const perSubject = new Map<string, number>();
    const n = await each(cmmlu.create({ path: DIR }), (s) => {
      const subject = s.metadata?.category as string;
      perSubject.set(subject, (perSubject.get(subject) ?? 0) + 1);
      expect(["A", "B", "C", "D"]).toContain(s.target);
    });
    expect(n).toBe(11582);
    expect(cmmlu.info.samples).toBe(n);
    expect([...perSubject.keys()]).toEqual([...CMMLU_SUBJECTS]);
    expect(CMMLU_SUBJECTS).toHaveLength(67);
    expect(
      readdirSync(join(DIR, "test"))
        .map((f) => f.replace(/\.csv$/, ""))
        .sort(),
    ).toEqual([...CMMLU_SUBJECTS]);
    for (const subject of ["agronomy", "marxist_theory"]) {
      expect(perSubject.get(subject)).toBe(csvRows(join(DIR, "test", `${subject}.csv`)).length);
    }
  });

  it("reads $ARBITER_DATASETS/cmmlu", async () => {
    const root = tempDir();
    mkdirSync(join(root, "cmmlu"));
    cpSync(join(DIR, "test", "arts.csv"), join(root, "cmmlu", "test", "arts.csv"));
    cpSync(join(DIR, "dev", "arts.csv"), join(root, "cmmlu", "dev", "arts.csv"));
    process.env.ARBITER_DATASETS = root;
    const n = await each(cmmlu.create({ subjects: ["arts"] }), () => {});
    expect(n).toBe(csvRows(join(DIR, "test", "arts.csv")).length);
  });

  it("builds the authors' Chinese 5-shot prompt with the subject's Chinese name", async () => {
    const task = cmmlu.create({ path: DIR, subjects: ["agronomy"] });
    const [first] = await collect(task);
    const prompt = text(first as Sample);
    const dev = csvRows(join(DIR, "dev", "agronomy.csv"));
    const test = csvRows(join(DIR, "test", "agronomy.csv"));
    const block = (r: Record<string, string>): string =>
      `题目：${r.Question}\nA. ${r.A}\nB. ${r.B}\nC. ${r.C}\nD. ${r.D}\n答案是：`;
    const q = test[0] as Record<string, string>;
    expect(prompt).toBe(
      "以下是关于农学的单项选择题，请直接给出正确答案的选项。\n\n" +
        dev
          .slice(0, 5)
          .map((r) => `${block(r)}${r.Answer}\n\n`)
          .join("") +
        block(q),
    );
    expect(first?.target).toBe(q.Answer);
    expect(first?.metadata).toMatchObject({ category: "agronomy", groups: ["Other"], subject_zh: "农学" });
  });

  it("has zero-shot and chain-of-thought variants", async () => {
    const [zero] = await collect(cmmlu.create({ path: DIR, subjects: ["arts"], variant: "zeroshot" }));
    expect(
      text(zero as Sample).startsWith(
        `以下是关于${CMMLU_SUBJECT_NAMES.arts}的单项选择题，请直接给出正确答案的选项。\n\n题目：`,
      ),
    ).toBe(true);
    const [cot] = await collect(cmmlu.create({ path: DIR, subjects: ["arts"], variant: "cot-zeroshot" }));
    const prompt = text(cot as Sample);
    expect(prompt.startsWith("以下是关于艺术学的单项选择题，请分析并选出正确答案。\n\n题目：")).toBe(true);
    expect(prompt.endsWith("\n逐步分析并给出答案选项。")).toBe(true);
  });

  it("keeps subjects or the authors' categories, and rejects unknown ones", async () => {
    const china = CMMLU_GROUPS["China specific"] ?? [];
    expect(china).toContain("ancient_chinese");
    expect(china).not.toContain("anatomy");
    const n = await each(cmmlu.create({ path: DIR, subjects: ["China specific"] }), (s) =>
      expect(s.metadata?.groups).toContain("China specific"),
    );
    expect(n).toBe(china.reduce((sum, s) => sum + csvRows(join(DIR, "test", `${s}.csv`)).length, 0));
    expect(() => cmmlu.create({ path: DIR, subjects: ["klingon"] })).toThrow(
      /cmmlu: unknown subject "klingon"; subjects: agronomy, anatomy, .*; groups: STEM, Humanities, Social Science, Other, China specific/,
    );
  });

  it("grades with the authors' extraction", async () => {
    const task = cmmlu.create({ path: DIR, subjects: ["agronomy"] });
    const [s] = await collect(task);
    const sample = s as Sample;
    expect((await scoresOf(task, `答案是：${sample.target}`, sample))[ACCURACY_METRIC]?.value).toBe(1);
    const none = await scoresOf(task, "无法确定", sample);
    expect(none[UNEXTRACTED_METRIC]?.value).toBe(1);
    expect(none[ACCURACY_METRIC]?.explanation).toContain("would guess a random letter");
  });
});

// ---------------------------------------------------------------------------------------------------------------

interface ArcRecord {
  id: string;
  question: string;
  choices: { text: string[]; label: string[] };
  answerKey: string;
}

describe("arc_challenge", () => {
  it("streams the 1,172 test questions, 3 to 5 options each, lettered by position", async () => {
    const records = jsonl<ArcRecord>(join(SHARED, "arc_challenge", "test.jsonl"));
    const official = new Map(
      jsonl<{ id: string; answerKey: string }>(join(SHARED, "arc_challenge", ARC_FILES.answerKey)).map((r) => [
        r.id,
        r.answerKey,
      ]),
    );
    const sizes: Record<number, number> = {};
    let numericKeys = 0;
    const samples = await collect(arcChallenge.create({}));
    expect(samples).toHaveLength(1172);
    expect(arcChallenge.info.samples).toBe(1172);
    samples.forEach((s, i) => {
      const r = records[i] as ArcRecord;
      expect(s.id).toBe(r.id);
      expect(s.choices).toEqual(r.choices.text);
      sizes[r.choices.text.length] = (sizes[r.choices.text.length] ?? 0) + 1;
      // The official key decides; it agrees with the copy's own key once 1–4 means the 1st–4th option.
      const key = official.get(r.id) as string;
      if (/^[1-9]$/.test(key)) numericKeys++;
      const fromOfficial = /^[1-9]$/.test(key) ? "ABCDE"[Number(key) - 1] : key;
      expect(s.target, r.id).toBe(fromOfficial);
      expect(s.target, r.id).toBe("ABCDE"[r.choices.label.indexOf(r.answerKey)]);
    });
    expect(sizes).toEqual({ 3: 4, 4: 1165, 5: 3 });
    expect(numericKeys).toBe(22);
  });

  it("asks with inspect_ai's single-answer template", async () => {
    const [first] = await collect(arcChallenge.create({}));
    expect(text(first as Sample)).toBe(
      "Answer the following multiple choice question. The entire content of your response should be of the following " +
        "format: 'ANSWER: $LETTER' (without quotes) where LETTER is one of A,B,C,D.\n\n" +
        "An astronomer observes that a planet rotates faster after a meteorite impact. Which is the most likely effect " +
        "of this increase in rotation?\n\n" +
        "A) Planetary density will decrease.\nB) Planetary years will become longer.\n" +
        "C) Planetary days will become shorter.\nD) Planetary gravity will become stronger.",
    );
    const five = (await collect(arcChallenge.create({}))).find((s) => s.choices?.length === 5) as Sample;
    expect(text(five)).toContain("where LETTER is one of A,B,C,D,E.");
    expect(text(five)).toMatch(/\nE\) /);
  });

  it("reads AI2's original layout with numeric labels, and has no subjects", async () => {
    const dir = tempDir();
    const record = {
      id: "NYSEDREGENTS_2015_8_28",
      question: {
        stem: "Which is a renewable resource?",
        choices: [
          { text: "coal", label: "1" },
          { text: "oil", label: "2" },
          { text: "wind", label: "3" },
          { text: "natural gas", label: "4" },
        ],
      },
      answerKey: "3",
    };
    writeFileSync(join(dir, ARC_FILES.questions), `${JSON.stringify(record)}\n`);
    const task = arcChallenge.create({ path: dir });
    const [s] = await collect(task);
    expect(s).toMatchObject({ id: record.id, target: "C", choices: ["coal", "oil", "wind", "natural gas"] });
    expect((await scoresOf(task, "ANSWER: C", s as Sample))[ACCURACY_METRIC]?.value).toBe(1);
    expect((await scoresOf(task, "wind", s as Sample))[ACCURACY_METRIC]?.value).toBe(1);
    expect(() => arcChallenge.create({ subjects: ["physics"] })).toThrow(/arc_challenge has no subjects/);
  });

  it("reports a question missing from the answer key, or a key naming no option", async () => {
    const dir = tempDir();
    const line = readFileSync(join(SHARED, "arc_challenge", "test.jsonl"), "utf8").split("\n")[0] as string;
    writeFileSync(join(dir, ARC_FILES.questions), `${line}\n`);
    writeFileSync(join(dir, ARC_FILES.answerKey), '{"id":"other","answerKey":"A"}\n');
    await expect(collect(arcChallenge.create({ path: dir }))).rejects.toThrow(
      /test\.jsonl:1: question Mercury_7175875 is not in the answer key/,
    );
    writeFileSync(join(dir, ARC_FILES.answerKey), '{"id":"Mercury_7175875","answerKey":"Q"}\n');
    await expect(collect(arcChallenge.create({ path: dir }))).rejects.toThrow(
      /answer key "Q" names none of its options \(A, B, C, D\)/,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("truthfulqa_mc1", () => {
  const tasks = (): { question: string; mc1_targets: Record<string, number> }[] =>
    JSON.parse(readFileSync(join(SHARED, "truthfulqa", TRUTHFULQA_FILES.questions), "utf8"));

  it("streams the 817 classic questions; each target letter points at the one true mc1 answer", async () => {
    const items = tasks();
    const samples = await collect(truthfulqaMc1.create({}));
    expect(samples).toHaveLength(817);
    expect(truthfulqaMc1.info.samples).toBe(817);
    samples.forEach((s, i) => {
      const item = items[i] as (typeof items)[number];
      expect(s.id).toBe(String(i));
      const options = Object.keys(item.mc1_targets);
      expect([...(s.choices ?? [])].sort()).toEqual([...options].sort());
      const chosen = s.choices?.["ABCDEFGHIJKLM".indexOf(s.target as string)] as string;
      expect(item.mc1_targets[chosen], s.id).toBe(1);
      expect(text(s)).toContain(`\n\n${item.question}\n\n`);
    });
  });

  it("shuffles the options with a fixed seed, so the true answer is not always A", async () => {
    const first = await collect(truthfulqaMc1.create({}));
    const again = await collect(truthfulqaMc1.create({}));
    expect(again.map((s) => s.choices)).toEqual(first.map((s) => s.choices));
    const atA = first.filter((s) => s.target === "A").length;
    // Under a uniform shuffle the true answer is at A with probability 1/n for a question of n options.
    const expected = first.reduce((sum, s) => sum + 1 / (s.choices?.length ?? 1), 0);
    const sd = Math.sqrt(
      first.reduce((sum, s) => sum + (1 / (s.choices?.length ?? 1)) * (1 - 1 / (s.choices?.length ?? 1)), 0),
    );
    expect(Math.abs(atA - expected)).toBeLessThan(4 * sd);
    expect(new Set(first.map((s) => s.target)).size).toBeGreaterThanOrEqual(8);
    expect(atA / first.length).toBeLessThan(0.35);
  });

  it("draws each permutation from sha256 of the key alone", () => {
    const p = seededPermutation(10, "truthfulqa_mc1:42:some question");
    expect([...p].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seededPermutation(10, "truthfulqa_mc1:42:some question")).toEqual(p);
    expect(seededPermutation(10, "truthfulqa_mc1:42:another question")).not.toEqual(p);
    expect(seededPermutation(1, "x")).toEqual([0]);
  });

  it("takes each question's category from TruthfulQA.csv and filters by it", async () => {
    const rows = csvRows(join(SHARED, "truthfulqa", TRUTHFULQA_FILES.categories));
    const categoryOf = new Map(rows.map((r) => [r.Question?.trim(), r.Category]));
    const items = tasks();
    const all = await collect(truthfulqaMc1.create({}));
    for (const [i, s] of all.entries()) {
      expect(s.metadata?.category).toBe(categoryOf.get(items[i]?.question.trim()));
    }
    expect([...new Set(all.map((s) => s.metadata?.category as string))].sort()).toEqual([...TRUTHFULQA_CATEGORIES]);
    const n = await each(truthfulqaMc1.create({ subjects: ["Misconceptions", "Law"] }), (s) =>
      expect(["Misconceptions", "Law"]).toContain(s.metadata?.category),
    );
    expect(n).toBe(rows.filter((r) => r.Category === "Misconceptions" || r.Category === "Law").length);
    expect(() => truthfulqaMc1.create({ subjects: ["Astrology"] })).toThrow(
      /truthfulqa_mc1: unknown subject "Astrology"; subjects: Advertising, Confusion: Other/,
    );
  });

  it("scores the letter or the text of the true answer", async () => {
    const task = truthfulqaMc1.create({});
    const [s] = await collect(task);
    const sample = s as Sample;
    const truth = sample.choices?.["ABCDEFGHIJKLM".indexOf(sample.target as string)] as string;
    expect((await scoresOf(task, `ANSWER: ${sample.target}`, sample))[ACCURACY_METRIC]?.value).toBe(1);
    expect((await scoresOf(task, truth, sample))[ACCURACY_METRIC]?.value).toBe(1);
  });
});
