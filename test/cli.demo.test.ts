import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";

describe("arbiter demo", () => {
  it("runs offline with no key: local model and replayed GPT-4 on IFEval, intervals, a paired test, an HTML report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "arbiter-demo-"));
    // No key and no network: an environment without any vendor variable.
    const env = { PATH: process.env.PATH ?? "", HOME: dir };
    const res = await runCli(["demo", "--limit", "40"], { cwd: dir, env });
    expect(res.code, res.stderr).toBe(0);
    const out = res.stdout;
    // Both models on the same prompts, each with its headline score and 95% interval.
    expect(out).toMatch(/gpt-4-recorded\s+ifeval\s+40\s+\d+\.\d% \[\d+\.\d, \d+\.\d\] \(40\)/);
    expect(out).toMatch(/stories260K-local\s+ifeval\s+40\s+\d+\.\d% \[\d+\.\d, \d+\.\d\] \(40\)/);
    // Recorded answers carry no usage: their cost is unknown, never 0; the local model's is a known 0.
    // Nor were they timed: no latency, TTFT or tokens/s for the recording (the file lookup is not a measurement).
    expect(out).toMatch(/gpt-4-recorded .* - \/ -\s+-\s+-\s+unknown\s+unknown/);
    expect(out).toMatch(/ifeval: n=40 .*→ A better/);
    const html = join(dir, ".arbiter", "demo-report.html");
    expect(existsSync(html)).toBe(true);
    const page = readFileSync(html, "utf8");
    expect(page).toContain("gpt-4-recorded");
    expect(page).not.toMatch(/<script\b[^>]*\bsrc=/i);
    // Commands shown as the user can paste them (node dist/cli/main.js … when arbiter is not on PATH).
    expect(out).toMatch(/dashboard {2}(arbiter|node \S*main\.[jt]s) view/);
    expect(out).toContain("DEEPSEEK_API_KEY");
    // The dashboard reads the same store: the run is there.
    const runs = await runCli(["runs"], { cwd: dir, env });
    expect(runs.stdout).toMatch(/completed/);
  }, 120_000);
});
