/**
 * langdetect's character normalization and n-gram window (`utils/ngram.py` of `langdetect` 1.0.9): characters are
 * folded by Unicode block (ASCII non-letters and general punctuation become spaces, kana and hangul collapse to one
 * representative, CJK ideographs to their class's representative, Vietnamese letter + combining mark to the
 * precomposed letter), and the detector reads the last 1, 2 and 3 characters after each character.
 */
import { pyIsUpper } from "../python-text.js";
import { CJK_CLASSES, DMARK_CLASS, LATIN1_EXCLUDED, NORMALIZED_VI_CHARS, TO_NORMALIZE_VI_CHARS } from "./messages.js";

export const N_GRAM = 3;

const CJK_MAP = new Map<string, string>();
for (const cls of CJK_CLASSES) {
  const chars = Array.from(cls);
  const representative = chars[0] as string;
  for (const ch of chars) CJK_MAP.set(ch, representative);
}

const VI_CHARS = Array.from(TO_NORMALIZE_VI_CHARS);
const VI_MARKS = Array.from(DMARK_CLASS);
const VI_PAIR = new RegExp(`([${TO_NORMALIZE_VI_CHARS}])([${DMARK_CLASS}])`, "gu");

/** NGram.normalize_vi: a Vietnamese base letter followed by a combining mark becomes the precomposed letter. */
export function normalizeVi(text: string): string {
  return text.replace(VI_PAIR, (_all, letter: string, mark: string) => {
    const row = Array.from(NORMALIZED_VI_CHARS[VI_MARKS.indexOf(mark)] as string);
    return row[VI_CHARS.indexOf(letter)] as string;
  });
}

/** NGram.normalize for one character (code point), by Unicode block. */
export function normalizeChar(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  if (cp <= 0x7f) {
    // Basic Latin: only letters survive.
    return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ? ch : " ";
  }
  if (cp <= 0xff) return LATIN1_EXCLUDED.includes(ch) ? " " : ch;
  if (cp >= 0x180 && cp <= 0x24f) {
    // Latin Extended-B: Romanian comma-below letters to the cedilla forms.
    if (ch === "\u0219") return "\u015f";
    if (ch === "\u021b") return "\u0163";
    return ch;
  }
  if (cp >= 0x2000 && cp <= 0x206f) return " ";
  if (cp >= 0x600 && cp <= 0x6ff) return ch === "\u06cc" ? "\u064a" : ch;
  if (cp >= 0x1e00 && cp <= 0x1eff) return cp >= 0x1ea0 ? "\u1ec3" : ch;
  if (cp >= 0x3040 && cp <= 0x309f) return "\u3042";
  if (cp >= 0x30a0 && cp <= 0x30ff) return "\u30a2";
  if ((cp >= 0x3100 && cp <= 0x312f) || (cp >= 0x31a0 && cp <= 0x31bf)) return "\u3105";
  if (cp >= 0x4e00 && cp <= 0x9fff) return CJK_MAP.get(ch) ?? ch;
  if (cp >= 0xac00 && cp <= 0xd7af) return "\uac00";
  return ch;
}

/** The sliding window of the last (up to three) normalized characters, reset at every space. */
export class NGram {
  private grams: string[] = [" "];
  /** True inside a run of upper-case letters (such words are skipped: acronyms say little about the language). */
  capitalword = false;

  addChar(raw: string): void {
    const ch = normalizeChar(raw);
    const lastChar = this.grams[this.grams.length - 1] as string;
    if (lastChar === " ") {
      this.grams = [" "];
      this.capitalword = false;
      if (ch === " ") return;
    } else if (this.grams.length >= N_GRAM) {
      this.grams.shift();
    }
    this.grams.push(ch);
    if (pyIsUpper(ch)) {
      if (pyIsUpper(lastChar)) this.capitalword = true;
    } else {
      this.capitalword = false;
    }
  }

  /** The last n characters, or null when fewer than n are in the window. */
  last(n: number): string | null {
    if (this.grams.length < n) return null;
    return this.grams.slice(this.grams.length - n).join("");
  }
}
