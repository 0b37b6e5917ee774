/**
 * PRM800K's `are_equal_under_sympy(ground_truth, given)` without sympy: is `(ground_truth)-(given)`, read as
 * `sympy.parsing.sympy_parser.parse_expr` reads it (standard transformations + implicit multiplication and
 * application, `^` written `**`), equal to 0 after `sympy.simplify`?
 *
 * Reading, as sympy's parser does:
 * - Python tokens: integers (also `0x…`, `0o…`, `0b…`, `1_000`) become exact Integers, decimals and exponents
 *   (`2.5`, `.5`, `1e5`) Floats, `2j` is 2·I; `+ - * / // **`, parentheses, and `!`/`!!` after an operand
 *   (factorial, double factorial). Python precedence: `**` binds tighter than a unary minus on its left
 *   (`-2**2` = −4) and is right-associative.
 * - Names: `pi` is π; `sqrt`, `ln`, `re`, `im`, `csc` are functions; `mu`, `nu`, `xi` and names with `_` are one
 *   symbol; any other name is split into one-letter symbols and digit runs (`xy` = x·y, `x2` = 2·x, `ln2` = l·n·2,
 *   `sqrt2` = s·q·r·t·2 — the letter count that PRM800K checks first ignores "sqrt").
 * - Implicit multiplication between adjacent operands: `2x`, `2(3)`, `(1)(2)`, `x(x+1)` (a symbol before a
 *   parenthesis multiplies), `2sqrt(3)`, `sqrt(2)3`; it binds like `*`, so `1/2x` = x/2 and `2x^2` = 2·x².
 *
 * Equality, by evaluation rather than simplification (numbers.ts does the arithmetic):
 * - Integers and fractions are exact (arbitrary precision): equal when the difference is exactly 0.
 * - Floats are sympy Floats: binary, with max(15, digits) decimal digits of precision, each operation rounded to
 *   nearest. The difference must be exactly 0: "0.5" equals "1/2" and "0.1" equals "1/10", but "0.1+0.2" is not
 *   "0.3", and "0.3333333333333333" is not "1/3" (16 digits give it 56 bits, so 1/3 is rounded to 56 bits too).
 * - Anything else (square roots of non-squares, π, symbols, non-integer powers, logarithms) is evaluated in complex
 *   double precision; symbols are complex, as sympy's are (√(x²) is not x), and take three fixed sample values.
 *   Without Floats, equal when the difference is within 1e-9 of the largest magnitude met: sympy proves these
 *   identities (√8 = 2√2, √(3+2√2) = 1+√2, (x+1)² = x²+2x+1). With Floats, sympy only cancels identical float
 *   coefficients (1.5√2 = 3√2/2, 0.5x = x/2) and never equates a decimal with an irrational (3.14159… ≠ π, even to
 *   17 digits) nor x^0.5 with √x: the difference must then also vanish (within 4 units in the last place) when the
 *   square root of each prime changes sign (a field automorphism, which keeps exact identities), when π takes
 *   another value and when Float exponents of symbolic bases move.
 *
 * Where this differs from sympy (all rare in answers): float coefficients that do not add exactly in binary
 * (0.1x+0.2x against 0.3x) count as equal; Float arithmetic beyond + − × ÷, integer powers and square roots is done
 * in doubles; factorials of non-integers, `oo`/`zoo`/`nan`, other sympy functions (`li`, `frac`, `ff`…), implicit
 * function application without parentheses, tuples, lists, comparisons and every other Python construct count as
 * not equal (sympy may or may not equate them).
 */

import {
  cabs,
  cadd,
  cdiv,
  clog,
  cmul,
  cpow,
  cpowInt,
  csin,
  csqrt,
  csub,
  doubleToRat,
  type Flt,
  floatArith,
  floatLiteral,
  floatPowInt,
  floatSqrt,
  isInteger,
  type Num,
  num,
  type Rat,
  rat,
  rationalSqrt,
  ratNeg,
  ratPow,
  ratToDouble,
  roundRat,
  toNum,
  Unsupported,
  type Value,
} from "./numbers.js";

