/**
 * IFEval's instruction registry (`instructions_registry.INSTRUCTION_DICT`, 25 instruction ids) with each
 * instruction's keyword arguments validated and compiled into a checker.
 *
 * Arguments are read as `build_description(**kwargs)` reads them, including its normalizations (keywords stripped,
 * the letter, first word and markers lower-cased or stripped where Python does). One deliberate difference: where
 * the Python code draws a random value for a missing or out-of-range argument (e.g. `num_sentences=None`), this port
 * rejects the kwargs instead, since a random threshold makes a score meaningless; IFEval's data always supplies them.
 * A `null` value counts as absent (the Hugging Face copy of the data lists every argument, unused ones as null).
 */
import {
  capitalWordFrequency,
  endsWithPhrase,
  hasKeywords,
  hasNoComma,
  hasPostscript,
  hasTitle,
  isConstrainedResponse,
  isEnglishCapital,
  isEnglishLowercase,
  isJson,
  isLanguage,
  isQuoted,
  isTwoResponses,
  keywordFrequency,
  lacksForbiddenWords,
  letterFrequency,
  nthParagraphFirstWord,
  numberOfBullets,
  numberOfHighlights,
  numberOfParagraphs,
  numberOfPlaceholders,
  numberOfSections,
  numberOfSentences,
  numberOfWords,
  postscriptPythonPattern,
  RELATIONS,
  type Relation,
  repeatsPrompt,
  sectionPythonPattern,
} from "./checks.js";
import { compilePythonRegex, PythonRegexError, pyLen, pyStrip } from "./python-text.js";

/** A check of one instruction against one response. */
export type InstructionCheck = (response: string) => boolean;

/** Bad instruction id or arguments; the message names the instruction and the argument. */
export class IfevalInstructionError extends Error {
  override name = "IfevalInstructionError";
}

/** IFEval's LANGUAGE_CODES: the languages `language:response_language` may ask for. */
export const LANGUAGE_CODES: Readonly<Record<string, string>> = {
  en: "English",
  es: "Spanish",
  pt: "Portuguese",
  ar: "Arabic",
  hi: "Hindi",
  fr: "French",
  ru: "Russian",
  de: "German",
  ja: "Japanese",
  it: "Italian",
  bn: "Bengali",
  uk: "Ukrainian",
  th: "Thai",
  ur: "Urdu",
  ta: "Tamil",
  te: "Telugu",
  bg: "Bulgarian",
  ko: "Korean",
  pl: "Polish",
  he: "Hebrew",
  fa: "Persian",
  vi: "Vietnamese",
  ne: "Nepali",
  sw: "Swahili",
  kn: "Kannada",
  mr: "Marathi",
  gu: "Gujarati",
  pa: "Punjabi",
  ml: "Malayalam",
  fi: "Finnish",
};

/** Reads one instruction's kwargs, failing with a message that names the instruction and the argument. */
class Args {
  private readonly used = new Set<string>();

  constructor(
    private readonly kwargs: Readonly<Record<string, unknown>>,
    readonly where: string,
  ) {}

  /** Throws for an argument whose value is not what the instruction needs. */
  fail(name: string, value: unknown, expected: string): never {
    const got = value === undefined || value === null ? "missing" : `${JSON.stringify(value)}`;
    throw new IfevalInstructionError(`${this.where}: argument ${name} is ${got}: expected ${expected}`);
  }

  private get(name: string): unknown {
    this.used.add(name);
    const value = this.kwargs[name];
    return value === null ? undefined : value;
  }

  integer(name: string, min = 0): number {
    const value = this.get(name);
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      this.fail(name, value, min === -Infinity ? "an integer" : `an integer ≥ ${min}`);
    }
    return value;
  }

  string(name: string): string {
    const value = this.get(name);
    if (typeof value !== "string" || value === "") this.fail(name, value, "a non-empty string");
    return value;
  }

  strings(name: string): string[] {
    const value = this.get(name);
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string" && v !== "")) {
      this.fail(name, value, "a non-empty list of non-empty strings");
    }
    return value as string[];
  }

  relation(name: string): Relation {
    const value = this.get(name);
    if (!RELATIONS.includes(value as Relation)) this.fail(name, value, `one of ${JSON.stringify(RELATIONS)}`);
    return value as Relation;
  }

  regex(name: string, pattern: string, flags: string, options?: { multiline?: boolean }): RegExp {
    try {
      const re = compilePythonRegex(pattern, flags, options);
      if (re.test("")) throw new PythonRegexError(`pattern ${JSON.stringify(pattern)} matches the empty string`);
      re.lastIndex = 0;
      return re;
    } catch (err) {
      if (err instanceof PythonRegexError)
        throw new IfevalInstructionError(`${this.where}: argument ${name}: ${err.message}`);
      throw err;
    }
  }

  /** Rejects arguments the instruction does not take (Python raises TypeError for them). */
  done(): void {
    for (const [name, value] of Object.entries(this.kwargs)) {
      if (!this.used.has(name) && value !== null && value !== undefined) {
        const accepted = this.used.size > 0 ? `; it takes ${[...this.used].join(", ")}` : "; it takes none";
        throw new IfevalInstructionError(`${this.where}: unexpected argument ${name}${accepted}`);
      }
    }
  }
}

type Builder = (args: Args) => InstructionCheck;

