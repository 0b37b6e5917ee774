/**
 * Robust answer-letter extraction for generative multiple choice (MMLU, ARC, TruthfulQA as Arbiter runs them).
 *
 * Models answer a lettered question in many shapes: "C", "(C)", "**C**", "C) Paris", "Answer: C", "The answer is
 * (c)", "I'd go with C", "C is correct", "not A but C", "答案是C", "选C", the option's text ("Paris") or a long
 * explanation that ends with one of these. The rules below are tried in order; the first that finds a letter wins:
 *
 * 1. statement — the LAST explicit answer statement: "the answer is C", "Answer: C", "Final answer: (C)", "the correct
 *    option is C", "答案是C", "正确答案：C", "正确的选项为C". The last, because models correct themselves ("The answer
 *    is A. Wait — the answer is C."). An option's text in place of the letter ("The answer is Paris") counts too.
 * 2. declaration — the last choice declared: "I choose C", "I'd go with (C)", "it must be C", "C is correct",
 *    "Option C is the best answer", "B fits better", "选C", "故选：C", "C项正确", "C符合题意".
 * 3. weak statement (Chinese) — "…是C" not preceded by 不 ("答案不是A，而是C" → C), as the CMMLU authors' weak rule.
 * 4. only-letter — the whole output is one letter, in any case: "C", "c.", "(C)", "**C**".
 * 5. leading-label — the output starts with a label: "C) Paris", "C. Because…", "(C) …", "C\n…" (not when the
 *    output echoes the option list, i.e. several lines start with different labels).
 * 6. option-text — the whole output is one option's text ("Paris", "paris.").
 * 7. marked — one letter marked "(C)", "[C]", "【C】" or "**C**" (or one on the last line that marks any).
 * 8. mentioned — one standalone capital letter in range (or one on the last line that has any). "A" and "I" before a
 *    lowercase word are English ("A cat", "I think") unless the word is a verb like "is" ("A is wrong").
 * 9. contains-text — the output contains exactly one option's text.
 *
 * Everywhere, a letter rejected by the words next to it does not count: "not A", "rather than A", "A is wrong", "A
 * and B are incorrect", "不是A", "A选项错误". Letters beyond the question's options never count. A lowercase letter
 * counts only where it cannot be an English word: in brackets, alone, or right before punctuation or the end after an
 * answer statement ("answer: c"). An option's text repeated right after its letter is set aside, so "A) 0 is wrong.
 * B) 4 is right." reads as "A) is wrong. B) is right.". Text is NFKC-normalized first (full-width "Ｃ", "（C）",
 * "答案：C" read as ASCII), a reasoning block ending in "</think>" is skipped, and LaTeX "\boxed{C}" / "\text{C}" read
 * as "(C)" / "C".
 */
import { lettersFor } from "./letters.js";
import { isNegatedDeclaration, isRejected } from "./negation.js";

export type ChoiceRule =
  | "statement"
  | "statement-text"
  | "declaration"
  | "weak-statement"
  | "only-letter"
  | "leading-label"
  | "option-text"
  | "marked"
  | "mentioned"
  | "contains-text";

export interface ChoiceExtraction {
  /** The chosen letter (upper case), or null when none could be read. */
  letter: string | null;
  /** The rule that read it; null when none did. */
  rule: ChoiceRule | null;
}

export interface ExtractChoiceOptions {
  /** The options' texts, in letter order: they set the letter range and let "Paris" stand for its letter. */
  choices?: readonly string[];
  /** The number of options when their texts are not given; default A–J. */
  count?: number;
}

interface Hit {
  letter: string;
  index: number;
}

interface Context {
  letters: string;
  choices: readonly string[];
  /** The output as normalized, with Markdown emphasis kept (rule 7 reads it). */
  marked: string;
  /** The same without Markdown emphasis: what every other rule reads. */
  plain: string;
}

const NONE: ChoiceExtraction = { letter: null, rule: null };

