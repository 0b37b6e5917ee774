import { UsageError } from "../errors.js";
import { formatRuns } from "../format.js";
import { printReport, reportFor } from "../report.js";
import { openStore } from "../store-path.js";

export async function runsCommand(options: { json?: boolean; limit?: number; db?: string }): Promise<void> {
  const store = await openStore(options.db);
  try {
    const runs = await store.listRuns(options.limit ?? 50);
    process.stdout.write(options.json ? `${JSON.stringify(runs, null, 2)}\n` : `${formatRuns(runs)}\n`);
  } finally {
    await store.close();
  }
}

export async function showCommand(
  runId: string,
  options: { json?: boolean; db?: string; currency?: string },
): Promise<void> {
  const store = await openStore(options.db);
  try {
    const report = await reportFor(store, runId, options.currency);
    if (!report) throw new UsageError(`no run "${runId}" in the store (see: arbiter runs)`);
    printReport(report, options.json);
  } finally {
    await store.close();
  }
}
