import { UsageError } from "../errors.js";
import { formatRuns, formatSummary } from "../format.js";
import { summaryJSON } from "../json.js";
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

export async function showCommand(runId: string, options: { json?: boolean; db?: string }): Promise<void> {
  const store = await openStore(options.db);
  try {
    const summary = await store.summary(runId);
    if (!summary) throw new UsageError(`no run "${runId}" in the store (see: arbiter runs)`);
    process.stdout.write(
      options.json ? `${JSON.stringify(summaryJSON(summary), null, 2)}\n` : `${formatSummary(summary)}\n`,
    );
  } finally {
    await store.close();
  }
}
