import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";

/** Migrations live in code so that the published package carries them; each one is append-only. */
const migrations: Record<string, Migration> = {
  "0001_initial": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("runs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("ended_at", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("tool_version", "text", (c) => c.notNull())
        .addColumn("spec_json", "text", (c) => c.notNull())
        .addColumn("total_items", "integer")
        .execute();

      await db.schema
        .createTable("samples")
        .addColumn("run_id", "text", (c) => c.notNull().references("runs.id").onDelete("cascade"))
        .addColumn("item_key", "text", (c) => c.notNull())
        .addColumn("model", "text", (c) => c.notNull())
        .addColumn("task", "text", (c) => c.notNull())
        .addColumn("sample_id", "text", (c) => c.notNull())
        .addColumn("epoch", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("error_class", "text")
        .addColumn("error_message", "text")
        .addColumn("input_json", "text", (c) => c.notNull())
        .addColumn("target_json", "text", (c) => c.notNull())
        .addColumn("request_hash", "text", (c) => c.notNull())
        .addColumn("final_attempt_id", "integer")
        .addColumn("cached", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("calls", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("completed_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("samples_pk", ["run_id", "item_key"])
        .execute();

      await db.schema
        .createTable("attempts")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("run_id", "text", (c) => c.notNull().references("runs.id").onDelete("cascade"))
        .addColumn("item_key", "text", (c) => c.notNull())
        .addColumn("attempt_no", "integer", (c) => c.notNull())
        .addColumn("provider", "text", (c) => c.notNull())
        .addColumn("model", "text", (c) => c.notNull())
        .addColumn("reported_model", "text")
        .addColumn("request_hash", "text", (c) => c.notNull())
        .addColumn("started_at", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("error_class", "text")
        .addColumn("error_message", "text")
        .addColumn("http_status", "integer")
        .addColumn("output", "text")
        .addColumn("reasoning", "text")
        .addColumn("finish_reason", "text")
        .addColumn("input_tokens", "integer")
        .addColumn("cached_input_tokens", "integer")
        .addColumn("cache_write_tokens", "integer")
        .addColumn("output_tokens", "integer")
        .addColumn("reasoning_tokens", "integer")
        .addColumn("usage_raw_json", "text")
        .addColumn("latency_ms", "real", (c) => c.notNull())
        .addColumn("ttft_ms", "real")
        .addColumn("ttfat_ms", "real")
        .addColumn("output_tps", "real")
        .execute();
      await db.schema.createIndex("attempts_run").on("attempts").columns(["run_id", "item_key"]).execute();
      // The response cache: successful attempts looked up by request hash.
      await db.schema
        .createIndex("attempts_cache")
        .on("attempts")
        .columns(["request_hash"])
        .where(sql.ref("status"), "=", "ok")
        .execute();

      await db.schema
        .createTable("scores")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("run_id", "text", (c) => c.notNull().references("runs.id").onDelete("cascade"))
        .addColumn("item_key", "text", (c) => c.notNull())
        .addColumn("scorer", "text", (c) => c.notNull())
        .addColumn("value", "real", (c) => c.notNull())
        .addColumn("answer", "text")
        .addColumn("explanation", "text")
        .execute();
      await db.schema.createIndex("scores_item").on("scores").columns(["run_id", "item_key"]).execute();
    },
  },
  // Judges and conversations: an attempt is the model under test's or the judge's, at a turn of the conversation;
  // a multi-turn sample keeps every answer so that the run can be replayed and re-scored.
  "0002_judge_and_turns": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("attempts")
        .addColumn("role", "text", (c) => c.notNull().defaultTo("model"))
        .execute();
      await db.schema
        .alterTable("attempts")
        .addColumn("turn", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable("samples").addColumn("turns_json", "text").execute();
      // The sample's group (MMLU subject, MMLU-Pro category): per-category results and clustered intervals.
      await db.schema.alterTable("samples").addColumn("category", "text").execute();
    },
  },
  // A run's samples by model × task × sample: pages of the dashboard's run detail in that order (keyset, no sort),
  // counts by model, task and status from the index alone, and one model's sample found beside another's for
  // paired comparisons. Without it a 100k-sample run is scanned (or worse, joined quadratically) on every page.
  "0003_samples_by_group": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex("samples_by_group")
        .on("samples")
        .columns(["run_id", "model", "task", "sample_id", "epoch", "status"])
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ""} failed: ${(error as Error)?.message ?? error}`);
  }
}
