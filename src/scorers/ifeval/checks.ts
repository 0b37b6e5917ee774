/**
 * The verification functions of IFEval's instructions (`instruction_following_eval/instructions.py`,
 * google-research, Apache-2.0), each a pure function of the response and the instruction's arguments, following the
 * Python `check_following` methods statement by statement. Where Python semantics matter (Unicode `\w`/`\s`, `.` excluding
 * only "\n", `strip()`, `isupper()`, `json.loads`) the helpers of python-text.ts reproduce them.
 */
import { detectLanguage, LangDetectError } from "./langdetect/detector.js";
import { countSentences } from "./punkt/tokenizer.js";
import { wordTokenize } from "./punkt/word-tokenize.js";
import {
  countWordTokens,
  PY_SPACE_CLASS,
  pyIsLower,
  pyIsUpper,
  pyLen,
  pyLstrip,
  pyRstrip,
  pySplitWhitespace,
  pyStrip,
} from "./python-text.js";

/** IFEval's comparison relations ("less than": actual < threshold; "at least": actual ≥ threshold). */
export type Relation = "less than" | "at least";
export const RELATIONS: readonly Relation[] = ["less than", "at least"];

function compare(actual: number, relation: Relation, threshold: number): boolean {
  return relation === "less than" ? actual < threshold : actual >= threshold;
}

const S = `[${PY_SPACE_CLASS}]`;

// ---------------------------------------------------------------------------------------------------------------
// keywords

/** keywords:existence — every keyword (a Python regex, case-insensitive, no word boundaries) occurs. */
export function hasKeywords(response: string, keywords: readonly RegExp[]): boolean {
  return keywords.every((keyword) => keyword.test(response));
}

/** keywords:frequency — the number of non-overlapping case-insensitive matches of the keyword. */
export function keywordFrequency(response: string, keyword: RegExp, relation: Relation, frequency: number): boolean {
  let count = 0;
  for (const _ of response.matchAll(keyword)) count++;
  return compare(count, relation, frequency);
}

/** keywords:forbidden_words — no forbidden word occurs between word boundaries (case-insensitive). */
export function lacksForbiddenWords(response: string, words: readonly RegExp[]): boolean {
  return !words.some((word) => word.test(response));
}

/**
 * keywords:letter_frequency — occurrences of the (lower-case) letter in the lower-cased response. A character other
 * than a–z (IFEval's data asks for "#" and "!") is counted as given, as upstream's current code does; the released
 * checker replaced such a character with a random letter, which made its result a random draw.
 */
export function letterFrequency(response: string, letter: string, relation: Relation, frequency: number): boolean {
  let count = 0;
  for (const ch of response.toLowerCase()) if (ch === letter) count++;
  return compare(count, relation, frequency);
}

// ---------------------------------------------------------------------------------------------------------------
// language and case

/** langdetect's answer, or null when it finds no features (IFEval then counts the instruction as followed). */
function detectOrNull(response: string): string | null {
  try {
    return detectLanguage(response);
  } catch (err) {
    if (err instanceof LangDetectError) return null;
    throw err;
  }
}

/** language:response_language — langdetect names the required language. */
export function isLanguage(response: string, language: string): boolean {
  const detected = detectOrNull(response);
  return detected === null || detected === language;
}

/** change_case:english_capital — all letters upper case, and langdetect says English. */
export function isEnglishCapital(response: string): boolean {
  if (!pyIsUpper(response)) return false;
  const detected = detectOrNull(response);
  return detected === null || detected === "en";
}

/** change_case:english_lowercase — all letters lower case, and langdetect says English. */
export function isEnglishLowercase(response: string): boolean {
  if (!pyIsLower(response)) return false;
  const detected = detectOrNull(response);
  return detected === null || detected === "en";
}

/** change_case:capital_word_frequency — `nltk.word_tokenize` tokens for which `isupper()` holds. */
export function capitalWordFrequency(response: string, relation: Relation, frequency: number): boolean {
  const capitals = wordTokenize(response).filter(pyIsUpper).length;
  return compare(capitals, relation, frequency);
}

// ---------------------------------------------------------------------------------------------------------------
// length constraints

