import type { RunListItem } from "../../../src/web/api-types.js";
import { useApi } from "../api";
import { type Column, SortableTable } from "../components/SortableTable";
import { ErrorNote, Link, Loading, Note } from "../components/ui";

const columns: Column<RunListItem>[] = [
  {
    key: "id",
    label: "run",
    sort: (r) => r.id,
    render: (r) => <Link to={`/runs/${encodeURIComponent(r.id)}`}>{r.id}</Link>,
  },
  { key: "status", label: "status", sort: (r) => r.status, render: (r) => r.status },
  {
    key: "done",
    label: "samples",
    numeric: true,
    sort: (r) => r.done,
    render: (r) =>
      `${r.done.toLocaleString("en-US")}${r.totalItems ? ` / ${r.totalItems.toLocaleString("en-US")}` : ""}`,
  },
  {
    key: "created",
    label: "started (UTC)",
    sort: (r) => r.createdAt,
    render: (r) => r.createdAt.replace("T", " ").slice(0, 19),
  },
  { key: "models", label: "models", render: (r) => r.models.join(", ") },
  { key: "tasks", label: "tasks", render: (r) => r.tasks.join(", ") },
];

export function Runs() {
  const runs = useApi<RunListItem[]>("/api/runs");
  if (runs.error) return <ErrorNote error={runs.error} />;
  if (!runs.data) return <Loading what="runs" />;
  return (
    <section>
      <h1>Runs</h1>
      {runs.data.length === 0 ? (
        <Note>No runs in this store yet: start one with arbiter run.</Note>
      ) : (
        <SortableTable
          label="runs"
          rows={runs.data}
          columns={columns}
          rowKey={(r) => r.id}
          initial={{ key: "created", direction: "descending" }}
        />
      )}
    </section>
  );
}
