import { basename } from "node:path";
import type { LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import type { AttemptOutcome, ChatMessage, ModelRequest } from "../core/types.js";
import { hubModelFile } from "../hub/model.js";
import { isHubRef } from "../hub/ref.js";
import { Deadline } from "./deadline.js";
import { classifyThrown } from "./errors.js";
import { failed } from "./http-call.js";
import { CallClock } from "./timing.js";
import type { CallOptions, ProviderAdapter } from "./types.js";

/**
 * GGUF models run in this process through node-llama-cpp (llama.cpp bindings, CPU build). The model part of the
 * reference is the file's path: `llamacpp//abs/path/model.gguf` or `llamacpp/models/model.gguf`, or a file of a
 * Hugging Face model repository, `llamacpp/hf:owner/repo[@revision]/model.gguf`, downloaded into the hub cache (see
 * src/hub) on first use and read from there afterwards.
 *
 * - Prompting: a model whose GGUF carries a chat template is prompted through it (node-llama-cpp's LlamaChat with
 *   the model's own template); a model without one (a base model such as TinyStories) is given the messages' text
 *   as a plain completion prompt, system text first.
 * - Usage is exact: input tokens are the prompt's tokens as the model reads it (BOS included); output tokens are
 *   those generated. The sequence is cleared before every call, so nothing is reused from an earlier call.
 * - Concurrency: one context per model with one sequence per concurrent call.
 * - Threads are set explicitly: node-llama-cpp's default was ~500× slower for a tiny model on 2 cores.
 */
export interface LlamaCppOptions {
  threads: number;
  contextSize: number;
  /** Parallel sequences (= calls in flight) per model. */
  sequences: number;
}

interface LoadedModel {
  model: LlamaModel;
  context: LlamaContext;
  hasChatTemplate: boolean;
  free: LlamaContextSequence[];
  waiting: ((sequence: LlamaContextSequence) => void)[];
}

export function createLlamaCppAdapter(options: LlamaCppOptions): ProviderAdapter {
  const loaded = new Map<string, Promise<LoadedModel>>();
  let runtime: Promise<import("node-llama-cpp").Llama> | null = null;

  const load = (path: string): Promise<LoadedModel> => {
    let entry = loaded.get(path);
    if (!entry) {
      entry = (async () => {
        const nlc = await import("node-llama-cpp");
        runtime ??= nlc.getLlama({ gpu: false, build: "never", logLevel: nlc.LlamaLogLevel.error });
        const llama = await runtime;
        // Plain progress lines: a redrawn bar would fight with the run's own progress line.
        const modelPath = isHubRef(path) ? await hubModelFile(path, { progress: "lines" }) : path;
        const model = await llama.loadModel({ modelPath });
        const context = await model.createContext({
          contextSize: options.contextSize,
          sequences: options.sequences,
          threads: options.threads,
        });
        const free = Array.from({ length: options.sequences }, () => context.getSequence());
        const template = (model.fileInfo.metadata as { tokenizer?: { chat_template?: string } }).tokenizer
          ?.chat_template;
        return {
          model,
          context,
          hasChatTemplate: typeof template === "string" && template.length > 0,
          free,
          waiting: [],
        };
      })();
      loaded.set(path, entry);
      entry.catch(() => loaded.delete(path));
    }
    return entry;
  };

  return {
    protocol: "llamacpp",
    async generate(path, request, callOptions) {
      const clock = new CallClock();
      let model: LoadedModel;
      try {
        model = await load(path);
      } catch (error) {
        return failed(clock, "bad_request", `cannot load ${path}: ${(error as Error).message}`, []);
      }
      const sequence = model.free.pop() ?? (await new Promise<LlamaContextSequence>((r) => model.waiting.push(r)));
      try {
        return await generateOn(model, sequence, path, request, callOptions);
      } finally {
        const next = model.waiting.shift();
        if (next) next(sequence);
        else model.free.push(sequence);
      }
    },
    async close() {
      for (const entry of loaded.values()) {
        const m = await entry.catch(() => null);
        await m?.context.dispose();
        await m?.model.dispose();
      }
      loaded.clear();
      if (runtime) await (await runtime).dispose();
      runtime = null;
    },
  };
}

async function generateOn(
  loaded: LoadedModel,
  sequence: LlamaContextSequence,
  path: string,
  request: ModelRequest,
  options: CallOptions,
): Promise<AttemptOutcome> {
  const nlc = await import("node-llama-cpp");
  const s = request.settings;
  const clock = new CallClock();
  const deadline = new Deadline(options.timeoutMs, options.signal);
  let generated = 0;
  try {
    await sequence.clearHistory();
    const before = sequence.tokenMeter.getState();
    const generation = {
      maxTokens: s.maxTokens,
      temperature: s.temperature ?? 0,
      topP: s.topP,
      seed: s.seed,
      customStopTriggers: s.stop,
      signal: deadline.abortSignal,
      onTextChunk: (text: string) => clock.contentDelta(text),
      onToken: (tokens: readonly unknown[]) => {
        generated += tokens.length;
      },
    };
    let text: string;
    let finishReason: string | null;
    let inputTokens: number;
    if (loaded.hasChatTemplate) {
      const chat = new nlc.LlamaChat({ contextSequence: sequence });
      const result = await chat.generateResponse(chatHistory(request.messages), generation);
      text = result.response;
      finishReason = result.metadata.stopReason;
      // The rendered template is not exposed: count what the context evaluated for this call's prompt.
      inputTokens = sequence.tokenMeter.diff(before).usedInputTokens;
    } else {
      const prompt = completionPrompt(request.messages);
      const completion = new nlc.LlamaCompletion({ contextSequence: sequence });
      const result = await completion.generateCompletionWithMeta(prompt, generation);
      text = result.response;
      finishReason = result.metadata.stopReason;
      // The prompt as the model reads it: its tokens after the BOS token the model prepends.
      inputTokens = loaded.model.tokenize(prompt).length + (loaded.model.tokens.shouldPrependBosToken ? 1 : 0);
    }
    return {
      ok: true,
      response: {
        text,
        reasoning: null,
        finishReason,
        reportedModel: basename(path),
        usage: {
          inputTokens,
          cachedInputTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: generated,
          reasoningTokens: loaded.hasChatTemplate ? null : 0,
        },
        rawUsage: { promptTokens: inputTokens, generatedTokens: generated },
        timing: clock.finish(generated),
      },
    };
  } catch (error) {
    const { errorClass, message } = classifyThrown(error, deadline.timedOut);
    return failed(clock, errorClass, message, []);
  } finally {
    deadline.dispose();
  }
}

/** A base model continues text: the system text, then each message's content, separated by blank lines. */
export function completionPrompt(messages: ChatMessage[]): string {
  return messages.map((m) => m.content).join("\n\n");
}

function chatHistory(messages: ChatMessage[]) {
  return messages.map((m) =>
    m.role === "assistant" ? { type: "model" as const, response: [m.content] } : { type: m.role, text: m.content },
  );
}
