// Timing of Arbiter's statistics core: pairedBootstrap over 10,000 samples with 10,000 resamples (target < 1 s on one
// core). Prints one JSON line. Run after `npm run build`: node bench/stats.mjs
import { createRng, pairedBootstrap } from "../dist/stats/index.js";

const SAMPLES = Number(process.env.STATS_BENCH_SAMPLES ?? 10000);
const RESAMPLES = Number(process.env.STATS_BENCH_RESAMPLES ?? 10000);
const REPEAT = Number(process.env.STATS_BENCH_REPEAT ?? 3);

// Two models' 0/1 scores on the same samples (A right 72%, B right 70%, correlated through shared hard samples).
const rng = createRng(1);
const a = new Float64Array(SAMPLES);
const b = new Float64Array(SAMPLES);
for (let i = 0; i < SAMPLES; i++) {
  const hard = rng.next() < 0.2;
  a[i] = rng.next() < (hard ? 0.3 : 0.825) ? 1 : 0;
  b[i] = rng.next() < (hard ? 0.28 : 0.805) ? 1 : 0;
}

pairedBootstrap(a, b, { resamples: 200, seed: 0 }); // warm-up (JIT)
const runs = [];
let result;
for (let r = 0; r < REPEAT; r++) {
  const t0 = process.hrtime.bigint();
  result = pairedBootstrap(a, b, { resamples: RESAMPLES, seed: 42 });
  runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
const seconds = Math.min(...runs);
console.log(
  JSON.stringify({
    benchmark: "stats.pairedBootstrap",
    samples: SAMPLES,
    resamples: RESAMPLES,
    seconds: Number(seconds.toFixed(4)),
    runs: runs.map((s) => Number(s.toFixed(4))),
    drawsPerSecond: Math.round((SAMPLES * RESAMPLES) / seconds),
    targetSeconds: 1,
    pass: seconds < 1,
    estimate: result.estimate,
    ci: [result.ci.lower, result.ci.upper],
    pValue: result.pValue,
    node: process.version,
  }),
);
