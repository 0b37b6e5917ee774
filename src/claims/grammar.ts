/**
 * The claim language: one statement about two models of a run, in words close to how vendors phrase them.
 *
 *   A > B on TASK [by MARGIN]                  superiority (A's mean score exceeds B's, by more than MARGIN if given);
 *                                              also "A beats B", "A outperforms B", and "A < B" (= B > A)
 *   A non-inferior to B on TASK by MARGIN      A is worse than B by less than MARGIN ("not worse than" too)
 *   A ≈ B on TASK within MARGIN                equivalence: |A − B| < MARGIN ("~=", "equivalent to")
 *   cost(A, TASK) < K × cost(B, TASK)          A's cost on the task's samples is under K times B's (">" too; "x",
 *                                              "*" or "K% of" for the factor, which defaults to 1)
 *
 * MARGIN is "2 points", "2 pts", "2pp" or "2%" (percentage points of a 0–1 score: 0.02), or a bare number in the
 * task's own score units ("0.5" on a 1–10 judge scale). A model or task name is any run of characters without
 * spaces, parentheses or commas ("deepseek/deepseek-chat", "mmlu_pro"), or a "double-quoted" name.
 *
 * Pure: text in, claim or {@link ClaimSyntaxError} out; the file reader adds the file and line.
 */

/** A margin as written and as a number on the score scale. */
export interface Margin {
  /** On the score scale: "2 points" → 0.02. */
  value: number;
  /** "points" when written as percentage points (only meaningful for 0–1 scores), "score" for a bare number. */
  unit: "points" | "score";
  /** As written, for messages. */
  text: string;
}

export interface SuperiorityClaim {
  kind: "superiority";
  /** The model claimed better (after "A < B" is turned round). */
  a: string;
  b: string;
  task: string;
  /** A − B must exceed this; 0 unless "by …" was given. */
  margin: Margin;
}

export interface NonInferiorityClaim {
  kind: "non-inferiority";
  a: string;
  b: string;
  task: string;
  margin: Margin;
}

export interface EquivalenceClaim {
  kind: "equivalence";
  a: string;
  b: string;
  task: string;
  margin: Margin;
}

export interface CostRatioClaim {
  kind: "cost-ratio";
  a: string;
  b: string;
  task: string;
  /** "less": cost(A) < factor × cost(B); "greater": cost(A) > factor × cost(B). */
  direction: "less" | "greater";
  factor: number;
}

export type Claim = SuperiorityClaim | NonInferiorityClaim | EquivalenceClaim | CostRatioClaim;

/** The valid forms, shown with every syntax error. */
export const CLAIM_FORMS = [
  "A > B on TASK                            e.g. qwen/qwen-max > deepseek/deepseek-chat on mmlu_pro",
  "A > B on TASK by 2 points                (A ahead by more than 2 points; also A < B, A beats B)",
  "A non-inferior to B on TASK by 2 points  e.g. deepseek/deepseek-chat non-inferior to openai/gpt-4o on gsm8k by 2 points",
  "A ≈ B on TASK within 2 points            (equivalence; ~= works too)",
  "cost(A, TASK) < 0.1 × cost(B, TASK)      (> too; x or * for ×)",
].join("\n");

export class ClaimSyntaxError extends Error {
  override name = "ClaimSyntaxError";
  /** 1-based column in the statement where the problem is. */
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

type TokenKind = "word" | "string" | "(" | ")" | "," | "op" | "times";

interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column. */
  column: number;
}

// Characters that end a word: they are tokens of their own.
const SPECIAL = new Set(["(", ")", ",", '"', "<", ">", "≈", "≤", "≥", "×", "*"]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const chars = [...text];
  let i = 0;
  // Columns count code points, as an editor shows them.
  while (i < chars.length) {
    const c = chars[i] as string;
    const column = i + 1;
    if (/\s/u.test(c)) {
      i++;
    } else if (c === '"') {
      const end = chars.indexOf('"', i + 1);
      if (end < 0) throw new ClaimSyntaxError('unterminated quoted name (a closing " is missing)', column);
      const name = chars.slice(i + 1, end).join("");
      if (name.trim() === "") throw new ClaimSyntaxError("empty quoted name", column);
      tokens.push({ kind: "string", text: name, column });
      i = end + 1;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: c, text: c, column });
      i++;
    } else if (c === "×" || c === "*") {
      tokens.push({ kind: "times", text: c, column });
      i++;
    } else if (c === "<" || c === ">") {
      const eq = chars[i + 1] === "=";
      tokens.push({ kind: "op", text: eq ? `${c}=` : c, column });
      i += eq ? 2 : 1;
    } else if (c === "≈" || c === "≤" || c === "≥") {
      tokens.push({ kind: "op", text: c, column });
      i++;
    } else {
      let j = i;
      while (j < chars.length && !/\s/u.test(chars[j] as string) && !SPECIAL.has(chars[j] as string)) j++;
      const word = chars.slice(i, j).join("");
      tokens.push({ kind: word === "~=" || word === "~" ? "op" : "word", text: word, column });
      i = j;
    }
  }
  return tokens;
}

