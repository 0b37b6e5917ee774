import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildRequest, type Task } from "../src/core/task.js";
import type { Sample } from "../src/core/types.js";
import {
  buildCustomTask,
  CustomTaskError,
  CustomTaskSpec,
  type CustomTaskSpecInput,
  GenerationSettingsSchema,
  validateCustomTask,
} from "../src/tasks/custom.js";
import { DataFileError } from "../src/tasks/data-files.js";
import {
  checkTemplate,
  missingTemplateFields,
  renderTemplate,
  TemplateError,
  templateFields,
} from "../src/tasks/template.js";

const FIX = "test/fixtures/tasks";

async function samples(task: Task): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of task.dataset()) out.push(s);
  return out;
}

async function datasetError(task: Task): Promise<{ count: number; error: DataFileError }> {
  let count = 0;
  try {
    for await (const _ of task.dataset()) count++;
  } catch (err) {
    expect(err).toBeInstanceOf(DataFileError);
    return { count, error: err as DataFileError };
  }
  throw new Error("expected the dataset to fail");
}

async function validationError(spec: CustomTaskSpecInput, baseDir = FIX): Promise<Error> {
  try {
    await validateCustomTask(spec, baseDir);
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    return err as Error;
  }
  throw new Error("expected validation to fail");
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "arbiter-task-"));
}

const capitals: CustomTaskSpecInput = {
  name: "capitals",
  description: "Capital cities",
  data: "capitals.jsonl",
  system: "You are a geography expert on {{meta.continent}}.",
  prompt: "What is the capital of {{country}}?",
  target: "{{capital}}",
  scorer: "includes",
  settings: { temperature: 0, maxTokens: 20, stop: "\n" },
};

describe("templates", () => {
  it("renders without HTML escaping, in both tag styles", () => {
    const record = { x: `<b>&"'</b>`, n: 3 };
    expect(renderTemplate("{{x}} / {{{x}}} / {{& x}} / {{n}}", record)).toBe(
      `<b>&"'</b> / <b>&"'</b> / <b>&"'</b> / 3`,
    );
  });

  it("supports dotted paths, sections, inverted sections and lists", () => {
    const record = { q: { text: "2+2?", level: 1 }, choices: ["3", "4"], hint: "", tags: [{ name: "math" }] };
    expect(renderTemplate("{{q.text}} (level {{q.level}})", record)).toBe("2+2? (level 1)");
    expect(renderTemplate("{{#choices}}- {{.}}\n{{/choices}}", record)).toBe("- 3\n- 4\n");
    expect(renderTemplate("{{#hint}}Hint: {{hint}}{{/hint}}{{^hint}}No hint{{/hint}}", record)).toBe("No hint");
    expect(renderTemplate("{{#tags}}#{{name}}{{/tags}}", record)).toBe("#math");
  });

  it("inserts objects and arrays as JSON rather than [object Object]", () => {
    expect(renderTemplate("{{choices}} {{{q}}}", { choices: ["a", "b"], q: { t: 1 } })).toBe('["a","b"] {"t":1}');
  });

  it("lists the top-level fields a template uses, not names inside sections", () => {
    expect(templateFields("{{a.b}} {{c}} {{#items}}{{name}}{{/items}} {{^d}}x{{/d}} {{! comment }} {{a.z}}")).toEqual([
      "a",
      "c",
      "items",
      "d",
    ]);
  });

  it("reports missing variables with their full path, but not optional sections", () => {
    const record = { a: { b: 1 }, c: null };
    expect(missingTemplateFields("{{a.b}} {{a.x}} {{c}} {{d}} {{#e}}{{f}}{{/e}}", record)).toEqual(["a.x", "d"]);
  });

  it("rejects broken templates and partials with a TemplateError", () => {
    expect(() => checkTemplate("{{#a}} never closed")).toThrow(TemplateError);
    expect(() => checkTemplate("{{#a}} never closed")).toThrow(/^invalid template: Unclosed section "a"/);
    expect(() => renderTemplate("Hi {{> header}}", {})).toThrow(
      "invalid template: partials ({{> header}}) are not supported",
    );
  });
});

