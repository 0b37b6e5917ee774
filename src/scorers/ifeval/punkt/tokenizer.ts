/**
 * NLTK's Punkt sentence tokenizer (Kiss & Strunk 2006, "Unsupervised Multilingual Sentence Boundary Detection"), the
 * tokenizing half only, as `nltk.tokenize.punkt.PunktSentenceTokenizer.tokenize` does it in NLTK 3.8: candidate
 * sentence ends are found with the period-context regex, each candidate's context is word-tokenized and annotated
 * (first pass: by type, abbreviations and ellipses; second pass: collocation, orthographic and sentence-starter
 * heuristics), and closing quotes/brackets are realigned onto the sentence they end.
 *
 * IFEval counts sentences with this tokenizer and NLTK's pre-trained English parameters ({@link englishPunkt}).
 */
import { PY_DIGIT_CLASS, PY_SPACE_CLASS, pyIsLower, pyIsUpper, pyRstrip, pyStrip } from "../python-text.js";
import { ABBREV_TYPES, COLLOCATIONS, ORTHO_CONTEXT, SENT_STARTERS } from "./english-parameters.js";

/** Orthographic-context flags (punkt's _ORTHO_*): where a type was seen with an upper- or lower-case first letter. */
const ORTHO_MID_UC = 1 << 2;
const ORTHO_BEG_UC = 1 << 1;
const ORTHO_UNK_UC = 1 << 3;
const ORTHO_BEG_LC = 1 << 4;
const ORTHO_MID_LC = 1 << 5;
const ORTHO_UNK_LC = 1 << 6;
const ORTHO_UC = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC;
const ORTHO_LC = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC;

export interface PunktParameters {
  abbrevTypes: ReadonlySet<string>;
  /** "type1 type2" keys. */
  collocations: ReadonlySet<string>;
  sentStarters: ReadonlySet<string>;
  orthoContext: ReadonlyMap<string, number>;
}

const S = `[${PY_SPACE_CLASS}]`;
const NOT_S = `[^${PY_SPACE_CLASS}]`;
/** PunktLanguageVars._re_non_word_chars for the English sentence-end characters ".", "?", "!". */
const NON_WORD = `[)";}\\]*:@'({\\[?!]`;
const MULTI_CHAR = `(?:-{2,}|\\.{2,}|(?:\\.${S}){2,}\\.)`;
const WORD_START = '[^("`{\\[:;&#*@)}\\]\\-,]';

/** PunktLanguageVars.word_tokenize: splits punctuation other than periods off words. */
const WORD_TOKENIZER = new RegExp(
  `${MULTI_CHAR}|(?=${WORD_START})${NOT_S}+?(?=${S}|$|${NON_WORD}|${MULTI_CHAR}|,(?=$|${S}|${NON_WORD}|${MULTI_CHAR}))|${NOT_S}`,
  "gu",
);

/** PunktLanguageVars.period_context_re: a sentence-end character followed by punctuation or by space and a token. */
const PERIOD_CONTEXT = new RegExp(`[.?!](?=(${NON_WORD}|${S}+(${NOT_S}+)))`, "dgu");

/** PunktLanguageVars.re_boundary_realignment (MULTILINE): closing punctuation that belongs to the previous sentence. */
const BOUNDARY_REALIGNMENT = new RegExp(`^["')\\]}]+?(?:${S}+|(?=--)|(?=\\n|$))`, "u");

const RE_NUMERIC = new RegExp(`^-?[.,]?[${PY_DIGIT_CLASS}][${PY_DIGIT_CLASS},.\\-]*\\.?$`, "u");
const RE_ELLIPSIS = /^\.\.+$/;
/** `[^\W\d]\.$`: a letter (any word character but a decimal digit) and a period. */
const RE_INITIAL = /^[\p{L}\p{Nl}\p{No}_]\.$/u;
const SENT_END_CHARS = new Set([".", "?", "!"]);
const PUNCTUATION = new Set([";", ":", ",", ".", "!", "?"]);
/** Python's string.whitespace, which _get_last_whitespace_index uses. */
const ASCII_WHITESPACE = new Set([" ", "\t", "\n", "\r", "\x0b", "\x0c"]);

class PunktToken {
  readonly type: string;
  readonly periodFinal: boolean;
  sentbreak = false;
  abbr = false;
  ellipsis = false;

  constructor(readonly tok: string) {
    this.type = RE_NUMERIC.test(tok.toLowerCase()) ? "##number##" : tok.toLowerCase();
    this.periodFinal = tok.endsWith(".");
  }

