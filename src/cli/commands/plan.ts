import { mcnemarSampleSize } from "../../stats/power.js";
import { UsageError } from "../errors.js";

export interface PlanFlags {
  accuracy?: string;
  difference: string;
  discordance?: string;
  power?: string;
  alpha?: string;
  json?: boolean;
}

function fraction(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : text);
  if (!(Number.isFinite(value) && value > 0 && value < 1)) {
    throw new UsageError(`${flag} "${text}": expected a fraction between 0 and 1 (or a percentage such as 3%)`);
  }
  return value;
}

/**
 * `arbiter plan`: how many samples a paired comparison needs to detect a difference δ with the given power
 * (McNemar's test, Connor 1987). The discordance — the share of samples where exactly one model is right — drives
 * it; without one, it is derived from the expected accuracy assuming independent errors (an overestimate for
 * models that fail on the same hard samples, so a conservative n).
 */
export function planCommand(flags: PlanFlags): void {
  const difference = fraction(flags.difference, "--difference") as number;
  const accuracy = fraction(flags.accuracy, "--accuracy");
  const discordance = fraction(flags.discordance, "--discordance");
  const power = fraction(flags.power, "--power") ?? 0.8;
  const alpha = fraction(flags.alpha, "--alpha") ?? 0.05;
  if (discordance === undefined && accuracy === undefined) {
    throw new UsageError("give --discordance (share of samples where exactly one model is right) or --accuracy");
  }
  const design =
    discordance !== undefined
      ? { difference, discordance }
      : {
          accuracyA: Math.min(0.999, (accuracy as number) + difference / 2),
          accuracyB: Math.max(0.001, (accuracy as number) - difference / 2),
        };
  let result: ReturnType<typeof mcnemarSampleSize>;
  try {
    result = mcnemarSampleSize({ ...design, power, alpha });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `${result.n} paired samples detect a difference of ${(result.difference * 100).toFixed(1)} points with ${(power * 100).toFixed(0)}% power at α = ${alpha}\n` +
      `(McNemar's test, ${result.method}; discordance ${(result.discordance * 100).toFixed(1)}%${result.discordanceAssumed ? ", assumed from the accuracy with independent errors" : ""})\n`,
  );
}
