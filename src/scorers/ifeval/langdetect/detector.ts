/**
 * A port of `langdetect` 1.0.9 (Python port of Nakatani Shuyo's language-detection library), which IFEval calls as
 * `langdetect.detect(text)` for `language:response_language`, `change_case:english_capital` and
 * `change_case:english_lowercase`.
 *
 * The algorithm, as in `detector.py`: strip URLs and e-mail addresses, normalize Vietnamese marks, keep at most 10,000
 * characters with runs of spaces collapsed, drop Latin letters when non-Latin characters outnumber them twice over,
 * collect every known 1-, 2- and 3-gram (skipping words in capitals), then run 7 trials: each starts from a uniform
 * prior and multiplies in randomly drawn n-grams' per-language probabilities (smoothed by alpha = 0.5 + N(0, 1) ×
 * 0.05) until one language exceeds 0.99999 (checked every 5 draws, at most 1,000). The answer is the language with
 * the highest averaged probability above 0.1, or "unknown".
 *
 * The random draws use CPython's Mersenne Twister with seed 0 ({@link PythonRandom}), so results equal Python
 * langdetect's with `DetectorFactory.seed = 0`. IFEval itself leaves the seed unset (a fresh random seed per call);
 * a clear-cut text gets the same answer whatever the seed, and fixing it makes this port deterministic.
 */
import { N_GRAM, NGram, normalizeVi } from "./ngram.js";
import { forEachProfileEntry, type LanguageProfile } from "./profile.js";
import { PythonRandom } from "./python-random.js";

const ALPHA_DEFAULT = 0.5;
const ALPHA_WIDTH = 0.05;
const ITERATION_LIMIT = 1000;
const PROB_THRESHOLD = 0.1;
const CONV_THRESHOLD = 0.99999;
const BASE_FREQ = 10000;
const N_TRIAL = 7;
const MAX_TEXT_LENGTH = 10000;