describe("GenerationSettingsSchema", () => {
  it("normalizes stop to a list and rejects unknown keys", () => {
    expect(GenerationSettingsSchema.parse({ stop: "END", maxTokens: 5 })).toEqual({ stop: ["END"], maxTokens: 5 });
    expect(GenerationSettingsSchema.parse({ stop: ["a", "b"] })).toEqual({ stop: ["a", "b"] });
    expect(GenerationSettingsSchema.safeParse({ max_tokens: 5 }).success).toBe(false);
    expect(GenerationSettingsSchema.safeParse({ reasoningEffort: "max" }).success).toBe(false);
    expect(GenerationSettingsSchema.safeParse({ maxTokens: 0 }).success).toBe(false);
  });
});

describe("CustomTaskSpec", () => {
  it("rejects unknown keys, including inside settings and scorer", () => {
    expect(CustomTaskSpec.safeParse({ ...capitals, promt: "x" }).error?.issues[0]?.message).toBe(
      'Unrecognized key: "promt"',
    );
    expect(CustomTaskSpec.safeParse({ ...capitals, settings: { temprature: 0 } }).success).toBe(false);
    expect(CustomTaskSpec.safeParse({ ...capitals, scorer: { type: "exact", icase: true } }).success).toBe(false);
  });

  it("requires a target template except for a regex scorer", () => {
    const { target: _target, ...noTarget } = capitals;
    const r = CustomTaskSpec.safeParse(noTarget);
    expect(r.error?.issues[0]).toMatchObject({
      path: ["target"],
      message: 'the includes scorer needs a target template, e.g. "{{answer}}"',
    });
    expect(CustomTaskSpec.safeParse({ ...noTarget, scorer: { type: "regex", pattern: "\\w+" } }).success).toBe(true);
  });
});

