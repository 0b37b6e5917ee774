import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type Claim,
  ClaimSyntaxError,
  ClaimsFileError,
  type Evidence,
  evaluateClaims,
  formatClaim,
  formatClaimsReport,
  loadVendorClaims,
  parseClaim,
  parseClaimsFile,
  selectVendorClaims,
  withMeasured,
} from "../src/claims/index.js";
import { DEFAULT_CATALOG_DIR } from "../src/pricing/catalog.js";
import { normalQuantile } from "../src/stats/distributions.js";
import { holm } from "../src/stats/multiple.js";
import { ROOT } from "./support/cli.js";

/** n paired 0/1 outcomes with the given 2×2 table (both right, only A, only B, neither), in a fixed order. */
function pairs(both: number, onlyA: number, onlyB: number, neither: number): { a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  const push = (x: number, y: number, k: number) => {
    for (let i = 0; i < k; i++) {
      a.push(x);
      b.push(y);
    }
  };
  push(1, 1, both);
  push(1, 0, onlyA);
  push(0, 1, onlyB);
  push(0, 0, neither);
  return { a, b };
}

/** P(X ≥ k) for X ~ Binomial(n, ½), summed term by term (independent of the library's incomplete beta). */
function binomialUpperTail(k: number, n: number): number {
  let sum = 0;
  let c = 1; // C(n, 0)
  for (let j = 0; j <= n; j++) {
    if (j >= k) sum += c;
    c = (c * (n - j)) / (j + 1);
  }
  return sum / 2 ** n;
}

function file(claims: string[], alpha?: number) {
  const text = `${alpha === undefined ? "" : `alpha: ${alpha}\n`}claims:\n${claims.map((c) => `  - ${c}`).join("\n")}\n`;
  return parseClaimsFile(text, "claims.yaml");
}

const scores = (p: { a: number[]; b: number[] }, metric = "accuracy"): Evidence => ({ kind: "scores", metric, ...p });