const NUMBER = /^(\d+(?:\.\d*)?|\.\d+)$/;
const NUMBER_WITH_UNIT = /^(\d+(?:\.\d*)?|\.\d+)(%|pp|pts?|points?)$/i;
const POINT_UNITS = new Set(["points", "point", "pts", "pt", "pp", "%"]);

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private describe(t: Token | undefined): string {
    return t === undefined ? "the end of the claim" : `"${t.text}"`;
  }

  private fail(expected: string, t: Token | undefined = this.peek()): never {
    throw new ClaimSyntaxError(`expected ${expected}, got ${this.describe(t)}`, t?.column ?? this.length + 1);
  }

  private isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === "word" && t.text.toLowerCase() === text;
  }

  private expectWord(text: string, what = `"${text}"`): void {
    if (!this.isWord(text)) this.fail(what);
    this.i++;
  }

  private expect(kind: TokenKind, what: string): Token {
    const t = this.peek();
    if (t?.kind !== kind) this.fail(what);
    this.i++;
    return t;
  }

  /** A model or task name: a bare word or a quoted string. */
  private name(what: string): string {
    const t = this.peek();
    if (t?.kind !== "word" && t?.kind !== "string") this.fail(what);
    this.i++;
    return t.text;
  }

  private end(): void {
    const t = this.peek();
    if (t !== undefined) throw new ClaimSyntaxError(`unexpected ${this.describe(t)} after the claim`, t.column);
  }

  parse(): Claim {
    if (this.tokens.length === 0) throw new ClaimSyntaxError("empty claim", 1);
    if (this.isWord("cost") && this.peek(1)?.kind === "(") return this.costClaim();
    return this.scoreClaim();
  }

  private scoreClaim(): Claim {
    const first = this.name("a model name");
    const relationToken = this.peek();
    let kind: Claim["kind"];
    let reversed = false;
    if (relationToken?.kind === "op") {
      this.i++;
      const op = relationToken.text;
      if (op === ">") kind = "superiority";
      else if (op === "<") {
        kind = "superiority";
        reversed = true;
      } else if (op === "≈" || op === "~=" || op === "~") kind = "equivalence";
      else {
        throw new ClaimSyntaxError(
          `"${op}" cannot be tested on scores (no sample size can show "at least as good"): write "A non-inferior to B on TASK by 2 points"`,
          relationToken.column,
        );
      }
    } else if (this.isWord("beats") || this.isWord("outperforms")) {
      this.i++;
      kind = "superiority";
    } else if (this.isWord("non-inferior") || this.isWord("noninferior")) {
      this.i++;
      this.expectWord("to", '"to" (as in "non-inferior to")');
      kind = "non-inferiority";
    } else if (this.isWord("not") && this.isWord("worse", 1)) {
      this.i += 2;
      this.expectWord("than", '"than" (as in "not worse than")');
      kind = "non-inferiority";
    } else if (this.isWord("equivalent")) {
      this.i++;
      this.expectWord("to", '"to" (as in "equivalent to")');
      kind = "equivalence";
    } else {
      this.fail('">", "<", "≈", "non-inferior to" or "equivalent to" after the first model', relationToken);
    }
    const second = this.name("a second model name");
    this.expectWord("on", '"on TASK"');
    const task = this.name('a task name after "on"');
    let margin: Margin | undefined;
    if (this.isWord("by") || this.isWord("within")) {
      this.i++;
      margin = this.margin();
    }
    this.end();
    if (first === second) {
      throw new ClaimSyntaxError(`the claim compares "${first}" with itself`, relationToken?.column ?? 1);
    }
    const [a, b] = reversed ? [second, first] : [first, second];
    if (kind === "superiority") {
      return { kind, a, b, task, margin: margin ?? { value: 0, unit: "score", text: "0" } };
    }
    if (margin === undefined) {
      const example = kind === "equivalence" ? "within 2 points" : "by 2 points";
      this.fail(`a margin at the end, e.g. "${example}" (a ${kind} claim needs one)`);
    }
    if (!(margin.value > 0)) {
      throw new ClaimSyntaxError(`a ${kind} margin must be greater than 0, got "${margin.text}"`, this.length);
    }
    return { kind, a, b, task, margin };
  }

  /** "2 points", "2pp", "2%", "0.02". */
  private margin(): Margin {
    const t = this.peek();
    if (t?.kind !== "word") this.fail('a margin such as "2 points" or 0.02');
    const joined = NUMBER_WITH_UNIT.exec(t.text);
    if (joined) {
      this.i++;
      return { value: Number(joined[1]) / 100, unit: "points", text: t.text };
    }
    if (!NUMBER.test(t.text)) this.fail('a margin such as "2 points" or 0.02');
    this.i++;
    const next = this.peek();
    if (next?.kind === "word" && POINT_UNITS.has(next.text.toLowerCase())) {
      this.i++;
      return { value: Number(t.text) / 100, unit: "points", text: `${t.text} ${next.text}` };
    }
    if (next?.kind === "word" && next.text.toLowerCase() === "percentage" && this.isWord("points", 1)) {
      this.i += 2;
      return { value: Number(t.text) / 100, unit: "points", text: `${t.text} percentage points` };
    }
    return { value: Number(t.text), unit: "score", text: t.text };
  }

  private costTerm(): { model: string; task: string } {
    this.expectWord("cost", '"cost(MODEL, TASK)"');
    this.expect("(", '"(" after "cost"');
    const model = this.name("a model name in cost(MODEL, TASK)");
    this.expect(",", '"," between the model and the task in cost(MODEL, TASK)');
    const task = this.name("a task name in cost(MODEL, TASK)");
    this.expect(")", '")" to close cost(MODEL, TASK)');
    return { model, task };
  }

  private costClaim(): Claim {
    const left = this.costTerm();
    const opToken = this.peek();
    if (opToken?.kind !== "op" || !["<", "<=", "≤", ">", ">=", "≥"].includes(opToken.text)) {
      this.fail('"<" or ">" after cost(A, TASK)', opToken);
    }
    this.i++;
    const direction = opToken.text.startsWith("<") || opToken.text === "≤" ? "less" : "greater";
    let factor = 1;
    const t = this.peek();
    if (t?.kind === "word" && !this.isWord("cost")) {
      const glued = /^(\d+(?:\.\d*)?|\.\d+)[x×]$/i.exec(t.text);
      const percent = /^(\d+(?:\.\d*)?|\.\d+)%$/.exec(t.text);
      if (glued) {
        factor = Number(glued[1]);
        this.i++;
      } else if (percent) {
        factor = Number(percent[1]) / 100;
        this.i++;
        this.expectWord("of", '"of" (as in "10% of cost(B, TASK)")');
      } else if (NUMBER.test(t.text)) {
        factor = Number(t.text);
        this.i++;
        if (this.peek()?.kind === "times" || this.isWord("x")) this.i++;
        else this.fail('"×" (or x, *) between the factor and cost(B, TASK)');
      } else {
        this.fail('a factor such as "0.1 ×" or cost(B, TASK)', t);
      }
      if (!(factor > 0 && Number.isFinite(factor))) {
        throw new ClaimSyntaxError(`the factor must be greater than 0, got "${t.text}"`, t.column);
      }
    }
    const right = this.costTerm();
    this.end();
    if (left.task !== right.task) {
      throw new ClaimSyntaxError(
        `a cost claim compares two models on the same task's samples, got "${left.task}" and "${right.task}"`,
        opToken.column,
      );
    }
    if (left.model === right.model) {
      throw new ClaimSyntaxError(`the claim compares "${left.model}" with itself`, opToken.column);
    }
    return { kind: "cost-ratio", a: left.model, b: right.model, task: left.task, direction, factor };
  }
}

/** Parses one claim statement; throws {@link ClaimSyntaxError} with the column of the problem. */
export function parseClaim(text: string): Claim {
  return new Parser(tokenize(text), [...text].length).parse();
}

/** The claim written back in canonical form (for output and JSON). */
export function formatClaim(claim: Claim): string {
  const q = (name: string): string => (/[\s(),"]/u.test(name) || name === "" ? `"${name}"` : name);
  switch (claim.kind) {
    case "superiority":
      return `${q(claim.a)} > ${q(claim.b)} on ${q(claim.task)}${claim.margin.value > 0 ? ` by ${claim.margin.text}` : ""}`;
    case "non-inferiority":
      return `${q(claim.a)} non-inferior to ${q(claim.b)} on ${q(claim.task)} by ${claim.margin.text}`;
    case "equivalence":
      return `${q(claim.a)} ≈ ${q(claim.b)} on ${q(claim.task)} within ${claim.margin.text}`;
    case "cost-ratio":
      return `cost(${q(claim.a)}, ${q(claim.task)}) ${claim.direction === "less" ? "<" : ">"} ${claim.factor === 1 ? "" : `${claim.factor} × `}cost(${q(claim.b)}, ${q(claim.task)})`;
  }
}