describe("buildCustomTask", () => {
  it("streams samples: id, rendered prompt, target, metadata", async () => {
    const task = buildCustomTask(capitals, FIX);
    expect(task.name).toBe("capitals");
    expect(task.description).toBe("Capital cities");
    expect(task.scorerName).toBe("includes");
    expect(task.settings).toEqual({ temperature: 0, maxTokens: 20, stop: ["\n"] });
    const all = await samples(task);
    expect(all.map((s) => s.id)).toEqual(["fr", "jp", "eg"]);
    expect(all[0]).toEqual({
      id: "fr",
      input: "What is the capital of France?",
      target: "Paris",
      metadata: { id: "fr", country: "France", capital: "Paris", meta: { continent: "Europe" } },
    });
    // The prompt is not HTML: markup and ampersands pass through.
    expect(all[2]?.input).toBe("What is the capital of Egypt <b>&</b>?");
  });

  it("solves to [system, user] messages rendered per sample, and layers settings", async () => {
    const task = buildCustomTask(capitals, FIX);
    const [first] = await samples(task);
    if (!first) throw new Error("no sample");
    expect(task.solver(first).messages).toEqual([
      { role: "system", content: "You are a geography expert on Europe." },
      { role: "user", content: "What is the capital of France?" },
    ]);
    const request = buildRequest(task, first, { temperature: 1, stream: true }, { maxTokens: 100 });
    expect(request.settings).toEqual({ temperature: 0, maxTokens: 100, stop: ["\n"], stream: true });
    expect(await task.scorer("It is Paris.", first, {})).toEqual({ value: 1, answer: "Paris" });
  });

  it("omits the system message when there is none", async () => {
    const { system: _system, ...spec } = capitals;
    const task = buildCustomTask(spec, FIX);
    const [first] = await samples(task);
    expect(first && task.solver(first).messages).toEqual([{ role: "user", content: "What is the capital of France?" }]);
  });

  it("numbers samples from 1 when records have no id, and uses idField when given", async () => {
    const json = buildCustomTask({ ...capitals, data: "capitals.json", system: undefined }, FIX);
    expect((await samples(json)).map((s) => s.id)).toEqual(["1", "2", "3"]);
    const byCapital = buildCustomTask(
      { ...capitals, data: "capitals.json", system: undefined, idField: "capital" },
      FIX,
    );
    expect((await samples(byCapital)).map((s) => s.id)).toEqual(["Paris", "Tokyo", "Lima"]);
  });

  it("runs a CSV multiple-choice task with JSON-array choices end to end", async () => {
    const task = buildCustomTask(
      {
        name: "mcq",
        data: "mcq.csv",
        prompt: "{{question}}\n{{#choices}}* {{.}}\n{{/choices}}Answer with a letter.",
        target: "{{answer}}",
        choicesField: "choices",
        scorer: "choice",
      },
      FIX,
    );
    const all = await samples(task);
    expect(all.map((s) => [s.id, s.target, s.choices])).toEqual([
      ["q1", "A", ["Paris", "Lyon", "Nice"]],
      ["q2", "C", ["1", "2", "3", "4"]],
      ["q3", "B", ["yes", "no"]],
    ]);
    expect(all[0]?.input).toBe(
      "Which city is the capital of France, the country?\n* Paris\n* Lyon\n* Nice\nAnswer with a letter.",
    );
    // The record itself is kept as it was read.
    expect(all[0]?.metadata?.choices).toBe('["Paris", "Lyon", "Nice"]');
    const [q1, q2, q3] = all;
    if (!q1 || !q2 || !q3) throw new Error("missing samples");
    expect(await task.scorer("The answer is (A)", q1, {})).toEqual({ value: 1, answer: "A" });
    expect(await task.scorer("Answer: D", q2, {})).toMatchObject({ value: 0, answer: "D" });
    // Only two choices: "C" is out of range, so the explicit B wins.
    expect(await task.scorer("C? No. The answer is B", q3, {})).toMatchObject({ value: 1, answer: "B" });
  });

  it("leaves the prompt alone when it does not use the choices", async () => {
    const task = buildCustomTask(
      {
        name: "mcq",
        data: "mcq.jsonl",
        prompt: "{{question}}",
        target: "{{answer}}",
        choicesField: "choices",
        scorer: "choice",
      },
      FIX,
    );
    const all = await samples(task);
    expect(all.map((s) => s.input)).toEqual(["2 + 2 = ?", "Largest planet?"]);
    // A target written as a choice's text maps to its letter.
    const second = all[1];
    if (!second) throw new Error("missing sample");
    expect(await task.scorer("B", second, {})).toEqual({ value: 1, answer: "B" });
  });

  it("turns a target naming a list into a list of acceptable targets", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "q.jsonl"), '{"q": "Capital of Japan?", "answers": ["Tokyo", "Tokio"]}\n');
    const task = buildCustomTask(
      { name: "t", data: "q.jsonl", prompt: "{{q}}", target: "{{answers}}", scorer: "exact" },
      dir,
    );
    const [s] = await samples(task);
    expect(s?.target).toEqual(["Tokyo", "Tokio"]);
  });

  it("resolves the data path against baseDir, not the working directory", async () => {
    const task = buildCustomTask(capitals, resolve(FIX));
    expect(await samples(task)).toHaveLength(3);
  });

  it("throws at build for a bad spec, a bad template or a bad regex", () => {
    expect(() => buildCustomTask({ ...capitals, promt: "x" } as CustomTaskSpecInput, FIX)).toThrow(CustomTaskError);
    expect(() => buildCustomTask({ ...capitals, promt: "x" } as CustomTaskSpecInput, FIX)).toThrow(
      /^task "capitals": .*Unrecognized key: "promt"/s,
    );
    expect(() => buildCustomTask({ ...capitals, prompt: "{{#x}}open" }, FIX)).toThrow(
      /task "capitals": .*invalid template: Unclosed section "x".*→ at prompt/s,
    );
    expect(() => buildCustomTask({ ...capitals, scorer: { type: "regex", pattern: "(" } }, FIX)).toThrow(
      /task "capitals": .*regex scorer: invalid pattern \/\(\/.*→ at scorer\.pattern/s,
    );
  });

  it("fails while streaming at the record that lacks a template field, naming file and line", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "q.jsonl"), '{"question": "a"}\n\n{"question": "b"}\n{"query": "c"}\n');
    const task = buildCustomTask(
      { name: "t", data: "q.jsonl", prompt: "Q: {{question}}", target: "x", scorer: "exact" },
      dir,
    );
    const { count, error } = await datasetError(task);
    expect(count).toBe(2);
    expect(error.message).toBe(`${join(dir, "q.jsonl")}:4: template field "question" not found; the record has: query`);
  });

  it("rejects duplicate ids and records missing the id field", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "dup.jsonl"), '{"id": 1, "q": "a"}\n{"id": 2, "q": "b"}\n{"id": "1", "q": "c"}\n');
    writeFileSync(join(dir, "noid.jsonl"), '{"id": 1, "q": "a"}\n{"q": "b"}\n');
    const spec = { name: "t", prompt: "{{q}}", target: "x", scorer: "exact" } as const;
    const dup = await datasetError(buildCustomTask({ ...spec, data: "dup.jsonl" }, dir));
    expect(dup.error.message).toBe(`${join(dir, "dup.jsonl")}:3: duplicate id "1" (first used on line 1)`);
    const noid = await datasetError(buildCustomTask({ ...spec, data: "noid.jsonl" }, dir));
    expect(noid.error.message).toBe(`${join(dir, "noid.jsonl")}:2: id field "id" not found; the record has: q`);
  });

  it("explains a choices field that is not a list", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "c.csv"), 'q,answer,choices\nx,A,"Paris, Lyon"\n');
    const task = buildCustomTask(
      { name: "t", data: "c.csv", prompt: "{{q}}", target: "{{answer}}", choicesField: "choices", scorer: "choice" },
      dir,
    );
    const { error } = await datasetError(task);
    expect(error.message).toBe(
      `${join(dir, "c.csv")}:2: choices field "choices" is a string that is not a JSON array: expected an array of options or a string holding a JSON array, e.g. ["Paris", "Lyon"]`,
    );
  });
});