describe("claim grammar", () => {
  it("reads every form, with margins in points or score units", () => {
    const cases: [string, Claim][] = [
      [
        "qwen/qwen-max > deepseek/deepseek-chat on mmlu_pro",
        {
          kind: "superiority",
          a: "qwen/qwen-max",
          b: "deepseek/deepseek-chat",
          task: "mmlu_pro",
          margin: { value: 0, unit: "score", text: "0" },
        },
      ],
      [
        "a/x < b/y on gsm8k",
        { kind: "superiority", a: "b/y", b: "a/x", task: "gsm8k", margin: { value: 0, unit: "score", text: "0" } },
      ],
      [
        "a/x beats b/y on t by 3 points",
        {
          kind: "superiority",
          a: "a/x",
          b: "b/y",
          task: "t",
          margin: { value: 0.03, unit: "points", text: "3 points" },
        },
      ],
      [
        "deepseek/deepseek-chat non-inferior to openai/gpt-4o on gsm8k by 2 points",
        {
          kind: "non-inferiority",
          a: "deepseek/deepseek-chat",
          b: "openai/gpt-4o",
          task: "gsm8k",
          margin: { value: 0.02, unit: "points", text: "2 points" },
        },
      ],
      [
        "a/x not worse than b/y on t by 2pp",
        {
          kind: "non-inferiority",
          a: "a/x",
          b: "b/y",
          task: "t",
          margin: { value: 0.02, unit: "points", text: "2pp" },
        },
      ],
      [
        "a/x NON-INFERIOR TO b/y ON t BY 0.5",
        { kind: "non-inferiority", a: "a/x", b: "b/y", task: "t", margin: { value: 0.5, unit: "score", text: "0.5" } },
      ],
      [
        "a/x ≈ b/y on t within 3%",
        { kind: "equivalence", a: "a/x", b: "b/y", task: "t", margin: { value: 0.03, unit: "points", text: "3%" } },
      ],
      [
        "a/x ~= b/y on t within 1 percentage points",
        {
          kind: "equivalence",
          a: "a/x",
          b: "b/y",
          task: "t",
          margin: { value: 0.01, unit: "points", text: "1 percentage points" },
        },
      ],
      [
        '"my model" equivalent to b/y on "task one" within 0.2',
        {
          kind: "equivalence",
          a: "my model",
          b: "b/y",
          task: "task one",
          margin: { value: 0.2, unit: "score", text: "0.2" },
        },
      ],
      [
        "cost(deepseek/deepseek-chat, gsm8k) < 0.1 × cost(openai/gpt-4o, gsm8k)",
        {
          kind: "cost-ratio",
          a: "deepseek/deepseek-chat",
          b: "openai/gpt-4o",
          task: "gsm8k",
          direction: "less",
          factor: 0.1,
        },
      ],
      [
        "cost(a/x,t)<0.25x cost(b/y,t)",
        { kind: "cost-ratio", a: "a/x", b: "b/y", task: "t", direction: "less", factor: 0.25 },
      ],
      [
        "cost(a/x, t) <= 10% of cost(b/y, t)",
        { kind: "cost-ratio", a: "a/x", b: "b/y", task: "t", direction: "less", factor: 0.1 },
      ],
      [
        "cost(a/x, t) > 2 * cost(b/y, t)",
        { kind: "cost-ratio", a: "a/x", b: "b/y", task: "t", direction: "greater", factor: 2 },
      ],
      [
        "cost(a/x, t) < cost(b/y, t)",
        { kind: "cost-ratio", a: "a/x", b: "b/y", task: "t", direction: "less", factor: 1 },
      ],
    ];
    for (const [text, expected] of cases) {
      const claim = parseClaim(text);
      expect(claim, text).toEqual(expected);
      // The canonical form reads back to the same claim.
      expect(parseClaim(formatClaim(claim)), formatClaim(claim)).toEqual(claim);
    }
  });

  it("rejects malformed claims with the column of the problem", () => {
    const bad: [string, RegExp, number][] = [
      ["a/x > on t", /expected "on TASK", got "t"/, 10],
      ["a/x non-inferior to b/y on t", /needs one/, 29],
      ["a/x ≈ b/y on t within 0", /greater than 0/, 0],
      ["a/x >= b/y on t", /cannot be tested on scores/, 5],
      ["a/x likes b/y on t", /expected ">", "<", "≈"/, 5],
      ["a/x > a/x on t", /compares "a\/x" with itself/, 5],
      ["a/x > b/y on t please", /unexpected "please"/, 16],
      ["cost(a/x, t) < 0.1 × cost(b/y, u)", /same task's samples/, 14],
      ["cost(a/x, t) < 0.1 cost(b/y, t)", /"×"/, 20],
      ["cost(a/x t) < cost(b/y, t)", /","/, 10],
      ['"unclosed > b/y on t', /unterminated/, 1],
      ["", /empty claim/, 1],
    ];
    for (const [text, message, column] of bad) {
      let error: unknown;
      try {
        parseClaim(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(ClaimSyntaxError);
      expect((error as Error).message, text).toMatch(message);
      if (column > 0) expect((error as ClaimSyntaxError).column, text).toBe(column);
    }
  });
});

describe("claims file", () => {
  it("reads a list, or a map with alpha and claims given as text or as maps with id, source and note", () => {
    const list = parseClaimsFile("- a/x > b/y on t\n- cost(a/x, t) < 0.5 × cost(b/y, t)\n", "l.yaml");
    expect(list.alpha).toBe(0.05);
    expect(list.claims.map((c) => [c.line, c.claim.kind])).toEqual([
      [1, "superiority"],
      [2, "cost-ratio"],
    ]);
    const text = [
      "alpha: 0.01",
      "claims:",
      "  # a comment",
      "  - a/x > b/y on t",
      "  - claim: a/x ≈ b/y on t within 2 points",
      "    id: eq",
      "    source: https://example.com/post",
      "    note: from the launch post",
    ].join("\n");
    const f = parseClaimsFile(text, "m.yaml");
    expect(f.alpha).toBe(0.01);
    expect(f.claims[0]).toMatchObject({ line: 4, text: "a/x > b/y on t" });
    expect(f.claims[1]).toMatchObject({
      line: 5,
      id: "eq",
      source: "https://example.com/post",
      note: "from the launch post",
      claim: { kind: "equivalence" },
    });
  });

  it("parses the shipped example", () => {
    const path = join(ROOT, "examples/claims.yaml");
    const f = parseClaimsFile(readFileSync(path, "utf8"), path);
    expect(f.claims.map((c) => c.claim.kind)).toEqual(["superiority", "equivalence", "non-inferiority", "cost-ratio"]);
    expect(f.claims[3]?.id).toBe("deepseek-tenth-of-gpt-4o");
  });

  it("names file and line of every problem, and shows valid syntax for a bad statement", () => {
    const errorOf = (text: string): ClaimsFileError => {
      try {
        parseClaimsFile(text, "c.yaml");
      } catch (e) {
        if (e instanceof ClaimsFileError) return e;
        throw e;
      }
      throw new Error("no error");
    };
    const syntax = errorOf("claims:\n  - a/x > b/y on t\n\n  - a/x is better than b/y on t\n");
    expect(syntax.line).toBe(4);
    expect(syntax.message).toMatch(/^c\.yaml:4: cannot read the claim "a\/x is better than b\/y on t"/);
    expect(syntax.message).toContain("valid forms:");
    expect(syntax.message).toContain("qwen/qwen-max > deepseek/deepseek-chat on mmlu_pro");
    expect(errorOf("claims:\n  - claim: a/x > b/y on t\n    by: me\n").message).toMatch(/^c\.yaml:3: unknown key "by"/);
    expect(errorOf("alpha: 0.7\nclaims:\n  - a/x > b/y on t\n").message).toMatch(
      /^c\.yaml:1: alpha: expected a number/,
    );
    expect(
      errorOf("claims:\n  - {claim: a/x > b/y on t, id: one}\n  - {claim: b/y > a/x on t, id: one}\n").message,
    ).toMatch(/^c\.yaml:3: id "one" is used twice \(first on line 2\)/);
    expect(errorOf("claims:\n  - a/x > b/y on t\n  - [unclosed\n").message).toMatch(/^c\.yaml:\d+: not valid YAML/);
    expect(errorOf("claims: []\n").message).toMatch(/^c\.yaml:1: claims: the list is empty/);
    expect(errorOf("runs: 3\n").message).toMatch(/unknown key "runs"/);
    expect(errorOf("").message).toMatch(/the file is empty/);
  });
});

describe("verdicts on paired 0/1 scores", () => {
  it("supports a clear superiority with the exact one-sided McNemar p-value", () => {
    const data = pairs(120, 45, 10, 25);
    const r = evaluateClaims(file(["a/x > b/y on t"]), [scores(data)]).claims[0];
    expect(r?.verdict).toBe("supported");
    expect(r?.pValue).toBeCloseTo(binomialUpperTail(45, 55), 12);
    expect(r?.effect?.estimate).toBeCloseTo(35 / 200, 12);
    expect(r?.effect?.ci.level).toBeCloseTo(0.9, 12);
    expect(r?.effect?.ci.lower).toBeGreaterThan(0);
    expect(r).toMatchObject({ n: 200, scores: "binary", samplesNeeded: null });
    expect(r?.meanA).toBeCloseTo(165 / 200, 12);
  });

  it("contradicts the reversed claim, written either way round", () => {
    const data = pairs(120, 45, 10, 25);
    const report = evaluateClaims(file(["b/y > a/x on t", "a/x < b/y on t"]), [
      scores({ a: data.b, b: data.a }),
      scores({ a: data.b, b: data.a }),
    ]);
    for (const r of report.claims) {
      expect(r.verdict).toBe("contradicted");
      expect(r.a).toBe("b/y");
      expect(r.pValueAgainst).toBeCloseTo(binomialUpperTail(45, 55), 12);
      expect(r.effect?.ci.upper).toBeLessThan(0);
    }
  });

  it("leaves a tiny sample inconclusive, with the samples that would settle it", () => {
    // 6 samples: A alone right on 2, B never alone: exact p = ¼.
    const data = pairs(3, 2, 0, 1);
    const r = evaluateClaims(file(["a/x > b/y on t"]), [scores(data)]).claims[0];
    expect(r?.verdict).toBe("inconclusive");
    expect(r?.pValue).toBeCloseTo(0.25, 12);
    const s = r?.samplesNeeded;
    expect(s).toMatchObject({ toward: "supported", power: 0.8, alpha: 0.05 });
    // Normal approximation: n = ((z₀.₉₅ + z₀.₈)·√(ψ − δ²)/δ)², δ = ψ = 1/3 ...
    const d = 1 / 3;
    const normal = Math.ceil((((normalQuantile(0.95) + normalQuantile(0.8)) * Math.sqrt(d - d * d)) / d) ** 2);
    // ... but the exact test needs ⌈log₂ 20⌉ = 5 discordant pairs, 5/ψ = 15 samples at this discordance.
    expect(s?.total).toBe(Math.max(normal, 15));
    expect(s?.additional).toBe((s?.total ?? 0) - 6);
    // And at that size, with the same proportions, the claim is supported.
    const k = (s?.total ?? 0) / 6;
    const grown = pairs(Math.round(3 * k), Math.round(2 * k), 0, Math.round(k));
    expect(evaluateClaims(file(["a/x > b/y on t"]), [scores(grown)]).claims[0]?.verdict).toBe("supported");
  });

  it("decides non-inferiority by the interval's bounds against −δ", () => {
    // A is 2 points behind B (78% vs 80%) on 1,000 samples with 10% discordance: 90% CI about [−3.6, −0.4] points.
    const data = pairs(730, 40, 60, 170);
    const one = (delta: string) =>
      evaluateClaims(file([`a/x non-inferior to b/y on t by ${delta}`]), [scores(data)]).claims[0];
    const wide = one("6 points");
    expect(wide?.effect?.ci.lower).toBeGreaterThan(-0.06);
    expect(wide?.verdict).toBe("supported");
    // The margin inside the interval: undecided; more samples would most likely settle it the way the estimate leans.
    const leansYes = one("3 points");
    expect(leansYes?.effect?.ci.lower).toBeLessThan(-0.03);
    expect(leansYes?.verdict).toBe("inconclusive");
    expect(leansYes?.samplesNeeded?.toward).toBe("supported");
    const leansNo = one("1 points");
    expect(leansNo?.verdict).toBe("inconclusive");
    expect(leansNo?.samplesNeeded?.toward).toBe("contradicted");
    const tiny = one("0.1 points");
    expect(tiny?.effect?.ci.upper).toBeLessThan(-0.001);
    expect(tiny?.verdict).toBe("contradicted");
    // For one claim the verdicts agree with the interval: p ≤ α exactly when the bound clears −δ.
    for (const r of [wide, leansYes, leansNo, tiny]) {
      expect((r?.pValue ?? 1) <= 0.05).toBe((r?.effect?.ci.lower ?? 0) > -(r?.margin ?? 0));
    }
  });

  it("adjusts across the file with Holm, which can withhold a verdict a lone claim would get", () => {
    // Exact p = 1/32 for each: supported alone, not after Holm over two claims (adjusted 1/16 > 0.05).
    const data = pairs(10, 5, 0, 5);
    const alone = evaluateClaims(file(["a/x > b/y on t"]), [scores(data)]);
    expect(alone.claims[0]?.verdict).toBe("supported");
    const two = evaluateClaims(file(["a/x > b/y on t", "a/x > b/y on u"]), [scores(data), scores(data)]);
    expect(two.adjustment).toMatchObject({ method: "holm", family: 2 });
    expect(two.adjustment.name).toContain("Holm");
    for (const r of two.claims) {
      expect(r.pValue).toBeCloseTo(1 / 32, 12);
      expect(r.pAdjusted).toBeCloseTo(holm([1 / 32, 1 / 32])[0] as number, 12);
      expect(r.verdict).toBe("inconclusive");
      // The samples-needed figure assumes the Bonferroni level α/2, the most Holm can demand.
      expect(r.samplesNeeded?.alpha).toBeCloseTo(0.025, 12);
    }
    const text = formatClaimsReport(two, "run-1");
    expect(text).toContain("Holm (1979) step-down");
    expect(text).toContain("claims.yaml:3  a/x > b/y on u");
    expect(text).toContain("to settle: about");
  });

  it("refuses a margin in points on a score that is not 0–1, naming the line", () => {
    const judge = { a: [7, 8, 6, 9, 7, 8, 7, 6, 8, 9], b: [6, 7, 6, 8, 7, 7, 6, 6, 7, 8] };
    expect(() =>
      evaluateClaims(file(["a/x > b/y on t", "a/x non-inferior to b/y on t by 2 points"]), [
        scores(judge, "judge"),
        scores(judge, "judge"),
      ]),
    ).toThrow(/^claims\.yaml:3: the margin "2 points" is in percentage points, but judge on t is not a 0–1 score/);
  });
});

describe("verdicts on graded scores and equivalence", () => {
  // A deterministic spread of graded scores: B, and A = B + a shift with noise.
  const base = Array.from({ length: 60 }, (_, i) => 0.3 + ((i * 37) % 50) / 100);
  const noise = Array.from({ length: 60 }, (_, i) => (((i * 53) % 21) - 10) / 200);
  const shifted = (shift: number) => base.map((v, i) => v + shift + (noise[i] as number));

  it("supports a clear graded superiority and contradicts the reverse (paired bootstrap)", () => {
    const a = shifted(0.1);
    const report = evaluateClaims(file(["a/x > b/y on t", "b/y > a/x on t"]), [
      scores({ a, b: base }, "f1"),
      scores({ a: base, b: a }, "f1"),
    ]);
    expect(report.claims[0]).toMatchObject({ verdict: "supported", scores: "graded" });
    expect(report.claims[0]?.test).toContain("bootstrap");
    expect(report.claims[1]?.verdict).toBe("contradicted");
  });

  it("tests equivalence with TOST: inside the margin supported, far outside contradicted", () => {
    const close = shifted(0.005);
    const far = shifted(0.2);
    const report = evaluateClaims(file(["a/x ≈ b/y on t within 5 points", "a/x ≈ b/y on t within 5 points"]), [
      scores({ a: close, b: base }, "f1"),
      scores({ a: far, b: base }, "f1"),
    ]);
    const [eq, notEq] = report.claims;
    expect(eq?.verdict).toBe("supported");
    expect(eq?.effect?.ci.lower).toBeGreaterThan(-0.05);
    expect(eq?.effect?.ci.upper).toBeLessThan(0.05);
    expect(notEq?.verdict).toBe("contradicted");
    expect(notEq?.effect?.ci.lower).toBeGreaterThan(0.05);
  });

  it("does not decide a graded claim on fewer than 10 pairs, but says how many would", () => {
    const r = evaluateClaims(file(["a/x > b/y on t"]), [scores({ a: [0.9, 0.8, 0.85], b: [0.5, 0.4, 0.45] }, "f1")])
      .claims[0];
    expect(r?.verdict).toBe("inconclusive");
    expect(r?.reason).toMatch(/only 3 pairs of graded scores/);
    expect(r?.pAdjusted).toBeNull();
    expect(r?.samplesNeeded?.total).toBe(10);
  });
});

describe("verdicts on cost ratios", () => {
  // Per-sample costs: A about 5% of B, varying with prompt length.
  const b = Array.from({ length: 40 }, (_, i) => 0.002 + ((i * 7) % 13) * 0.0003);
  const a = b.map((v, i) => v * (0.04 + ((i * 11) % 5) * 0.005));

  it("supports, contradicts and explains a cost claim", () => {
    const cost = (x: number[], y: number[]): Evidence => ({ kind: "costs", currency: "USD", a: x, b: y });
    const report = evaluateClaims(
      file([
        "cost(a/x, t) < 0.1 × cost(b/y, t)",
        "cost(a/x, t) < 0.02 × cost(b/y, t)",
        "cost(b/y, t) > 10 × cost(a/x, t)",
        "cost(a/x, t) < cost(c/z, t)",
      ]),
      [
        cost(a, b),
        cost(a, b),
        cost(b, a),
        { kind: "costs", currency: "USD", a: [], b: [], unknown: "c/z: no price in the catalog" },
      ],
    );
    const [tenth, fiftieth, tenTimes, unknown] = report.claims;
    const ratio = a.reduce((s, v) => s + v, 0) / b.reduce((s, v) => s + v, 0);
    expect(tenth?.effect?.estimate).toBeCloseTo(ratio, 12);
    expect(tenth?.effect?.ci.upper).toBeLessThan(0.1);
    expect(tenth?.verdict).toBe("supported");
    expect(fiftieth?.effect?.ci.lower).toBeGreaterThan(0.02);
    expect(fiftieth?.verdict).toBe("contradicted");
    expect(tenTimes?.verdict).toBe("supported");
    expect(unknown).toMatchObject({ verdict: "inconclusive", pValue: null, effect: null });
    expect(unknown?.reason).toBe("cost unknown: c/z: no price in the catalog");
    // The unknown cost is not one of the tests Holm adjusts for.
    expect(report.adjustment.family).toBe(3);
    expect(tenth?.costA?.perSample).toBeCloseTo(a.reduce((s, v) => s + v, 0) / 40, 15);
  });
});

describe("vendor claims", () => {
  const shared = JSON.parse(readFileSync(join(ROOT, "../shared/catalog/claims.json"), "utf8")) as {
    id: string;
    source_url: string;
    source_quote: string;
    score: number | null;
  }[];

  it("ships every published claim with its source URL and quote unchanged", async () => {
    const claims = await loadVendorClaims(DEFAULT_CATALOG_DIR);
    expect(claims.map((c) => c.id)).toEqual(shared.map((c) => c.id));
    claims.forEach((c, i) => {
      expect(c.source_url).toBe(shared[i]?.source_url);
      expect(c.source_quote).toBe(shared[i]?.source_quote);
      expect(c.score).toBe(shared[i]?.score);
    });
  });

  it("is exactly what scripts/build-catalog.mjs builds", () => {
    const out = mkdtempSync(join(tmpdir(), "arbiter-catalog-"));
    execFileSync(process.execPath, [join(ROOT, "scripts/build-catalog.mjs"), "--out", out], { cwd: ROOT });
    expect(readFileSync(join(out, "claims.json"), "utf8")).toBe(
      readFileSync(join(ROOT, "data/catalog/claims.json"), "utf8"),
    );
  });

  it("selects a model's claims by catalog id, published name or API id", async () => {
    const claims = await loadVendorClaims(DEFAULT_CATALOG_DIR);
    const v3 = selectVendorClaims(claims, "deepseek-v3");
    expect(v3?.length).toBeGreaterThan(0);
    expect(v3?.every((c) => c.model === "DeepSeek-V3")).toBe(true);
    expect(selectVendorClaims(claims, "deepseek/deepseek-chat")).toEqual(v3);
    expect(selectVendorClaims(claims, "DEEPSEEK-CHAT")).toEqual(v3);
    const base = selectVendorClaims(claims, "DeepSeek-V3-Base");
    expect(base?.every((c) => c.modelKind === "base")).toBe(true);
    expect(selectVendorClaims(claims, "qwen/qwen-max")?.every((c) => c.modelId === "qwen2.5-max")).toBe(true);
    expect(selectVendorClaims(claims, "no-such-model")).toBeNull();
  });

  it("puts a run's measurement beside the published number, on the same scale", async () => {
    const claims = await loadVendorClaims(DEFAULT_CATALOG_DIR);
    const claim = claims.find((c) => c.modelId === "deepseek-v3" && c.task === "mmlu_pro" && c.score !== null);
    expect(claim).toBeDefined();
    if (!claim) return;
    const gpt = claim.comparedAgainst.find((c) => c.modelId === "gpt-4o-2024-05-13");
    expect(gpt).toBeDefined();
    expect(claim.comparedAgainst.some((c) => c.modelId === "deepseek-v2")).toBe(true);
    const hits = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 0 : 1)); // 75.0%
    const rows = withMeasured(
      [claim],
      [
        {
          label: "deepseek/deepseek-chat",
          ref: "deepseek/deepseek-chat",
          task: "mmlu_pro",
          metric: "acc",
          scores: hits,
        },
        { label: "gpt", ref: "openai/gpt-4o-2024-05-13", task: "mmlu_pro", metric: "acc", scores: hits },
        { label: "deepseek/deepseek-chat", ref: "deepseek/deepseek-chat", task: "gsm8k", metric: "acc", scores: hits },
      ],
      new Map([
        ["gpt-4o-2024-05-13", ["openai/gpt-4o-2024-05-13"]],
        // deepseek-chat served DeepSeek-V2 before V3: a run of it is not a measurement of the V2 column.
        ["deepseek-v2", ["deepseek/deepseek-chat"]],
      ]),
    );
    const m = rows[0]?.measured;
    expect(m).toHaveLength(1);
    expect(m?.[0]?.onPublishedScale?.value).toBeCloseTo(75, 12);
    const ci = m?.[0]?.onPublishedScale?.ci;
    const published = claim.score as number;
    const where =
      ci && published < ci.lower ? "below" : ci && published > ci.upper ? "above" : ci ? "inside" : "no interval";
    expect(m?.[0]?.published).toBe(where);
    expect(rows[0]?.competitors.map((c) => [c.model, c.measured[0]?.label])).toEqual([[gpt?.model, "gpt"]]);
  });
});