const URL_RE = /https?:\/\/[-_.?&~;+=/#0-9A-Za-z]{1,2076}/g;
const MAIL_RE = /[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}/g;

/** langdetect's LangDetectException: raised when the text has no usable n-gram ("No features in text."). */
export class LangDetectError extends Error {
  override name = "LangDetectError";
}

export interface LanguageProbability {
  lang: string;
  prob: number;
}

export class LanguageDetector {
  readonly languages: readonly string[];
  /** n-gram → its index; the n-gram's languages and probabilities are entries start[i] to start[i + 1] - 1. */
  private readonly ngramIndex = new Map<string, number>();
  private readonly start: Uint32Array;
  private readonly entryLang: Uint8Array;
  private readonly entryProb: Float64Array;
  private readonly seed: number;

  /**
   * Builds the n-gram table from the profiles (DetectorFactory.add_profile): p(n-gram | language) = count ÷ the
   * language's number of n-grams of that length. Stored sparsely (most n-grams occur in few languages) in flat arrays.
   */
  constructor(profiles: readonly LanguageProfile[] = bundledProfiles(), seed = 0) {
    if (profiles.length > 255) throw new RangeError("at most 255 language profiles are supported");
    this.languages = profiles.map((p) => p.name);
    this.seed = seed;
    const ngramOf: number[] = [];
    const langOf: number[] = [];
    const probOf: number[] = [];
    profiles.forEach((profile, lang) => {
      forEachProfileEntry(profile, (ngram, count) => {
        const length = codePointLength(ngram);
        if (length < 1 || length > N_GRAM) return;
        let id = this.ngramIndex.get(ngram);
        if (id === undefined) {
          id = this.ngramIndex.size;
          this.ngramIndex.set(ngram, id);
        }
        ngramOf.push(id);
        langOf.push(lang);
        probOf.push(count / (profile.nWords[length - 1] as number));
      });
    });
    // Counting sort of the entries by n-gram (stable: languages stay in profile order).
    const start = new Uint32Array(this.ngramIndex.size + 1);
    for (const id of ngramOf) start[id + 1] = (start[id + 1] as number) + 1;
    for (let i = 0; i < this.ngramIndex.size; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
    const next = start.slice(0, -1);
    this.entryLang = new Uint8Array(ngramOf.length);
    this.entryProb = new Float64Array(ngramOf.length);
    for (let e = 0; e < ngramOf.length; e++) {
      const at = next[ngramOf[e] as number] as number;
      next[ngramOf[e] as number] = at + 1;
      this.entryLang[at] = langOf[e] as number;
      this.entryProb[at] = probOf[e] as number;
    }
    this.start = start;
  }

  /** The cleaned text the detector reads (Detector.append followed by cleaning_text), as code points. */
  private prepare(text: string): string[] {
    const normalized = normalizeVi(text.replace(URL_RE, " ").replace(MAIL_RE, " "));
    const chars: string[] = [];
    let pre = "";
    let i = 0;
    for (const ch of normalized) {
      if (i++ >= MAX_TEXT_LENGTH) break;
      if (ch !== " " || pre !== " ") chars.push(ch);
      pre = ch;
    }
    let latin = 0;
    let nonLatin = 0;
    for (const ch of chars) {
      const cp = ch.codePointAt(0) as number;
      // langdetect compares the block to a string and so counts every character from U+0300 on as non-Latin.
      if (cp >= 0x41 && cp <= 0x7a) latin++;
      else if (cp >= 0x300) nonLatin++;
    }
    if (latin * 2 < nonLatin) {
      return chars.filter((ch) => {
        const cp = ch.codePointAt(0) as number;
        return cp < 0x41 || cp > 0x7a;
      });
    }
    return chars;
  }

  private extractNgrams(chars: readonly string[]): string[] {
    const result: string[] = [];
    const ngram = new NGram();
    for (const ch of chars) {
      ngram.addChar(ch);
      if (ngram.capitalword) continue;
      for (let n = 1; n <= N_GRAM; n++) {
        const w = ngram.last(n);
        if (w === null) break;
        if (w !== " " && this.ngramIndex.has(w)) result.push(w);
      }
    }
    return result;
  }

  /** Every language whose probability exceeds 0.1, most probable first (Detector.get_probabilities). */
  probabilities(text: string): LanguageProbability[] {
    const ngrams = this.extractNgrams(this.prepare(text));
    if (ngrams.length === 0) throw new LangDetectError("No features in text.");
    const nLang = this.languages.length;
    const langprob = new Float64Array(nLang);
    const random = new PythonRandom(this.seed);
    const factors = new Float64Array(nLang);
    for (let t = 0; t < N_TRIAL; t++) {
      const prob = new Float64Array(nLang).fill(1 / nLang);
      const alpha = ALPHA_DEFAULT + random.gauss(0, 1) * ALPHA_WIDTH;
      const weight = alpha / BASE_FREQ;
      for (let i = 0; ; i++) {
        const id = this.ngramIndex.get(ngrams[random.below(ngrams.length)] as string) as number;
        // prob[i] *= weight + p(word | language), with p = 0 for languages that never saw the n-gram.
        factors.fill(weight);
        for (let e = this.start[id] as number; e < (this.start[id + 1] as number); e++) {
          factors[this.entryLang[e] as number] = weight + (this.entryProb[e] as number);
        }
        for (let j = 0; j < nLang; j++) prob[j] = (prob[j] as number) * (factors[j] as number);
        if (i % 5 === 0 && (normalize(prob) > CONV_THRESHOLD || i >= ITERATION_LIMIT)) break;
      }
      for (let j = 0; j < nLang; j++) langprob[j] = (langprob[j] as number) + (prob[j] as number) / N_TRIAL;
    }
    const result: LanguageProbability[] = [];
    for (let j = 0; j < nLang; j++) {
      const p = langprob[j] as number;
      if (p > PROB_THRESHOLD) result.push({ lang: this.languages[j] as string, prob: p });
    }
    // Array.prototype.sort is stable, like Python's list.sort(reverse=True).
    return result.sort((a, b) => b.prob - a.prob);
  }

  /** `langdetect.detect(text)`: the most probable language code, or "unknown". Throws {@link LangDetectError}. */
  detect(text: string): string {
    return this.probabilities(text)[0]?.lang ?? "unknown";
  }
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** Normalizes in place (plain left-to-right sum, as CPython before 3.12) and returns the largest probability. */
function normalize(prob: Float64Array): number {
  let sum = 0;
  for (const p of prob) sum += p;
  let max = 0;
  for (let i = 0; i < prob.length; i++) {
    const p = (prob[i] as number) / sum;
    if (max < p) max = p;
    prob[i] = p;
  }
  return max;
}

let bundled: readonly LanguageProfile[] | undefined;

/**
 * Loads the 55 bundled profiles. They are 1.9 MB of n-gram tables (~8 MB of heap) that only IFEval's
 * response-language instruction needs, so no process pays for them until it scores IFEval; the IFEval scorer awaits
 * this before checking.
 */
export async function loadLanguageProfiles(): Promise<void> {
  bundled ??= (await import("./profiles/index.js")).PROFILES;
}

function bundledProfiles(): readonly LanguageProfile[] {
  if (!bundled) throw new Error("language profiles are not loaded: await loadLanguageProfiles() first");
  return bundled;
}

let shared: LanguageDetector | undefined;

/** The detector over all 55 bundled profiles (built on first use: about 88,000 n-grams). */
export function languageDetector(): LanguageDetector {
  shared ??= new LanguageDetector();
  return shared;
}

/** `langdetect.detect(text)` with seed 0. Throws {@link LangDetectError} when the text has no usable n-gram. */
export function detectLanguage(text: string): string {
  return languageDetector().detect(text);
}