// ---------------------------------------------------------------------------------------------------------------
// Tokens

type Tok =
  | { k: "int"; v: bigint }
  | { k: "float"; text: string }
  | { k: "imag"; text: string }
  | { k: "const"; name: "pi" }
  | { k: "func"; name: string }
  | { k: "sym"; name: string }
  | { k: "op"; v: string };

const DIGITS = "[0-9](?:_?[0-9])*";
const EXPONENT = `[eE][-+]?${DIGITS}`;
const POINT_FLOAT = `(?:${DIGITS}\\.(?:${DIGITS})?|\\.${DIGITS})(?:${EXPONENT})?`;
const EXP_FLOAT = `${DIGITS}${EXPONENT}`;
const FLOAT = `(?:${POINT_FLOAT}|${EXP_FLOAT})`;
const IMAG = `(?:${DIGITS}[jJ]|${FLOAT}[jJ])`;
const INT = `(?:0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0(?:_?0)*|[1-9](?:_?[0-9])*)`;
/** Python tokenize's Number: the first alternative that matches (imaginary, float, integer), not the longest. */
const NUMBER_RE = new RegExp(`^(?:(${IMAG})|(${FLOAT})|(${INT}))`);
const NAME_RE = /^[\p{L}\p{N}_]+/u;
const OPS = ["**", "//", "+", "-", "*", "/", "(", ")", "!"];

const FUNCTIONS = new Set(["sqrt", "ln", "re", "im", "csc"]);
/** Other lower-case names of sympy's namespace (and Python built-ins) with at most two distinct letters. */
const UNSUPPORTED_NAMES = new Set(
  "all eye ff fft frac fu gff hn1 hn2 id jn li nan ntt oo rf yn zoo and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);
/** Greek letter names sympy's split_symbols keeps whole (it keeps every name of a Greek letter). */
const GREEK = new Set(
  "alpha beta gamma delta epsilon zeta eta theta iota kappa lamda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega digamma stigma koppa sampi heta san".split(
    " ",
  ),
);

/** sympy's split_symbols for a name it made a Symbol of: one-letter symbols and digit runs. */
function splitName(name: string): Tok[] {
  if (name.includes("_") || GREEK.has(name.toLowerCase()) || Array.from(name).length <= 1) return [{ k: "sym", name }];
  const out: Tok[] = [];
  const chars = Array.from(name);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (/^[0-9]$/.test(ch)) {
      let run = ch;
      while (i + 1 < chars.length && /^[0-9]$/.test(chars[i + 1] as string)) run += chars[++i];
      out.push({ k: "int", v: BigInt(run) });
    } else if (/^\p{L}$/u.test(ch)) out.push({ k: "sym", name: ch });
    else throw new Unsupported(`name character ${ch}`);
  }
  return out;
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let depth = 0;
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const c = src[i] as string;
    if (c === " " || c === "\t" || c === "\f") {
      i++;
      continue;
    }
    if (c === "\n" || c === "\r") {
      if (depth === 0) throw new Unsupported("a line break outside parentheses");
      i++;
      continue;
    }
    const num = NUMBER_RE.exec(rest);
    if (num) {
      const text = (num[0] as string).replace(/_/g, "");
      if (num[1] !== undefined) toks.push({ k: "imag", text: text.slice(0, -1) });
      else if (num[2] !== undefined) toks.push({ k: "float", text });
      else toks.push({ k: "int", v: BigInt(/^0[0-9]/.test(text) ? "0" : text) });
      i += (num[0] as string).length;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op !== undefined) {
      if (op === "(") depth++;
      if (op === ")") depth--;
      toks.push({ k: "op", v: op });
      i += op.length;
      continue;
    }
    const name = NAME_RE.exec(rest);
    if (name && /^[\p{L}_]/u.test(name[0])) {
      const word = name[0];
      i += word.length;
      if (word === "pi") toks.push({ k: "const", name: "pi" });
      else if (FUNCTIONS.has(word)) toks.push({ k: "func", name: word });
      else if (UNSUPPORTED_NAMES.has(word)) throw new Unsupported(`name ${word}`);
      else toks.push(...splitName(word));
      continue;
    }
    throw new Unsupported(`character ${JSON.stringify(c)}`);
  }
  return toks;
}

