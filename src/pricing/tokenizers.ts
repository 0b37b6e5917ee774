import { getEncoding, type Tiktoken, type TiktokenEncoding } from "js-tiktoken";
import type { ChatMessage } from "../core/types.js";

/**
 * Token counting for estimates before a run. OpenAI models use their real encodings (js-tiktoken, offline):
 * o200k_base for GPT-4o, GPT-4.1, GPT-5 and the o-series, cl100k_base for GPT-4 and GPT-3.5. Every other model is
 * approximated with cl100k_base (a documented approximation: DeepSeek, Qwen and GLM vocabularies differ, typically
 * within ±20% on English and more on Chinese). Chat formatting adds a few tokens per message (OpenAI's documented
 * 3 per message plus 3 for the reply's priming), counted the same way for every model.
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

export function tokenCounterFor(provider: string, model: string): TokenCounter {
  const m = model.toLowerCase();
  const openaiFamily = provider === "openai" || provider === "openrouter" || provider === "together";
  if (openaiFamily || m.startsWith("gpt-") || /^o\d/.test(m)) {
    if (/^(gpt-4o|gpt-4\.1|gpt-5|o\d|chatgpt-4o)/.test(m.replace(/^openai\//, ""))) return counter("o200k_base", true);
    if (/^(gpt-4|gpt-3\.5)/.test(m.replace(/^openai\//, ""))) return counter("cl100k_base", true);
  }
  return counter("cl100k_base", false);
}