const BUILDERS: Readonly<Record<string, Builder>> = {
  "keywords:existence": (a) => {
    const keywords = [...new Set(a.strings("keywords"))].sort().map((k) => a.regex("keywords", k, "i"));
    return (r) => hasKeywords(r, keywords);
  },
  "keywords:frequency": (a) => {
    const keyword = a.regex("keyword", pyStrip(a.string("keyword")), "gi");
    const frequency = a.integer("frequency");
    const relation = a.relation("relation");
    return (r) => keywordFrequency(r, keyword, relation, frequency);
  },
  "keywords:forbidden_words": (a) => {
    const words = [...new Set(a.strings("forbidden_words"))].map((w) => a.regex("forbidden_words", `\\b${w}\\b`, "i"));
    return (r) => lacksForbiddenWords(r, words);
  },
  "keywords:letter_frequency": (a) => {
    const raw = a.string("letter");
    if (pyLen(raw) > 1) a.fail("letter", raw, "a single character");
    const letter = pyStrip(raw).toLowerCase();
    const frequency = a.integer("let_frequency");
    const relation = a.relation("let_relation");
    return (r) => letterFrequency(r, letter, relation, frequency);
  },
  "language:response_language": (a) => {
    const language = a.string("language");
    if (LANGUAGE_CODES[language] === undefined) {
      a.fail("language", language, `one of ${Object.keys(LANGUAGE_CODES).join(", ")}`);
    }
    return (r) => isLanguage(r, language);
  },
  "length_constraints:number_sentences": (a) => {
    const sentences = a.integer("num_sentences");
    const relation = a.relation("relation");
    return (r) => numberOfSentences(r, relation, sentences);
  },
  "length_constraints:number_paragraphs": (a) => {
    const paragraphs = a.integer("num_paragraphs");
    return (r) => numberOfParagraphs(r, paragraphs);
  },
  "length_constraints:number_words": (a) => {
    const words = a.integer("num_words");
    const relation = a.relation("relation");
    return (r) => numberOfWords(r, relation, words);
  },
  "length_constraints:nth_paragraph_first_word": (a) => {
    const paragraphs = a.integer("num_paragraphs");
    const nth = a.integer("nth_paragraph", 1);
    if (nth > paragraphs) a.fail("nth_paragraph", nth, `an integer from 1 to num_paragraphs (${paragraphs})`);
    const firstWord = a.string("first_word").toLowerCase();
    return (r) => nthParagraphFirstWord(r, paragraphs, nth, firstWord);
  },
  "detectable_content:number_placeholders": (a) => {
    const placeholders = a.integer("num_placeholders");
    return (r) => numberOfPlaceholders(r, placeholders);
  },
  "detectable_content:postscript": (a) => {
    const marker = pyStrip(a.string("postscript_marker"));
    const pattern = a.regex("postscript_marker", postscriptPythonPattern(marker), "", { multiline: true });
    return (r) => hasPostscript(r, pattern);
  },
  "detectable_format:number_bullet_lists": (a) => {
    const bullets = a.integer("num_bullets");
    return (r) => numberOfBullets(r, bullets);
  },
  "detectable_format:constrained_response": () => isConstrainedResponse,
  "detectable_format:number_highlighted_sections": (a) => {
    const highlights = a.integer("num_highlights");
    return (r) => numberOfHighlights(r, highlights);
  },
  "detectable_format:multiple_sections": (a) => {
    const splitter = pyStrip(a.string("section_spliter"));
    const sections = a.integer("num_sections");
    const pattern = a.regex("section_spliter", sectionPythonPattern(splitter), "g");
    return (r) => numberOfSections(r, pattern, sections);
  },
  "detectable_format:json_format": () => isJson,
  "detectable_format:title": () => hasTitle,
  "combination:two_responses": () => isTwoResponses,
  "combination:repeat_prompt": (a) => {
    const prompt = a.string("prompt_to_repeat");
    return (r) => repeatsPrompt(r, prompt);
  },
  "startend:end_checker": (a) => {
    const phrase = pyStrip(a.string("end_phrase"));
    return (r) => endsWithPhrase(r, phrase);
  },
  "change_case:capital_word_frequency": (a) => {
    const frequency = a.integer("capital_frequency", -Infinity);
    const relation = a.relation("capital_relation");
    return (r) => capitalWordFrequency(r, relation, frequency);
  },
  "change_case:english_capital": () => isEnglishCapital,
  "change_case:english_lowercase": () => isEnglishLowercase,
  "punctuation:no_comma": () => hasNoComma,
  "startend:quotation": () => isQuoted,
};

/** Every instruction id of IFEval's registry, e.g. "keywords:existence". */
export const INSTRUCTION_IDS: readonly string[] = Object.keys(BUILDERS);

/**
 * The checker for one instruction. `where` prefixes error messages (e.g. "sample 1000, instruction 2 (…)").
 * Throws {@link IfevalInstructionError} for an unknown id or invalid arguments.
 */
export function buildInstruction(
  id: string,
  kwargs: Readonly<Record<string, unknown>> | null | undefined,
  where = `instruction ${id}`,
): InstructionCheck {
  const builder = BUILDERS[id];
  if (builder === undefined) {
    throw new IfevalInstructionError(
      `${where}: unknown IFEval instruction id ${JSON.stringify(id)}; known ids: ${INSTRUCTION_IDS.join(", ")}`,
    );
  }
  if (kwargs !== null && kwargs !== undefined && (typeof kwargs !== "object" || Array.isArray(kwargs))) {
    throw new IfevalInstructionError(`${where}: kwargs must be an object, got ${JSON.stringify(kwargs)}`);
  }
  const args = new Args(kwargs ?? {}, where);
  const check = builder(args);
  args.done();
  return check;
}
