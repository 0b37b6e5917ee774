import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";

describe("arbiter plan", () => {
  it("gives Connor's paired sample size", async () => {
    // n = [z.975·√ψ + z.80·√(ψ − δ²)]² / δ² with δ = 0.03, ψ = 0.15:
    //   [1.959964·0.387298 + 0.841621·0.386135]² / 0.0009 = 1.084069² / 0.0009 = 1305.8 → 1306
    const res = await runCli(["plan", "--difference", "0.03", "--discordance", "0.15", "--json"], { cwd: tmpdir() });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.n).toBe(1306);
    expect(doc.nExact).toBeCloseTo(1305.79, 1);
    const text = await runCli(["plan", "--difference", "3%", "--accuracy", "0.7"], { cwd: tmpdir() });
    expect(text.stdout).toContain("assumed from the accuracy with independent errors");
    const bad = await runCli(["plan", "--difference", "2", "--accuracy", "0.7"], { cwd: tmpdir() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--difference "2": expected a fraction');
  });
});