// ---------------------------------------------------------------------------------------------------------------
// Syntax (Python precedence, implicit multiplication)

type Ast =
  | { t: "int"; v: bigint }
  | { t: "float"; text: string }
  | { t: "imag"; text: string }
  | { t: "pi" }
  | { t: "sym"; name: string }
  | { t: "neg"; a: Ast }
  | { t: "bin"; op: "+" | "-" | "*" | "/" | "//" | "**"; a: Ast; b: Ast }
  | { t: "call"; name: string; a: Ast }
  | { t: "fact"; double: boolean; a: Ast };

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  parse(): Ast {
    const ast = this.additive();
    if (this.i !== this.toks.length) throw new Unsupported("trailing tokens");
    return ast;
  }

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.k === "op" && t.v === v;
  }

  private additive(): Ast {
    let a = this.multiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const op = (this.toks[this.i++] as { v: "+" | "-" }).v;
      a = { t: "bin", op, a, b: this.multiplicative() };
    }
    return a;
  }

  /** An operand can start here without an operator: implicit multiplication. */
  private startsOperand(): boolean {
    const t = this.peek();
    return t !== undefined && (t.k !== "op" || t.v === "(");
  }

  private multiplicative(): Ast {
    let a = this.unary();
    for (;;) {
      if (this.isOp("*") || this.isOp("/") || this.isOp("//")) {
        const op = (this.toks[this.i++] as { v: "*" | "/" | "//" }).v;
        a = { t: "bin", op, a, b: this.unary() };
      } else if (this.startsOperand()) a = { t: "bin", op: "*", a, b: this.unary() };
      else return a;
    }
  }

  private unary(): Ast {
    if (this.isOp("-")) {
      this.i++;
      return { t: "neg", a: this.unary() };
    }
    if (this.isOp("+")) {
      this.i++;
      return this.unary();
    }
    return this.power();
  }

  private power(): Ast {
    const base = this.postfix();
    if (this.isOp("**")) {
      this.i++;
      return { t: "bin", op: "**", a: base, b: this.unary() };
    }
    return base;
  }

  private postfix(): Ast {
    let a = this.primary();
    while (this.isOp("!")) {
      let bangs = 0;
      while (this.isOp("!")) {
        this.i++;
        bangs++;
      }
      if (bangs > 2) throw new Unsupported("more than two !");
      a = { t: "fact", double: bangs === 2, a };
    }
    return a;
  }

  private primary(): Ast {
    const t = this.toks[this.i++];
    if (t === undefined) throw new Unsupported("unexpected end");
    switch (t.k) {
      case "int":
        return { t: "int", v: t.v };
      case "float":
        return { t: "float", text: t.text };
      case "imag":
        return { t: "imag", text: t.text };
      case "const":
        return { t: "pi" };
      case "sym":
        return { t: "sym", name: t.name };
      case "func": {
        if (!this.isOp("(")) throw new Unsupported(`${t.name} without parentheses`);
        this.i++;
        const arg = this.additive();
        if (!this.isOp(")")) throw new Unsupported(`${t.name} with other than one argument`);
        this.i++;
        return { t: "call", name: t.name, a: arg };
      }
      case "op": {
        if (t.v !== "(") throw new Unsupported(`unexpected ${t.v}`);
        const inner = this.additive();
        if (!this.isOp(")")) throw new Unsupported("unbalanced parenthesis");
        this.i++;
        return inner;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

/** One point at which the difference is evaluated. */
interface Env {
  symbols: Map<string, Num>;
  /** The sign given to sqrt(p) for each prime p (a Galois conjugation; all +1 at the true values). */
  primeSign: (p: bigint) => 1 | -1;
  /** The value given to π (π itself at the true values). */
  pi: number;
  /** A factor on Float exponents of symbolic bases (1 at the true values). */
  floatExponentScale: number;
  /** The primes of the radicals met (sqrt(12) = 2·sqrt(3) meets 3). */
  primesSeen: Set<bigint>;
  /** The largest magnitude of any intermediate result: the scale of rounding errors. */
  maxAbs: number;
}

function track(env: Env, v: Value): Value {
  const m = v.k === "num" ? cabs(v) : Math.abs(ratToDouble(v.k === "flt" ? v.v : v));
  if (Number.isFinite(m) && m > env.maxAbs) env.maxAbs = m;
  return v;
}

function hasSymbol(ast: Ast): boolean {
  if (ast.t === "sym") return true;
  if (ast.t === "neg" || ast.t === "call" || ast.t === "fact") return hasSymbol(ast.a);
  if (ast.t === "bin") return hasSymbol(ast.a) || hasSymbol(ast.b);
  return false;
}

function hasFloat(ast: Ast): boolean {
  if (ast.t === "float") return true;
  if (ast.t === "imag") return /[.eE]/.test(ast.text);
  if (ast.t === "neg" || ast.t === "call" || ast.t === "fact") return hasFloat(ast.a);
  if (ast.t === "bin") return hasFloat(ast.a) || hasFloat(ast.b);
  return false;
}

function negate(a: Value): Value {
  if (a.k === "rat") return ratNeg(a);
  if (a.k === "flt") return { k: "flt", v: ratNeg(a.v), prec: a.prec };
  return num(-a.re, -a.im);
}

function arith(op: "+" | "-" | "*" | "/", a: Value, b: Value): Value {
  if (a.k === "rat" && b.k === "rat") {
    switch (op) {
      case "+":
        return rat(a.n * b.d + b.n * a.d, a.d * b.d);
      case "-":
        return rat(a.n * b.d - b.n * a.d, a.d * b.d);
      case "*":
        return rat(a.n * b.n, a.d * b.d);
      case "/":
        if (b.n === 0n) throw new Unsupported("division by zero (zoo)");
        return rat(a.n * b.d, a.d * b.n);
    }
  }
  if (a.k !== "num" && b.k !== "num") return floatArith(op, a, b);
  const x = toNum(a);
  const y = toNum(b);
  if (op === "/" && y.re === 0 && y.im === 0) throw new Unsupported("division by zero (zoo)");
  return op === "+" ? cadd(x, y) : op === "-" ? csub(x, y) : op === "*" ? cmul(x, y) : cdiv(x, y);
}

/** A double result of a Float operation, as a Float of the given precision. */
function floatFromDouble(x: number, prec: number): Flt {
  if (!Number.isFinite(x)) throw new Unsupported("float overflow");
  return { k: "flt", v: roundRat(doubleToRat(x), prec), prec };
}

function power(a: Value, b: Value, baseHasSymbol: boolean, env: Env): Value {
  if (b.k === "rat" && isInteger(b)) {
    if (a.k === "rat") return ratPow(a, b.n);
    if (a.k === "flt") {
      if (a.v.n === 0n && b.n < 0n) throw new Unsupported("0 to a negative power (zoo)");
      return floatPowInt(a, b.n);
    }
    return cpowInt(a, b.n);
  }
  if (b.k === "flt") {
    // sympy leaves x**0.5 unevaluated, equal only to the same power: moving the exponent tells them apart.
    if (baseHasSymbol) return cpow(toNum(a), num(ratToDouble(b.v) * env.floatExponentScale));
    if (a.k !== "num") {
      const x = ratToDouble(a.k === "flt" ? a.v : a);
      const y = ratToDouble(b.v);
      if (x > 0 || (x === 0 && y > 0)) return floatFromDouble(x ** y, Math.max(b.prec, a.k === "flt" ? a.prec : 0));
    }
  }
  return cpow(toNum(a), toNum(b));
}

function factorial(v: Value, double: boolean): Value {
  if (v.k !== "rat" || !isInteger(v)) throw new Unsupported("factorial of a non-integer");
  if (v.n < 0n) {
    if (double && v.n === -1n) return rat(1n);
    throw new Unsupported("factorial of a negative integer (zoo)");
  }
  if (v.n > 5000n) throw new Unsupported("factorial too large");
  let out = 1n;
  for (let i = v.n; i > 1n; i -= double ? 2n : 1n) out *= i;
  return rat(out);
}

function call(name: string, v: Value, env: Env): Value {
  switch (name) {
    case "sqrt": {
      if (v.k === "rat") {
        const { coefficient, radicand, primes, negative } = rationalSqrt(v);
        if (radicand === 1n) return negative ? num(0, ratToDouble(coefficient)) : coefficient;
        for (const p of primes) env.primesSeen.add(p);
        const sign = primes.reduce<number>((s, p) => s * env.primeSign(p), 1);
        const magnitude = sign * ratToDouble(coefficient) * Math.sqrt(Number(radicand));
        return negative ? num(0, magnitude) : num(magnitude);
      }
      if (v.k === "flt") {
        if (v.v.n >= 0n) return floatSqrt(v);
        return num(0, Math.sqrt(-ratToDouble(v.v)));
      }
      return csqrt(v);
    }
    case "ln": {
      if (v.k === "rat" && v.n === 1n && v.d === 1n) return rat(0n);
      if (v.k !== "num" && (v.k === "flt" ? v.v.n : v.n) === 0n) throw new Unsupported("log(0) (zoo)");
      if (v.k === "flt" && v.v.n > 0n) return floatFromDouble(Math.log(ratToDouble(v.v)), v.prec);
      return clog(toNum(v));
    }
    case "re":
      return v.k === "num" ? num(v.re) : v;
    case "im":
      return v.k === "num" ? num(v.im) : v.k === "rat" ? rat(0n) : { k: "flt", v: rat(0n), prec: v.prec };
    case "csc":
      return cdiv(num(1), csin(toNum(v)));
    default:
      throw new Unsupported(`function ${name}`);
  }
}

function evaluate(ast: Ast, env: Env): Value {
  switch (ast.t) {
    case "int":
      return rat(ast.v);
    case "float":
      return track(env, floatLiteral(ast.text));
    case "imag": {
      const isFloat = /[.eE]/.test(ast.text);
      const magnitude = isFloat ? ratToDouble(floatLiteral(ast.text).v) : Number(BigInt(ast.text));
      return track(env, num(0, magnitude));
    }
    case "pi":
      return track(env, num(env.pi));
    case "sym": {
      const value = env.symbols.get(ast.name);
      if (value === undefined) throw new Unsupported(`no value for ${ast.name}`);
      return track(env, value);
    }
    case "neg":
      return negate(evaluate(ast.a, env));
    case "call":
      return track(env, call(ast.name, evaluate(ast.a, env), env));
    case "fact":
      return track(env, factorial(evaluate(ast.a, env), ast.double));
    case "bin": {
      const a = evaluate(ast.a, env);
      const b = evaluate(ast.b, env);
      if (ast.op === "**") return track(env, power(a, b, hasSymbol(ast.a), env));
      if (ast.op === "//") {
        if (a.k === "rat" && b.k === "rat") {
          if (b.n === 0n) throw new Unsupported("division by zero (zoo)");
          const n = a.n * b.d;
          const d = a.d * b.n;
          const q = n / d;
          // BigInt division truncates; Python's // floors.
          return rat(n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q);
        }
        if (a.k === "num" || b.k === "num") throw new Unsupported("floor division of a non-real");
        const quotient = Math.floor(ratToDouble(a.k === "flt" ? a.v : a) / ratToDouble(b.k === "flt" ? b.v : b));
        return track(env, floatFromDouble(quotient, precOfValues(a, b)));
      }
      return track(env, arith(ast.op, a, b));
    }
  }
}

function precOfValues(a: Rat | Flt, b: Rat | Flt): number {
  return Math.max(a.k === "flt" ? a.prec : 53, b.k === "flt" ? b.prec : 53);
}

function collectSymbols(ast: Ast, into: Set<string>): Set<string> {
  if (ast.t === "sym") into.add(ast.name);
  else if (ast.t === "neg" || ast.t === "call" || ast.t === "fact") collectSymbols(ast.a, into);
  else if (ast.t === "bin") {
    collectSymbols(ast.a, into);
    collectSymbols(ast.b, into);
  }
  return into;
}

/** Fixed, unremarkable complex values for the symbols (deterministic, so scores are reproducible). */
function samplePoint(point: number, index: number): Num {
  const phase = 0.7 + 1.9 * point + 2.3 * index;
  const radius = 0.6 + 0.37 * ((point * 3 + index * 5) % 4);
  return num(radius * Math.cos(phase), radius * Math.sin(phase));
}

const EXACT_TOLERANCE = 1e-9;
const FLOAT_TOLERANCE = 4 * Number.EPSILON;

/** How the difference is evaluated at one point: symbol values and, with Floats, a conjugation. */
interface PointSpec {
  symbolPoint: number;
  flip?: bigint;
  moved?: boolean;
}

/** Whether the difference vanishes at one point (false where sympy would raise or leave it unevaluated). */
function differenceIsZeroAt(ast: Ast, symbols: string[], floats: boolean, spec: PointSpec, seen: Set<bigint>): boolean {
  const env: Env = {
    symbols: new Map(symbols.map((name, i) => [name, samplePoint(spec.symbolPoint, i)])),
    primeSign: (p) => (p === spec.flip ? -1 : 1),
    pi: spec.moved ? 1.3 + 0.77 * spec.symbolPoint : Math.PI,
    floatExponentScale: spec.moved ? 1.013 : 1,
    primesSeen: seen,
    maxAbs: 0,
  };
  let diff: Value;
  try {
    diff = evaluate(ast, env);
  } catch (err) {
    if (err instanceof Unsupported) return false;
    throw err;
  }
  if (diff.k === "rat") return diff.n === 0n;
  if (diff.k === "flt") return diff.v.n === 0n;
  const size = cabs(diff);
  const scale = env.maxAbs > 0 ? env.maxAbs : 1;
  return Number.isFinite(size) && size <= (floats ? FLOAT_TOLERANCE : EXACT_TOLERANCE) * scale;
}

/**
 * Whether `(groundTruth)-(given)` is zero as sympy would find it (see the module comment). Both arguments are
 * PRM800K-normalized tuple elements; PRM800K's letter count and exponent guards are applied by the caller.
 */
export function sympyDifferenceIsZero(groundTruth: string, given: string): boolean {
  let ast: Ast;
  try {
    ast = new Parser(tokenize(`(${groundTruth})-(${given})`.replaceAll("^", "**"))).parse();
  } catch (err) {
    if (err instanceof Unsupported) return false;
    throw err;
  }
  const symbols = [...collectSymbols(ast, new Set())];
  const floats = hasFloat(ast);
  const primes = new Set<bigint>();
  if (!differenceIsZeroAt(ast, symbols, floats, { symbolPoint: 0 }, primes)) return false;
  const more: PointSpec[] = [];
  if (symbols.length > 0) more.push({ symbolPoint: 1 }, { symbolPoint: 2 });
  if (floats) {
    // sympy never equates a Float with an irrational, nor x**0.5 with sqrt(x): flipping the sign of each prime's
    // square root (a field automorphism, under which exact identities hold), moving π and moving Float exponents
    // expose differences that only a decimal approximation made vanish.
    for (const p of primes) more.push({ symbolPoint: 1, flip: p });
    more.push({ symbolPoint: 2, moved: true });
  }
  return more.every((spec) => differenceIsZeroAt(ast, symbols, floats, spec, new Set()));
}