  get typeNoPeriod(): string {
    return this.type.length > 1 && this.type.endsWith(".") ? this.type.slice(0, -1) : this.type;
  }

  get typeNoSentperiod(): string {
    return this.sentbreak ? this.typeNoPeriod : this.type;
  }

  private get firstChar(): string {
    return String.fromCodePoint(this.tok.codePointAt(0) as number);
  }

  get firstUpper(): boolean {
    return pyIsUpper(this.firstChar);
  }

  get firstLower(): boolean {
    return pyIsLower(this.firstChar);
  }

  get isInitial(): boolean {
    return RE_INITIAL.test(this.tok);
  }
}

export class PunktSentenceTokenizer {
  constructor(private readonly params: PunktParameters) {}

  /** The sentences of `text`, as NLTK's `tokenize(text)` returns them (with boundary realignment). */
  tokenize(text: string): string[] {
    return this.spans(text).map(([start, end]) => text.slice(start, end));
  }

  /** (start, end) offsets of each sentence. */
  spans(text: string): [number, number][] {
    return this.realignBoundaries(text, this.slicesFromText(text));
  }

  private *tokenizeWords(plaintext: string): Generator<PunktToken> {
    for (const line of plaintext.split("\n")) {
      if (pyStrip(line) === "") continue;
      for (const m of line.matchAll(WORD_TOKENIZER)) yield new PunktToken(m[0]);
    }
  }

  private firstPassAnnotation(token: PunktToken): void {
    const tok = token.tok;
    if (SENT_END_CHARS.has(tok)) {
      token.sentbreak = true;
    } else if (RE_ELLIPSIS.test(tok)) {
      token.ellipsis = true;
    } else if (token.periodFinal && !tok.endsWith("..")) {
      const stem = tok.slice(0, -1).toLowerCase();
      const lastPart = stem.split("-").at(-1) as string;
      if (this.params.abbrevTypes.has(stem) || this.params.abbrevTypes.has(lastPart)) token.abbr = true;
      else token.sentbreak = true;
    }
  }

  private orthoHeuristic(token: PunktToken): boolean | "unknown" {
    if (PUNCTUATION.has(token.tok)) return false;
    const ortho = this.params.orthoContext.get(token.typeNoSentperiod) ?? 0;
    if (token.firstUpper && ortho & ORTHO_LC && !(ortho & ORTHO_MID_UC)) return true;
    if (token.firstLower && (ortho & ORTHO_UC || !(ortho & ORTHO_BEG_LC))) return false;
    return "unknown";
  }

  private secondPassAnnotation(tok1: PunktToken, tok2: PunktToken | undefined): void {
    if (tok2 === undefined || !tok1.periodFinal) return;
    const typ = tok1.typeNoPeriod;
    const nextTyp = tok2.typeNoSentperiod;
    const isInitial = tok1.isInitial;

    if (this.params.collocations.has(`${typ} ${nextTyp}`)) {
      tok1.sentbreak = false;
      tok1.abbr = true;
      return;
    }
    if ((tok1.abbr || tok1.ellipsis) && !isInitial) {
      if (this.orthoHeuristic(tok2) === true) {
        tok1.sentbreak = true;
        return;
      }
      if (tok2.firstUpper && this.params.sentStarters.has(nextTyp)) {
        tok1.sentbreak = true;
        return;
      }
    }
    if (isInitial || typ === "##number##") {
      const isSentStarter = this.orthoHeuristic(tok2);
      if (isSentStarter === false) {
        tok1.sentbreak = false;
        tok1.abbr = true;
        return;
      }
      if (
        isSentStarter === "unknown" &&
        isInitial &&
        tok2.firstUpper &&
        !((this.params.orthoContext.get(nextTyp) ?? 0) & ORTHO_LC)
      ) {
        tok1.sentbreak = false;
        tok1.abbr = true;
      }
    }
  }

  /** Both annotation passes, streamed like NLTK's generators: a token's successor has had only the first pass. */
  private *annotateTokens(tokens: Iterable<PunktToken>): Generator<PunktToken> {
    let previous: PunktToken | undefined;
    for (const token of tokens) {
      this.firstPassAnnotation(token);
      if (previous !== undefined) {
        this.secondPassAnnotation(previous, token);
        yield previous;
      }
      previous = token;
    }
    if (previous !== undefined) {
      this.secondPassAnnotation(previous, undefined);
      yield previous;
    }
  }