export function extractChoiceLetter(output: string, options: ExtractChoiceOptions = {}): ChoiceExtraction {
  const choices = options.choices ?? [];
  const letters = lettersFor(options.choices !== undefined ? choices.length : options.count);
  const prepared = prepare(output);
  const ctx: Context = {
    letters,
    choices,
    marked: dropEchoedOptions(prepared.marked, choices),
    plain: dropEchoedOptions(prepared.plain, choices),
  };
  if (ctx.plain.trim() === "") return NONE;

  const statement = last([...statementHits(ctx, EN_STATEMENT, true), ...statementHits(ctx, ZH_STATEMENT, false)]);
  if (statement) return { letter: statement.letter, rule: statement.text ? "statement-text" : "statement" };

  const declared = last([...declarationHits(ctx), ...correctnessHits(ctx)]);
  if (declared) return { letter: declared.letter, rule: "declaration" };

  const weak = last(weakHits(ctx));
  if (weak) return { letter: weak.letter, rule: "weak-statement" };

  const only = ONLY_LETTER.exec(ctx.plain)?.[1]?.toUpperCase();
  if (only && letters.includes(only)) return { letter: only, rule: "only-letter" };

  const label = leadingLabel(ctx);
  if (label) return { letter: label, rule: "leading-label" };

  const text = optionEqualTo(ctx.plain, choices);
  if (text !== null) return { letter: letters[text] ?? null, rule: "option-text" };

  const marked = unambiguous(ctx.marked, markedHits(ctx));
  if (marked) return { letter: marked, rule: "marked" };

  const mentioned = unambiguous(ctx.plain, mentionedHits(ctx));
  if (mentioned) return { letter: mentioned, rule: "mentioned" };

  const contained = optionContainedIn(ctx.plain, choices);
  if (contained !== null) return { letter: letters[contained] ?? null, rule: "contains-text" };
  return NONE;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalization

function prepare(output: string): Pick<Context, "marked" | "plain"> {
  let text = output.normalize("NFKC");
  const thought = text.lastIndexOf("</think>");
  if (thought >= 0) text = text.slice(thought + "</think>".length);
  for (let i = 0; i < 3; i++) {
    text = text.replace(/\\(?:text|textbf|textit|mathrm|mathbf|mbox)\s*\{([^{}]*)\}/g, "$1");
  }
  text = text.replace(/\\boxed\s*\{\s*\(?\s*([^{}()]*?)\s*\)?\s*\}/g, "($1)").replace(/\$/g, "");
  return { marked: text, plain: text.replace(/\*\*|__|[*`]/g, "") };
}

const ECHO_LABEL = /(?<![A-Za-z0-9])([A-Z])([)\].:]?)[ \t]*/g;

/**
 * Drops an option's text where the output repeats it after its letter ("A) 0 is wrong. B) 4 is right." reads as
 * "A) is wrong. B) is right."), so what is said about the option applies to its letter. The letter must be followed
 * by ")", "]", "." or ":", or the text must be in brackets ("A (0) is impossible").
 */
function dropEchoedOptions(text: string, choices: readonly string[]): string {
  if (choices.length === 0) return text;
  const options = choices.map((c) => c.normalize("NFKC").trim().toLowerCase());
  let out = "";
  let copied = 0;
  for (const m of text.matchAll(ECHO_LABEL)) {
    const option = options[(m[1] ?? "").charCodeAt(0) - 65];
    if (!option) continue;
    let at = (m.index ?? 0) + m[0].length;
    const bracketed = text[at] === "(";
    if (bracketed) at++;
    else if (m[2] === "") continue;
    if (text.slice(at, at + option.length).toLowerCase() !== option) continue;
    let end = at + option.length;
    if (bracketed) {
      if (text[end] !== ")") continue;
      end++;
    }
    const next = text.slice(end, end + 2);
    if (WORDISH.test(next.charAt(0)) || /^[.,]\d/.test(next)) continue;
    out += text.slice(copied, (m.index ?? 0) + 1 + (m[2] ?? "").length);
    copied = end;
  }
  return out + text.slice(copied);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a letter where a statement or declaration puts one

/** How much text after a statement or declaration is searched for its letter or option text. */
const HEAD_WINDOW = 400;

/** A letter at the start of the text after a statement: "C", "(C)", "[c]", "C)". */
const LETTER_HEAD = /^\s*([([【]?)\s*([A-Za-z])\s*([)\]】]?)(?![A-Za-z0-9])/d;

/** Words after "I" that make it the pronoun: "the answer is I think B". */
const PRONOUN_NEXT =
  /^(?:\s+(?:think|believe|guess|would|will|am|was|have|had|feel|suppose|must|can|could|should|need|know|mean|see|agree|do)\b|['’](?:m|d|ll|ve)\b)/i;

/** After a lowercase letter, what shows it is a letter and not a word ("answer: c." but not "answer is a bit"). */
const AFTER_LOWERCASE_LETTER = /^\s*(?:[.,;:!?)\]。，；：！？]|$)/;

/** The letter at the start of `rest` (which begins at `offset` of the plain text), if it is a chosen letter. */
function letterAtHead(ctx: Context, rest: string, offset: number): Hit | null {
  const m = LETTER_HEAD.exec(rest);
  const span = m?.indices?.[2];
  if (!m || !span) return null;
  const [whole, open = "", raw = "", close = ""] = m;
  const upper = raw.toUpperCase();
  if (!ctx.letters.includes(upper)) return null;
  const bracketed = open !== "" || close !== "";
  if (raw !== upper && !bracketed && !AFTER_LOWERCASE_LETTER.test(rest.slice(whole.length))) return null;
  if (upper === "I" && !bracketed && PRONOUN_NEXT.test(rest.slice(span[1]))) return null;
  const index = offset + span[0];
  if (isRejected(ctx.plain, index, index + 1)) return null;
  return { letter: upper, index };
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Statements

const CONNECTOR = String.raw`(?:\s*(?:(?:is|are|was|would\s+be|should\s+be|must\s+be|will\s+be)\b|[=:\-–—→]|=>))`;
const ADVERBS = String.raw`(?:(?:therefore|thus|hence|clearly|obviously|definitely|certainly|indeed|actually|probably|likely|most\s+likely|then|still|also|simply|just|now)\b\s*,?\s*)*`;

/**
 * "final/correct/best answer|option|choice" (qualified: no connector needed) or "answer" (then a connector or a
 * bracket must follow, so "answer A is wrong because…" is no statement), then connectors and adverbs.
 */
const EN_STATEMENT = new RegExp(
  String.raw`\b(?:(?<qualified>(?:final|correct|right|best|true|proper)\s+(?:answer|option|choice|letter|one|response)s?)|answers?(?:\s+(?:choice|option|letter))?)` +
    String.raw`(?<connector>${CONNECTOR}*)\s*${ADVERBS}(?:(?:the\s+)?(?:option|choice|letter)\b\s*:?\s*)?`,
  "gi",
);

/** 答案是C, 答案：C, 正确答案为C, 正确的选项是C, 最终答案：选项C, 正确的是C. */
const ZH_STATEMENT =
  /(?:(?:正确|最终|最佳|标准)的?(?:答案|选项)|正确的|答案)(?<connector>(?:应该|应当|应|就|可能|也|当然)?(?:是|为)?(?:选项|选择|选)?\s*:?)\s*(?:选项)?/g;

function statementHits(ctx: Context, pattern: RegExp, needsConnector: boolean): (Hit & { text: boolean })[] {
  const hits: (Hit & { text: boolean })[] = [];
  for (const m of ctx.plain.matchAll(pattern)) {
    const offset = (m.index ?? 0) + m[0].length;
    const rest = ctx.plain.slice(offset, offset + HEAD_WINDOW);
    const connected = !needsConnector || m.groups?.qualified !== undefined || (m.groups?.connector ?? "") !== "";
    const hit = letterAtHead(ctx, rest, offset);
    if (hit && (connected || /^\s*[([【]/.test(rest))) {
      hits.push({ ...hit, text: false });
      continue;
    }
    if (!connected) continue;
    const option = optionAtHead(rest, ctx.choices);
    if (option !== null && ctx.letters[option] !== undefined) {
      hits.push({ letter: ctx.letters[option] ?? "", index: offset, text: true });
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Declarations

const EN_CHOOSE =
  /\b(?:I(?:['’]d|\s+would|\s+will|['’]ll)?\s+(?:choose|pick|select|go\s+with|say|opt\s+for)|(?:let['’]s|let\s+us|we(?:['’]ll|\s+should|\s+will)?)\s+(?:choose|pick|select|go\s+with)|(?:choose|chose|pick|picked|select|selected|going\s+with|go\s+with)|my\s+(?:choice|pick|selection|guess)(?:\s+(?:is|would\s+be)\b|\s*:)|(?:it|this|that)(?:['’]s|\s+(?:is|must\s+be|has\s+to\s+be|should\s+be|would\s+be|will\s+be))\b)\s*:?\s*(?:(?:the\s+)?(?:option|choice|letter|answer)\b\s*:?\s*)?/gi;

/** 选C, 选择C, 故选：C, 我选C (not 选项C, which names an option without choosing it). */
const ZH_CHOOSE = /选(?:择)?\s*:?\s*(?!项)/g;

function declarationHits(ctx: Context): Hit[] {
  const hits: Hit[] = [];
  for (const pattern of [EN_CHOOSE, ZH_CHOOSE]) {
    for (const m of ctx.plain.matchAll(pattern)) {
      const start = m.index ?? 0;
      if (isNegatedDeclaration(ctx.plain, start)) continue;
      const offset = start + m[0].length;
      const hit = letterAtHead(ctx, ctx.plain.slice(offset, offset + HEAD_WINDOW), offset);
      if (hit) hits.push(hit);
    }
  }
  return hits;
}

/** "C is correct", "Option (B) is the best answer", "D seems most plausible", "B fits better". */
const EN_CORRECT =
  /(?<![A-Za-z0-9])(?:(?:option|choice|answer)\s*)?([([]?)([A-Za-z])([)\]]?)\s+(?:(?:fits|matches)(?:\s+(?:best|better))?\b|(?:is|would\s+be|seems\s+to\s+be|seems|appears\s+to\s+be|must\s+be)\s+(?:(?:the|definitely|clearly|indeed|therefore|thus|also|most|more|probably|likely|then|obviously|certainly|only)\s+)*(?:correct|right|true|best|better|accurate|appropriate|plausible|valid|answer)\b)/dgi;

/** C正确, C项正确, C选项是正确的, C是对的, C符合题意. */
const ZH_CORRECT = /(?<![A-Za-z0-9])([A-Za-z])\s*(?:选项|项)?\s*(?:是|为)?\s*(?:正确|对的|对|最佳|最合适|符合题意)/g;

function correctnessHits(ctx: Context): Hit[] {
  const hits: Hit[] = [];
  for (const m of ctx.plain.matchAll(EN_CORRECT)) {
    const [, open = "", raw = "", close = ""] = m;
    const bracketed = open !== "" || close !== "";
    const upper = raw.toUpperCase();
    // A lowercase letter must be bracketed: "a is correct" is no answer.
    if ((raw !== upper && !bracketed) || !ctx.letters.includes(upper)) continue;
    const index = m.indices?.[2]?.[0] ?? m.index ?? 0;
    if (!isRejected(ctx.plain, index, index + 1)) hits.push({ letter: upper, index });
  }
  for (const m of ctx.plain.matchAll(ZH_CORRECT)) {
    const upper = (m[1] ?? "").toUpperCase();
    if (m[1] === upper && ctx.letters.includes(upper)) hits.push({ letter: upper, index: m.index ?? 0 });
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Weak Chinese statements

const ZH_WEAK = /(?<!不)是\s*:?\s*/g;

function weakHits(ctx: Context): Hit[] {
  const hits: Hit[] = [];
  for (const m of ctx.plain.matchAll(ZH_WEAK)) {
    const offset = (m.index ?? 0) + m[0].length;
    const hit = letterAtHead(ctx, ctx.plain.slice(offset, offset + HEAD_WINDOW), offset);
    if (hit && ctx.plain[hit.index] === hit.letter) hits.push(hit);
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------------------------
// 4–5. The whole output, or its start

const ONLY_LETTER = /^\s*[([【]?\s*([A-Za-z])\s*[)\]】]?\s*[.。:]?\s*$/;

const LABEL = /^\s*[([【]?([A-Z])(?:[)\]】.:。、]|\s*[-–—]\s|\s*\n)/;
const LOWER_LABEL = /^\s*[([]([a-z])[)\]]/;
const LINE_LABEL = /^[ \t*_]*[([]?[ \t*_]*([A-Z])[ \t*_]*[)\].:]/dgm;

/**
 * Where the output lists options ("A. London\nB. Paris…": lines starting with two or more different labels), the
 * positions of those labels: they name options, they do not choose one.
 */
function listedLabels(text: string): Set<number> {
  const found = [...text.matchAll(LINE_LABEL)];
  if (new Set(found.map((l) => l[1])).size < 2) return new Set();
  return new Set(found.map((l) => l.indices?.[1]?.[0] ?? -1));
}

function leadingLabel(ctx: Context): string | null {
  const m = LABEL.exec(ctx.plain) ?? LOWER_LABEL.exec(ctx.plain);
  const letter = m?.[1]?.toUpperCase();
  if (!m || !letter || !ctx.letters.includes(letter)) return null;
  // Not when the output lists options, nor when it starts with initials ("J. K. Rowling…").
  if (listedLabels(ctx.plain).size > 0 || /^\s*[A-Z]\.\s?[A-Z]\./.test(ctx.plain)) return null;
  const index = m[0].indexOf(m[1] ?? "");
  return isRejected(ctx.plain, index, index + 1) ? null : letter;
}

// ---------------------------------------------------------------------------------------------------------------
// 7–8. Marked and mentioned letters

const MARKED = /\*\*\s*([A-Z])\s*\*\*|\(([A-Z])\)|\[([A-Z])\]|【([A-Z])】/g;

function markedHits(ctx: Context): Hit[] {
  const hits: Hit[] = [];
  const listed = listedLabels(ctx.marked);
  for (const m of ctx.marked.matchAll(MARKED)) {
    const letter = m[1] ?? m[2] ?? m[3] ?? m[4] ?? "";
    const index = (m.index ?? 0) + m[0].indexOf(letter);
    if (listed.has(index)) continue;
    if (ctx.letters.includes(letter) && !isRejected(ctx.marked, index, index + 1)) hits.push({ letter, index });
  }
  return hits;
}

const STANDALONE = /(?<![A-Za-z0-9'’])([A-Z])(?![A-Za-z0-9'’])/g;

/** Words after which "A" or "I" is still a letter ("A is wrong", "I and J"), not an article or pronoun. */
const LETTER_FOLLOWERS = new Set([
  "is",
  "was",
  "and",
  "or",
  "seems",
  "looks",
  "fits",
  "matches",
  "also",
  "only",
  "because",
  "since",
  "but",
  "then",
  "would",
  "should",
  "could",
  "might",
  "must",
  "remains",
]);

function mentionedHits(ctx: Context): Hit[] {
  const hits: Hit[] = [];
  const listed = listedLabels(ctx.plain);
  for (const m of ctx.plain.matchAll(STANDALONE)) {
    const letter = m[1] ?? "";
    const index = m.index ?? 0;
    if (!ctx.letters.includes(letter) || listed.has(index)) continue;
    const after = ctx.plain.slice(index + 1, index + 40);
    if (letter === "A" || letter === "I") {
      const word = /^\s+([a-z]+)/.exec(after)?.[1];
      if (word !== undefined && !LETTER_FOLLOWERS.has(word)) continue;
      if (letter === "I" && /^['’]/.test(after)) continue;
    }
    // A link in a chain of initials or an abbreviation: "J. K. Rowling", "U.S.A."
    const before = ctx.plain.slice(Math.max(0, index - 3), index);
    if (after.startsWith(".") && (/[A-Z]\.\s?$/.test(before) || /^\.\s?[A-Z]\./.test(after))) continue;
    if (!isRejected(ctx.plain, index, index + 1)) hits.push({ letter, index });
  }
  return hits;
}

/** The one letter found; else the one letter found on the last line that has any; else null. */
function unambiguous(text: string, hits: Hit[]): string | null {
  if (hits.length === 0) return null;
  const distinct = new Set(hits.map((h) => h.letter));
  if (distinct.size === 1) return hits[0]?.letter ?? null;
  const lineOf = (index: number): number => text.slice(0, index).split("\n").length;
  const lastLine = lineOf(hits[hits.length - 1]?.index ?? 0);
  const onLast = new Set(hits.filter((h) => lineOf(h.index) === lastLine).map((h) => h.letter));
  return onLast.size === 1 ? ([...onLast][0] ?? null) : null;
}

function last<T extends Hit>(hits: T[]): T | null {
  let best: T | null = null;
  for (const h of hits) if (best === null || h.index >= best.index) best = h;
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// Options by their text

/** Case, spacing, quotes, emphasis and final full stops do not matter when comparing texts. */
export function normalizeOptionText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[*`"“”‘’']/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[.。!！]+$/, "")
    .trim();
}

/** The index of the one option whose text is the whole output, or null. */
function optionEqualTo(output: string, choices: readonly string[]): number | null {
  const got = normalizeOptionText(output);
  if (got === "") return null;
  const found = choices.flatMap((c, i) => (normalizeOptionText(c) === got ? [i] : []));
  return found.length === 1 ? (found[0] ?? null) : null;
}

const WORDISH = /[\p{L}\p{N}]/u;

/** The option (longest, if several) whose text starts `rest` and ends at a word boundary. */
function optionAtHead(rest: string, choices: readonly string[]): number | null {
  const head = normalizeOptionText(rest);
  let best: number | null = null;
  let bestLength = 0;
  choices.forEach((choice, i) => {
    const text = normalizeOptionText(choice);
    if (text === "" || !head.startsWith(text)) return;
    if (WORDISH.test(head.charAt(text.length))) return;
    if (text.length > bestLength) {
      best = i;
      bestLength = text.length;
    }
  });
  return best;
}

/**
 * The one option whose text occurs in the output as whole words. An option found only because it is part of
 * another found option ("True" inside "True, True") does not count.
 */
function optionContainedIn(output: string, choices: readonly string[]): number | null {
  const haystack = normalizeOptionText(output);
  const texts = choices.map(normalizeOptionText);
  const found = texts.flatMap((text, i) => (text.length >= 2 && occursAsWords(haystack, text) ? [i] : []));
  const kept = found.filter((i) => !found.some((j) => j !== i && (texts[j] ?? "").includes(texts[i] ?? "")));
  return kept.length === 1 ? (kept[0] ?? null) : null;
}

function occursAsWords(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack.charAt(at - 1);
    const after = haystack.charAt(at + needle.length);
    if (!WORDISH.test(before) && !WORDISH.test(after)) return true;
  }
  return false;
}
