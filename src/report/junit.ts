/**
 * `arbiter report RUN --junit FILE`: the run as JUnit XML, for CI systems that read test results (GitLab, Jenkins,
 * GitHub test reporters). One <testsuite> per model × task, one <testcase> per sample (and epoch). A sample whose
 * call failed is an <error> (its error class as the type); a sample answered without full marks on the task's
 * headline metric (a score below 1, or no score) is a <failure> that shows the target, the extracted answer and the
 * output. Streamed: a 100k-sample run is written without being held in memory.
 *
 * Everything from the run is XML-escaped, and characters XML 1.0 cannot carry (control characters, lone
 * surrogates) are replaced with U+FFFD, so that any model output yields a well-formed file.
 */
import { targetText } from "./formatting.js";
import type { OutcomeRow, RunData } from "./run-data.js";

/** Output beyond this many characters is cut in a failure's text (the store keeps all of it). */
const OUTPUT_CHARS = 2000;

// Characters allowed in XML 1.0: tab, newline, carriage return, and U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(value: unknown): string {
  return String(value)
    .replace(NOT_XML, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const x = escapeXml;
const seconds = (ms: number | null) => ((ms ?? 0) / 1000).toFixed(3);

/** The JUnit XML of a run, in chunks. */
export function* junitXml(
  data: RunData,
  run: { id: string; createdAt: string },
  headlines: Map<string, string>,
): Generator<string> {
  const counts = data.outcomeCounts(run.id, headlines);
  const multiEpoch = data.epochs(run.id) > 1;
  const total = counts.reduce(
    (t, c) => ({
      tests: t.tests + c.tests,
      failures: t.failures + c.failures,
      errors: t.errors + c.errors,
      ms: t.ms + c.latencyMs,
    }),
    { tests: 0, failures: 0, errors: 0, ms: 0 },
  );
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="arbiter run ${x(run.id)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" time="${seconds(total.ms)}">\n`;
  const suites = new Map(counts.map((c) => [`${c.model}\u0000${c.task}`, c]));
  let open: string | null = null;
  let buffer = "";
  for (const row of data.outcomes(run.id, headlines)) {
    const key = `${row.model}\u0000${row.task}`;
    if (key !== open) {
      if (open !== null) buffer += "  </testsuite>\n";
      open = key;
      const c = suites.get(key);
      buffer += `  <testsuite name="${x(`${row.model} × ${row.task}`)}" tests="${c?.tests ?? 0}" failures="${c?.failures ?? 0}" errors="${c?.errors ?? 0}" skipped="0" time="${seconds(c?.latencyMs ?? 0)}" timestamp="${x(run.createdAt.replace(/Z$/, ""))}">\n`;
      buffer += "    <properties>\n";
      buffer += `      <property name="run" value="${x(run.id)}"/>\n`;
      buffer += `      <property name="model" value="${x(row.model)}"/>\n`;
      buffer += `      <property name="task" value="${x(row.task)}"/>\n`;
      buffer += `      <property name="metric" value="${x(headlines.get(row.task) ?? "")}"/>\n`;
      buffer += "    </properties>\n";
    }
    buffer += testcase(row, multiEpoch);
    // Chunks of ~64 KiB: few enough writes, little held at once.
    if (buffer.length > 65536) {
      yield buffer;
      buffer = "";
    }
  }
  if (open !== null) buffer += "  </testsuite>\n";
  yield `${buffer}</testsuites>\n`;
}

function testcase(row: OutcomeRow, multiEpoch: boolean): string {
  const name = multiEpoch ? `${row.sampleId} (epoch ${row.epoch})` : row.sampleId;
  const head = `    <testcase classname="${x(`${row.model}.${row.task}`)}" name="${x(name)}" time="${seconds(row.latencyMs)}"`;
  if (row.status === "error") {
    const type = row.errorClass ?? "error";
    const message = row.errorMessage ?? type;
    return `${head}>\n      <error type="${x(type)}" message="${x(oneLine(message))}">${x(message)}</error>\n    </testcase>\n`;
  }
  if (row.score !== null && row.score >= 1) return `${head}/>\n`;
  const message = row.score === null ? "not scored" : `score ${row.score} < 1`;
  const output = row.output ?? "";
  const text = [
    `expected: ${targetText(row.targetJson)}`,
    `answer: ${row.answer ?? "(none extracted)"}`,
    `output: ${output.length > OUTPUT_CHARS ? `${output.slice(0, OUTPUT_CHARS)}… [${output.length - OUTPUT_CHARS} more characters]` : output}`,
  ].join("\n");
  return `${head}>\n      <failure type="score" message="${x(message)}">${x(text)}</failure>\n    </testcase>\n`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