describe("validateCustomTask", () => {
  it("passes a good task", async () => {
    await expect(validateCustomTask(capitals, FIX)).resolves.toBeUndefined();
  });

  it("names the file, the line, the missing field and the fields the record has", async () => {
    const error = await validationError({
      name: "capitals",
      data: "capitals-nocountry.jsonl",
      prompt: "What is the capital of {{country}}?",
      target: "{{capital}}",
      scorer: "exact",
    });
    expect(error).toBeInstanceOf(DataFileError);
    expect(error.message).toBe(
      'test/fixtures/tasks/capitals-nocountry.jsonl:1: template field "country" not found; the record has: name, capital',
    );
  });

  it("checks the system and target templates too, and reports CSV lines after the header", async () => {
    const error = await validationError({
      name: "mcq",
      data: "mcq.csv",
      system: "Level {{level}}",
      prompt: "{{question}}",
      target: "{{answer}}",
      scorer: "exact",
    });
    expect(error.message).toBe(
      'test/fixtures/tasks/mcq.csv:2: template field "level" not found; the record has: id, question, answer, choices',
    );
  });

  it("reads only the first record", async () => {
    // broken-line.jsonl is broken on line 4; its first record is fine.
    const spec: CustomTaskSpecInput = {
      name: "b",
      data: "broken-line.jsonl",
      prompt: "{{q}}",
      target: "{{id}}",
      scorer: "exact",
    };
    await expect(validateCustomTask(spec, FIX)).resolves.toBeUndefined();
    const { count, error } = await datasetError(buildCustomTask(spec, FIX));
    expect(count).toBe(2);
    expect(error.message).toMatch(/^test\/fixtures\/tasks\/broken-line\.jsonl:4: not valid JSON/);
  });

  it("reports a missing data file, an empty one and a bad first line", async () => {
    const base = { name: "t", prompt: "{{q}}", target: "x", scorer: "exact" } as const;
    expect((await validationError({ ...base, data: "nope.jsonl" })).message).toBe(
      "test/fixtures/tasks/nope.jsonl: file not found",
    );
    expect((await validationError({ ...base, data: "empty.jsonl" })).message).toBe(
      "test/fixtures/tasks/empty.jsonl: no records found: expected at least one",
    );
    expect((await validationError({ ...base, data: "top-object.json" })).message).toBe(
      "test/fixtures/tasks/top-object.json: expected a JSON array of objects, found an object",
    );
    expect((await validationError({ ...base, data: "data.txt" })).message).toMatch(
      /^test\/fixtures\/tasks\/data\.txt: cannot tell the format/,
    );
    await expect(validateCustomTask({ ...base, data: "data.txt", format: "jsonl" }, FIX)).resolves.toBeUndefined();
  });

  it("checks that a choice target is a letter and a numeric target has a number", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "q.jsonl"), '{"q": "pick", "choices": ["x", "y"], "answer": "2"}\n');
    const choiceError = await validationError(
      { name: "t", data: "q.jsonl", prompt: "{{q}}", target: "{{answer}}", choicesField: "choices", scorer: "choice" },
      dir,
    );
    expect(choiceError.message).toBe(
      `${join(dir, "q.jsonl")}:1: target "2" is not a choice letter (A–B) or the text of a choice: the choice scorer expects a letter, e.g. "B"`,
    );
    const numericError = await validationError(
      { name: "t", data: "q.jsonl", prompt: "{{q}}", target: "{{q}}", scorer: "numeric" },
      dir,
    );
    expect(numericError.message).toBe(`${join(dir, "q.jsonl")}:1: target "pick" has no number for the numeric scorer`);
  });
});
