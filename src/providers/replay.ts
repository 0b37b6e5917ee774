import type { ModelRequest } from "../core/types.js";
import { failed } from "./http-call.js";
import {
  conversationText,
  loadRecordings,
  matchText,
  type Recording,
  type RecordingIndex,
} from "./replay/recordings.js";
import { CallClock } from "./timing.js";
import type { ProviderAdapter } from "./types.js";

/**
 * The replay provider answers from recorded outputs instead of calling a model: `replay/<file>`, where the file is
 * a recordings file (see replay/recordings.ts for its formats) — relative to the working directory on the command
 * line, to the config's folder in a config, like a llamacpp model file. It puts a published model's answers (GPT-4's
 * IFEval responses, AlpacaEval's model outputs) through Arbiter's scorers and reports without a call.
 *
 * - Matching: by the sample's id first (the runner passes it with a sample's first turn), else by the text of the
 *   request's last user message, whitespace-normalised. A record matched by id whose input text differs from the
 *   request's is refused: its ids belong to another dataset.
 * - No recording is an error of that sample (`not_recorded`), never an empty answer that a scorer would grade.
 * - Usage is unknown (null: nothing was billed that we know of) and so is the cost; timing is the lookup's own wall
 *   time with no time to first token or decode speed (nothing was generated).
 * - Each file is streamed once, on the first call that needs it, into an index that every later call shares. A bad
 *   file fails every sample that needs it with the same message, naming the file and the line.
 */
export function createReplayAdapter(): ProviderAdapter {
  const indexes = new Map<string, Promise<RecordingIndex>>();
  const load = (file: string): Promise<RecordingIndex> => {
    let index = indexes.get(file);
    if (!index) {
      index = loadRecordings(file);
      // Every call sees the same outcome, a bad file included: it is read once whatever it holds.
      index.catch(() => {});
      indexes.set(file, index);
    }
    return index;
  };

  return {
    protocol: "replay",
    uncached: true,
    async generate(file, request) {
      const clock = new CallClock();
      let index: RecordingIndex;
      try {
        index = await load(file);
      } catch (error) {
        return failed(clock, "bad_request", `replay: ${(error as Error).message}`, []);
      }
      const found = lookup(index, request);
      if (!found.ok) return failed(clock, found.errorClass, found.message, []);
      return {
        ok: true,
        response: {
          text: found.recording.output,
          reasoning: null,
          finishReason: null,
          reportedModel: found.recording.generator,
          usage: null,
          rawUsage: null,
          timing: clock.finish(null),
        },
      };
    },
    async close() {
      indexes.clear();
    },
  };
}

type Lookup =
  | { ok: true; recording: Recording }
  | { ok: false; errorClass: "not_recorded" | "bad_request"; message: string };

/** The recording that answers `request`: by sample id, else by the last user message's text. */
export function lookup(index: RecordingIndex, request: ModelRequest): Lookup {
  const text = matchText(conversationText(request.messages));
  const sample = request.sampleId === undefined ? "the request" : `sample "${request.sampleId}"`;
  if (request.sampleId !== undefined) {
    const byId = index.byId.get(request.sampleId);
    if (byId) {
      if (byId.text !== null && byId.text !== text) {
        return {
          ok: false,
          errorClass: "bad_request",
          message: `replay: ${index.file}:${byId.line} records id "${request.sampleId}" for another input (${quote(byId.text)}, the sample asks ${quote(text)}): the file's ids belong to another dataset`,
        };
      }
      return { ok: true, recording: byId };
    }
  }
  const byText = index.byText.get(text);
  if (byText === undefined) {
    return {
      ok: false,
      errorClass: "not_recorded",
      message: `replay: no recording for ${sample} in ${index.file} (${index.size} records; matched by id, then by the last user message: ${quote(text)})`,
    };
  }
  if ("ambiguous" in byText) {
    return {
      ok: false,
      errorClass: "bad_request",
      message: `replay: ${index.file} records different outputs for the input of ${sample} (lines ${byText.lines.join(", ")}): give the records an "id" to tell them apart`,
    };
  }
  return { ok: true, recording: byText };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
