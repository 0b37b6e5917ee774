/**
 * Keyset paging: first / previous / next. The server pages by cursor (the key of the row a page starts after or ends
 * before), so "rows X–Y of N" comes from the offset the client kept beside the cursor in the URL.
 */
export interface PageLinks {
  rows: unknown[];
  total: number;
  next: string | null;
  prev: string | null;
}

export type PageChange = Record<"after" | "before" | "o", string | undefined>;

export function Pager({
  page,
  offset,
  pageSize,
  busy,
  onChange,
}: {
  page: PageLinks;
  /** Rows before this page (of the page on screen, not of one still loading). */
  offset: number;
  pageSize: number;
  busy: boolean;
  onChange: (change: PageChange) => void;
}) {
  const shown = page.rows.length;
  const from = shown === 0 ? 0 : offset + 1;
  const hasPrev = page.prev !== null;
  const hasNext = page.next !== null;
  return (
    <div className="pager" aria-busy={busy}>
      <button
        type="button"
        onClick={() => onChange({ after: undefined, before: undefined, o: undefined })}
        disabled={!hasPrev}
      >
        « First
      </button>
      <button
        type="button"
        onClick={() =>
          onChange({ before: page.prev ?? undefined, after: undefined, o: String(Math.max(0, offset - pageSize)) })
        }
        disabled={!hasPrev}
      >
        ‹ Previous
      </button>
      <span className="range" data-testid="range">
        {from.toLocaleString("en-US")}–{(offset + shown).toLocaleString("en-US")} of{" "}
        {page.total.toLocaleString("en-US")}
      </span>
      <button
        type="button"
        onClick={() => onChange({ after: page.next ?? undefined, before: undefined, o: String(offset + shown) })}
        disabled={!hasNext}
      >
        Next ›
      </button>
    </div>
  );
}