/** length_constraints:number_sentences — NLTK Punkt sentences (English model). */
export function numberOfSentences(response: string, relation: Relation, sentences: number): boolean {
  return compare(countSentences(response), relation, sentences);
}

/** length_constraints:number_words — `\w+` tokens. */
export function numberOfWords(response: string, relation: Relation, words: number): boolean {
  return compare(countWordTokens(response), relation, words);
}

const PARAGRAPH_DIVIDER = new RegExp(`${S}?\\*\\*\\*${S}?`, "u");

/**
 * length_constraints:number_paragraphs — paragraphs separated by "***": exactly the required number, where an empty
 * first or last part does not count and an empty middle part fails the instruction.
 */
export function numberOfParagraphs(response: string, paragraphs: number): boolean {
  const parts = response.split(PARAGRAPH_DIVIDER);
  let count = parts.length;
  for (const [index, part] of parts.entries()) {
    if (pyStrip(part) !== "") continue;
    if (index === 0 || index === parts.length - 1) count--;
    else return false;
  }
  return count === paragraphs;
}

const FIRST_WORD_STOP = new Set([".", ",", "?", "!", "'", '"']);

/**
 * length_constraints:nth_paragraph_first_word — exactly `paragraphs` non-empty paragraphs (split on "\n\n") and the
 * nth part (counted among all parts, empty ones included) starts with `firstWord` (lower case, up to punctuation).
 */
export function nthParagraphFirstWord(response: string, paragraphs: number, nth: number, firstWord: string): boolean {
  const parts = response.split("\n\n");
  const nonEmpty = parts.filter((part) => pyStrip(part) !== "").length;
  if (nth > nonEmpty) return false;
  const paragraph = pyStrip(parts[nth - 1] as string);
  if (paragraph === "") return false;
  let word = pyStrip(pySplitWhitespace(paragraph)[0] as string);
  word = pyLstrip(pyLstrip(word, "'"), '"');
  let first = "";
  for (const letter of word) {
    if (FIRST_WORD_STOP.has(letter)) break;
    first += letter.toLowerCase();
  }
  return nonEmpty === paragraphs && first === firstWord;
}

// ---------------------------------------------------------------------------------------------------------------
// detectable content

const PLACEHOLDER = /\[[^\n]*?\]/gu;

/** detectable_content:number_placeholders — at least `placeholders` "[...]" on one line each. */
export function numberOfPlaceholders(response: string, placeholders: number): boolean {
  let count = 0;
  for (const _ of response.matchAll(PLACEHOLDER)) count++;
  return count >= placeholders;
}

/** The Python pattern IFEval builds for a postscript marker (searched with MULTILINE in the lower-cased response). */
export function postscriptPythonPattern(marker: string): string {
  if (marker === "P.P.S") return "\\s*p\\.\\s?p\\.\\s?s.*$";
  if (marker === "P.S.") return "\\s*p\\.\\s?s\\..*$";
  return `\\s*${marker.toLowerCase()}.*$`;
}

/** detectable_content:postscript — the lower-cased response contains the marker's pattern. */
export function hasPostscript(response: string, pattern: RegExp): boolean {
  return pattern.test(response.toLowerCase());
}

// ---------------------------------------------------------------------------------------------------------------
// detectable format

const BULLET_STAR = new RegExp(`(?:^|(?<=\\n))${S}*\\*[^*][^\\n]*(?=\\n|$)`, "gu");
const BULLET_DASH = new RegExp(`(?:^|(?<=\\n))${S}*-[^\\n]*(?=\\n|$)`, "gu");

/** detectable_format:number_bullet_lists — lines starting with "*" (not "**") or "-", exactly `bullets` of them. */
export function numberOfBullets(response: string, bullets: number): boolean {
  let count = 0;
  for (const _ of response.matchAll(BULLET_STAR)) count++;
  for (const _ of response.matchAll(BULLET_DASH)) count++;
  return count === bullets;
}

const CONSTRAINED_RESPONSES = ["My answer is yes.", "My answer is no.", "My answer is maybe."];

/** detectable_format:constrained_response — contains one of the three "My answer is …" options. */
export function isConstrainedResponse(response: string): boolean {
  const value = pyStrip(response);
  return CONSTRAINED_RESPONSES.some((option) => value.includes(option));
}

