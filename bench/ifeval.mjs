/**
 * IFEval checker throughput: the official GPT-4 responses shipped with IFEval (the 270 in the shared datasets folder)
 * checked against their prompts' instructions, strict and loose, round-robin for a fixed time.
 *
 *   node bench/ifeval.mjs [--seconds 2] [--data DIR]        imports the built package (dist/)
 *   node --import tsx bench/ifeval.mjs --src [...]           imports ../src/*.ts instead (no build)
 *
 * DIR holds IFEval's input_response_data_gpt4_20231107_145030.jsonl (default: ../shared/datasets/ifeval beside the
 * repository); the prompts come from the bundled data/benchmarks/ifeval/input_data.jsonl.
 *
 * Prints one JSON line: {"ifevalChecksPerSecond": N, "promptsPerSecond": M}. A check is one instruction of one
 * prompt evaluated both strictly and loosely (the loose evaluation tries up to eight variants of the response); a
 * prompt is all of its instructions (1.5 on average). One-time set-up (loading the language profiles and the Punkt
 * model) happens before the clock starts.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const { values } = parseArgs({
  options: {
    src: { type: "boolean", default: false },
    seconds: { type: "string", default: "2" },
    data: { type: "string", default: join(ROOT, "..", "shared", "datasets", "ifeval") },
  },
});
const seconds = Number(values.seconds);
if (!(seconds > 0)) {
  console.error("usage: bench/ifeval.mjs [--src] [--seconds S > 0] [--data DIR]");
  process.exit(2);
}

const from = values.src ? "../src" : "../dist";
const ext = values.src ? "ts" : "js";
const { buildInstructions, evaluateChecks } = await import(`${from}/scorers/ifeval/evaluate.${ext}`);
await (await import(`${from}/scorers/ifeval/langdetect/detector.${ext}`)).loadLanguageProfiles();

function readJsonl(file) {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}

const byPrompt = new Map(readJsonl(join(ROOT, "data/benchmarks/ifeval/input_data.jsonl")).map((r) => [r.prompt, r]));
const responsesFile = join(values.data, "input_response_data_gpt4_20231107_145030.jsonl");
const cases = readJsonl(responsesFile).map(({ prompt, response }) => {
  const record = byPrompt.get(prompt);
  if (!record) throw new Error(`${responsesFile}: a response's prompt is not in input_data.jsonl`);
  return { response, checks: buildInstructions(record.instruction_id_list, record.kwargs, `record ${record.key}`) };
});
if (cases.length === 0) throw new Error(`${responsesFile} holds no responses`);

// Warm-up: one pass builds the language detector and the Punkt model and lets the JIT settle.
for (const { response, checks } of cases) evaluateChecks(response, checks);

let prompts = 0;
let checks = 0;
const start = performance.now();
const deadline = start + seconds * 1000;
while (performance.now() < deadline) {
  const c = cases[prompts % cases.length];
  evaluateChecks(c.response, c.checks);
  prompts++;
  checks += c.checks.length;
}
const elapsed = (performance.now() - start) / 1000;
console.log(
  JSON.stringify({
    ifevalChecksPerSecond: Math.round(checks / elapsed),
    promptsPerSecond: Math.round(prompts / elapsed),
  }),
);
