import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";

const cwd = mkdtempSync(join(tmpdir(), "arbiter-prices-"));

describe("arbiter prices", () => {
  it("shows DeepSeek's price war as a timeline with sources", async () => {
    const res = await runCli(["prices", "deepseek-chat", "--history"], { cwd });
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.split("\n");
    const rows = lines.filter((l) => l.startsWith("deepseek/deepseek-chat"));
    // V2 (¥1 in / ¥2 out) → V3 promotion → V3 standard → V3 with off-peak, oldest first
    expect(rows[0]).toMatch(/¥ in 1 .*out 2/);
    const promo = rows.findIndex((l) => l.includes("→ 2025-02-08 16:00"));
    const standard = rows.findIndex((l) => l.startsWith("deepseek/deepseek-chat              2025-02-08 16:00"));
    const offPeak = rows.findIndex((l) => l.includes("off-peak 16:30–00:30 UTC"));
    expect(promo).toBeGreaterThan(0);
    expect(standard).toBeGreaterThan(promo);
    expect(offPeak).toBeGreaterThan(standard);
    expect(res.stdout).toContain("https://api-docs.deepseek.com/quick_start/pricing-details-usd");
  });

  it("answers what was in force at a date, as JSON", async () => {
    const res = await runCli(["prices", "deepseek-chat", "--at", "2025-01-15", "--currency", "CNY", "--json"], { cwd });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.at).toBe("2025-01-15T00:00:00.000Z");
    expect(doc.prices).toHaveLength(1);
    expect(doc.prices[0]).toMatchObject({
      model: "deepseek-chat",
      currency: "CNY",
      input: 1,
      cachedInput: 0.1,
      output: 2,
    });
  });

  it("rejects a bad date and an unknown model with exit 2", async () => {
    const bad = await runCli(["prices", "deepseek-chat", "--at", "yesterday-ish"], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--at "yesterday-ish": expected a date');
    const unknown = await runCli(["prices", "no-such-model"], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no prices for "no-such-model"');
  });
});
