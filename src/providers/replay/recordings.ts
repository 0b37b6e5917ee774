/**
 * Recorded model outputs, read from a file into an index for the replay provider.
 *
 * One record per answer, in a JSONL file or a JSON array (the format follows the extension, as for datasets). Three
 * shapes are read as they are published, told apart by their fields:
 * - Arbiter's own: `{id?, input?, output, generator?}` — `input` a prompt string or a chat conversation
 *   (`[{role, content}, …]`), `id` the sample id (a string or a number); a record needs an id, an input, or both.
 * - AlpacaEval's `model_outputs.json`: a JSON array of `{instruction, output, generator, dataset}`.
 * - IFEval's response files (`input_response_data_*.jsonl`): `{prompt, response}`.
 * So the input is the first of `input`, `instruction`, `prompt` and the output the first of `output`, `response`;
 * `generator` (or `model`) names the model that wrote the output. Other fields are ignored.
 *
 * Matching keys: the sample id, and the input's text — the last user message of a conversation, the whole string
 * otherwise — with runs of whitespace collapsed to one space and the ends trimmed, so that a recording that was
 * re-wrapped or lost a trailing newline still matches.
 *
 * The file is streamed once; only the index (one entry per record: output, generator, line) is kept.
 */
import type { ChatMessage } from "../../core/types.js";
import { dataFileError, describeJsonValue, readRecords } from "../../tasks/data-files.js";

/** One recorded answer and where it came from. */
export interface Recording {
  output: string;
  /** The model that wrote the output, when the file says. */
  generator: string | null;
  /** 1-based line of the file where the record starts. */
  line: number;
  /** The normalised input text, when the record has an input. */
  text: string | null;
}

/** Several records of the same input with different outputs: the input alone cannot tell which one is meant. */
export interface Ambiguous {
  ambiguous: true;
  lines: number[];
}

export interface RecordingIndex {
  file: string;
  byId: Map<string, Recording>;
  byText: Map<string, Recording | Ambiguous>;
  size: number;
}

const INPUT_FIELDS = ["input", "instruction", "prompt"] as const;
const OUTPUT_FIELDS = ["output", "response"] as const;
const ROLES = new Set(["system", "user", "assistant"]);

/** The text a request or a recording is matched by: whitespace runs collapsed, ends trimmed. */
export function matchText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The text of a conversation that names its request: the last user message, else every message's text. */
export function conversationText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as ChatMessage;
    if (m.role === "user") return m.content;
  }
  return messages.map((m) => m.content).join("\n\n");
}

function firstField<K extends string>(
  record: Record<string, unknown>,
  fields: readonly K[],
): { field: K; value: unknown } | null {
  for (const field of fields) {
    if (record[field] !== undefined) return { field, value: record[field] };
  }
  return null;
}

/** Reads one record; throws a DataFileError naming the file, the line and the field. */
export function recordingOf(
  record: Record<string, unknown>,
  file: string,
  line: number,
): { id: string | null; recording: Recording } {
  const fail = (message: string): never => {
    throw dataFileError(file, line, message);
  };
  const out = firstField(record, OUTPUT_FIELDS);
  if (out === null) fail('no "output" (or "response") field: expected the recorded answer as a string');
  if (typeof out?.value !== "string") {
    fail(`field "${out?.field}" is ${describeJsonValue(out?.value)}: expected the recorded answer as a string`);
  }

  let id: string | null = null;
  if (record.id !== undefined && record.id !== null) {
    const raw = record.id;
    if ((typeof raw === "string" && raw !== "") || (typeof raw === "number" && Number.isFinite(raw))) id = String(raw);
    else fail(`field "id" is ${describeJsonValue(raw)}: expected the sample id as a non-empty string or a number`);
  }

  let text: string | null = null;
  const input = firstField(record, INPUT_FIELDS);
  if (input !== null) {
    if (typeof input.value === "string") {
      text = matchText(input.value);
    } else if (Array.isArray(input.value)) {
      text = matchText(conversationText(messagesOf(input.value, input.field, fail)));
    } else {
      fail(
        `field "${input.field}" is ${describeJsonValue(input.value)}: expected the prompt as a string or a list of {role, content} messages`,
      );
    }
  }
  if (id === null && text === null) {
    fail('the record has neither an "id" nor an input ("input", "instruction" or "prompt"): it can match no sample');
  }

  const gen = record.generator ?? record.model;
  const generator = typeof gen === "string" && gen !== "" ? gen : null;
  return { id, recording: { output: out?.value as string, generator, line, text } };
}

function messagesOf(value: unknown[], field: string, fail: (message: string) => never): ChatMessage[] {
  if (value.length === 0) fail(`field "${field}" is an empty list: expected at least one {role, content} message`);
  return value.map((m, i) => {
    const message = m as { role?: unknown; content?: unknown } | null;
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      return fail(`${field}[${i}] is ${describeJsonValue(m)}: expected a {role, content} message`);
    }
    if (typeof message.role !== "string" || !ROLES.has(message.role)) {
      return fail(`${field}[${i}].role is ${JSON.stringify(message.role)}: expected "system", "user" or "assistant"`);
    }
    if (typeof message.content !== "string") {
      return fail(`${field}[${i}].content is ${describeJsonValue(message.content)}: expected a string`);
    }
    return { role: message.role as ChatMessage["role"], content: message.content };
  });
}

/**
 * Streams a recordings file into its index. A duplicate id is an error (ids name one sample each); records of the
 * same input with the same output are one recording, with different outputs they make the input ambiguous (the
 * sample must then be matched by id). Throws a DataFileError naming the file and the line.
 */
export async function loadRecordings(file: string): Promise<RecordingIndex> {
  const byId = new Map<string, Recording>();
  const byText = new Map<string, Recording | Ambiguous>();
  let size = 0;
  for await (const { record, line } of readRecords(file)) {
    const { id, recording } = recordingOf(record, file, line);
    size++;
    if (id !== null) {
      const first = byId.get(id);
      if (first) throw dataFileError(file, line, `id "${id}" is recorded twice (first at line ${first.line})`);
      byId.set(id, recording);
    }
    if (recording.text !== null) {
      const seen = byText.get(recording.text);
      if (seen === undefined) byText.set(recording.text, recording);
      else if ("ambiguous" in seen) seen.lines.push(line);
      else if (seen.output !== recording.output)
        byText.set(recording.text, { ambiguous: true, lines: [seen.line, line] });
    }
  }
  if (size === 0) throw dataFileError(file, undefined, "holds no recordings: expected one record per answer");
  return { file, byId, byText, size };
}