  /** True when the text holds a sentence break that is not its last token. */
  private textContainsSentbreak(text: string): boolean {
    let found = false;
    for (const token of this.annotateTokens(this.tokenizeWords(text))) {
      if (found) return true;
      if (token.sentbreak) found = true;
    }
    return false;
  }

  /** _match_potential_end_contexts: each candidate end with the previous word, the end and what follows it. */
  private *potentialEndContexts(text: string): Generator<{ match: RegExpExecArray; context: string }> {
    let previousSlice: [number, number] = [0, 0];
    let previousMatch: RegExpExecArray | undefined;
    const contextOf = (match: RegExpExecArray, slice: [number, number]): string =>
      text.slice(slice[0], slice[1]) + match[0] + (match[1] ?? "");
    for (const match of text.matchAll(PERIOD_CONTEXT)) {
      const beforeText = text.slice(previousSlice[1], match.index);
      let indexAfterLastSpace = lastWhitespaceIndex(beforeText);
      // NLTK treats "whitespace at index 0" like "no whitespace" (its helper returns 0 for both).
      if (indexAfterLastSpace) indexAfterLastSpace += previousSlice[1] + 1;
      else indexAfterLastSpace = previousSlice[0];
      const prevWordSlice: [number, number] = [indexAfterLastSpace, match.index];
      if (previousMatch !== undefined && previousSlice[1] <= prevWordSlice[0]) {
        yield { match: previousMatch, context: contextOf(previousMatch, previousSlice) };
      }
      previousMatch = match as RegExpExecArray;
      previousSlice = prevWordSlice;
    }
    if (previousMatch !== undefined) yield { match: previousMatch, context: contextOf(previousMatch, previousSlice) };
  }

  private slicesFromText(text: string): [number, number][] {
    const slices: [number, number][] = [];
    let lastBreak = 0;
    for (const { match, context } of this.potentialEndContexts(text)) {
      if (!this.textContainsSentbreak(context)) continue;
      const end = match.index + match[0].length;
      slices.push([lastBreak, end]);
      const nextTok = match.indices?.[2];
      lastBreak = match[2] !== undefined && nextTok !== undefined ? nextTok[0] : end;
    }
    slices.push([lastBreak, pyRstrip(text).length]);
    return slices;
  }

  private realignBoundaries(text: string, slices: [number, number][]): [number, number][] {
    const out: [number, number][] = [];
    let realign = 0;
    for (let i = 0; i < slices.length; i++) {
      const s1 = slices[i] as [number, number];
      const sentence1: [number, number] = [s1[0] + realign, s1[1]];
      const sentence2 = slices[i + 1];
      if (sentence2 === undefined) {
        if (sentence1[1] > sentence1[0]) out.push(sentence1);
        continue;
      }
      const m = BOUNDARY_REALIGNMENT.exec(text.slice(sentence2[0], sentence2[1]));
      if (m) {
        out.push([sentence1[0], sentence2[0] + pyRstrip(m[0]).length]);
        realign = m[0].length;
      } else {
        realign = 0;
        if (sentence1[1] > sentence1[0]) out.push(sentence1);
      }
    }
    return out;
  }
}

function lastWhitespaceIndex(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (ASCII_WHITESPACE.has(text[i] as string)) return i;
  return 0;
}

function orthoContextMap(table: Readonly<Record<number, string>>): Map<string, number> {
  const map = new Map<string, number>();
  for (const [flags, words] of Object.entries(table)) for (const word of words.split(" ")) map.set(word, Number(flags));
  return map;
}

let english: PunktSentenceTokenizer | undefined;

/** The tokenizer with NLTK's pre-trained English parameters (built once, on first use). */
export function englishPunkt(): PunktSentenceTokenizer {
  english ??= new PunktSentenceTokenizer({
    abbrevTypes: new Set(ABBREV_TYPES),
    collocations: new Set(COLLOCATIONS.map(([a, b]) => `${a} ${b}`)),
    sentStarters: new Set(SENT_STARTERS),
    orthoContext: orthoContextMap(ORTHO_CONTEXT),
  });
  return english;
}

/** `nltk.sent_tokenize(text)` with the English model. */
export function sentTokenize(text: string): string[] {
  return englishPunkt().tokenize(text);
}

/** IFEval's `count_sentences`: the number of Punkt sentences. */
export function countSentences(text: string): number {
  return englishPunkt().spans(text).length;
}
