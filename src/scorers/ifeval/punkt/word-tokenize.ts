/**
 * `nltk.word_tokenize` (NLTK 3.8): Punkt sentences, each split by NLTK's improved Treebank tokenizer
 * (`NLTKWordTokenizer`), whose regex substitutions are reproduced here one for one. IFEval counts upper-case words
 * (`change_case:capital_word_frequency`) over these tokens.
 */
import { PY_DIGIT_CLASS, PY_SPACE_CLASS, PY_WORD_CLASS, pySplitWhitespace } from "../python-text.js";
import { sentTokenize } from "./tokenizer.js";

const W = `[${PY_WORD_CLASS}]`;
const S = `[${PY_SPACE_CLASS}]`;
/** Python's `\b` for `str` patterns. */
const B = `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`;

type Rule = readonly [RegExp, string];

const STARTING_QUOTES: readonly Rule[] = [
  [/([«“‘„]|`+)/gu, " $1 "],
  [/^"/u, "``"],
  [/(``)/gu, " $1 "],
  [/([ ([{<])("|'{2})/gu, "$1 `` "],
  // (?i)(\')(?!re|ve|ll|m|t|s|d|n)(\w)\b — a quote opening a one-character word.
  [new RegExp(`(')(?!re|ve|ll|m|t|s|d|n)(${W})(?!${W})`, "giu"), "$1 $2"],
];

const PUNCTUATION: readonly Rule[] = [
  [new RegExp(`([^.])(\\.)([\\])}>"'»”’ ]*)${S}*$`, "u"), "$1 $2 $3 "],
  [new RegExp(`([:,])([^${PY_DIGIT_CLASS}])`, "gu"), " $1 $2"],
  [/([:,])(?=\n?$)/u, " $1 "],
  [/\.{2,}/gu, " $& "],
  [/[;@#$%&]/gu, " $& "],
  [new RegExp(`([^.])(\\.)([\\])}>"']*)${S}*$`, "u"), "$1 $2$3 "],
  [/[?!]/gu, " $& "],
  [/([^'])' /gu, "$1 ' "],
  [/[*]/gu, " $& "],
];

const PARENS_BRACKETS: Rule = [/[\][(){}<>]/gu, " $& "];
const DOUBLE_DASHES: Rule = [/--/gu, " -- "];

const ENDING_QUOTES: readonly Rule[] = [
  [/([»”’])/gu, " $1 "],
  [/''/gu, " '' "],
  [/"/gu, " '' "],
  [/([^' ])('[sS]|'[mM]|'[dD]|') /gu, "$1 $2 "],
  [/([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) /gu, "$1 $2 "],
];

/** MacIntyre's contractions (CONTRACTIONS2 and CONTRACTIONS3), all case-insensitive. */
const CONTRACTIONS: readonly Rule[] = [
  `${B}(can)(not)${B}`,
  `${B}(d)('ye)${B}`,
  `${B}(gim)(me)${B}`,
  `${B}(gon)(na)${B}`,
  `${B}(got)(ta)${B}`,
  `${B}(lem)(me)${B}`,
  `${B}(more)('n)${B}`,
  `${B}(wan)(na)(?=${S})`,
  ` ('t)(is)${B}`,
  ` ('t)(was)${B}`,
].map((source) => [new RegExp(source, "giu"), " $1 $2 "] as const);

function applyAll(text: string, rules: readonly Rule[]): string {
  let out = text;
  for (const [re, replacement] of rules) out = out.replace(re, replacement);
  return out;
}

/** `NLTKWordTokenizer().tokenize(text)` (no parenthesis conversion). */
export function treebankTokenize(text: string): string[] {
  let out = applyAll(text, STARTING_QUOTES);
  out = applyAll(out, PUNCTUATION);
  out = applyAll(out, [PARENS_BRACKETS, DOUBLE_DASHES]);
  out = ` ${out} `;
  out = applyAll(out, ENDING_QUOTES);
  out = applyAll(out, CONTRACTIONS);
  return pySplitWhitespace(out);
}

/** `nltk.word_tokenize(text)`: the Treebank tokens of every Punkt sentence. */
export function wordTokenize(text: string): string[] {
  return sentTokenize(text).flatMap(treebankTokenize);
}