const HIGHLIGHT = /\*[^\n*]*\*/gu;
const DOUBLE_HIGHLIGHT = /\*\*[^\n*]*\*\*/gu;

/** detectable_format:number_highlighted_sections — non-empty *x* spans plus non-empty **x** spans. */
export function numberOfHighlights(response: string, highlights: number): boolean {
  let count = 0;
  for (const m of response.matchAll(HIGHLIGHT)) if (pyStrip(pyStrip(m[0], "*")) !== "") count++;
  for (const m of response.matchAll(DOUBLE_HIGHLIGHT)) if (pyStrip(m[0].slice(2, -2)) !== "") count++;
  return count >= highlights;
}

/** The Python pattern IFEval splits sections on: optional space, the splitter, optional space, a number. */
export function sectionPythonPattern(splitter: string): string {
  return `\\s?${splitter}\\s?\\d+\\s?`;
}

/** detectable_format:multiple_sections — at least `sections` splitter matches (re.split yields one more part each). */
export function numberOfSections(response: string, pattern: RegExp, sections: number): boolean {
  let count = 0;
  for (const _ of response.matchAll(pattern)) count++;
  return count >= sections;
}

/** detectable_format:json_format — after trimming a ``` fence, Python's `json.loads` accepts the text. */
export function isJson(response: string): boolean {
  let value = pyStrip(response);
  for (const prefix of ["```json", "```Json", "```JSON", "```"]) {
    if (value.startsWith(prefix)) value = value.slice(prefix.length);
  }
  if (value.endsWith("```")) value = value.slice(0, -3);
  return isPythonJson(pyStrip(value));
}

/** `json.loads` acceptance: standard JSON plus Python's NaN, Infinity and -Infinity literals. */
export function isPythonJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    const replaced = replacePythonJsonConstants(text);
    if (replaced === text) return false;
    try {
      JSON.parse(replaced);
      return true;
    } catch {
      return false;
    }
  }
}

function replacePythonJsonConstants(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (text.startsWith("-Infinity", i)) {
      out += "0";
      i += "-Infinity".length - 1;
    } else if ((text.startsWith("NaN", i) || text.startsWith("Infinity", i)) && !out.endsWith("-")) {
      out += "0";
      i += (text.startsWith("NaN", i) ? 3 : 8) - 1;
    } else {
      out += c;
    }
  }
  return out;
}

const TITLE = /<<[^\n]+>>/gu;

/** detectable_format:title — a non-empty <<title>> on one line. */
export function hasTitle(response: string): boolean {
  for (const m of response.matchAll(TITLE)) if (pyStrip(pyRstrip(pyLstrip(m[0], "<"), ">")) !== "") return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// combination, start/end, punctuation

/** combination:two_responses — two different non-empty responses separated by "******". */
export function isTwoResponses(response: string): boolean {
  const parts = response.split("******");
  const valid: string[] = [];
  for (const [index, part] of parts.entries()) {
    if (pyStrip(part) === "") {
      if (index !== 0 && index !== parts.length - 1) return false;
    } else {
      valid.push(part);
    }
  }
  return valid.length === 2 && pyStrip(valid[0] as string) !== pyStrip(valid[1] as string);
}

/** combination:repeat_prompt — the response starts with the request, case-insensitively. */
export function repeatsPrompt(response: string, promptToRepeat: string): boolean {
  return pyStrip(response).toLowerCase().startsWith(pyStrip(promptToRepeat).toLowerCase());
}

/** startend:end_checker — after trimming spaces and double quotes, ends with the phrase (case-insensitive). */
export function endsWithPhrase(response: string, endPhrase: string): boolean {
  const value = pyStrip(pyStrip(response), '"').toLowerCase();
  return value.endsWith(pyStrip(endPhrase).toLowerCase());
}

/** startend:quotation — the trimmed response starts and ends with a double quote. */
export function isQuoted(response: string): boolean {
  const value = pyStrip(response);
  return pyLen(value) > 1 && value.startsWith('"') && value.endsWith('"');
}

/** punctuation:no_comma — no ASCII comma. */
export function hasNoComma(response: string): boolean {
  return !response.includes(",");
}
