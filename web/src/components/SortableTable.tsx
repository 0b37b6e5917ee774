import { type ReactNode, useMemo, useState } from "react";

export interface Column<T> {
  key: string;
  label: ReactNode;
  /** What the column sorts by; unknown values (null) sort last either way. */
  sort?: (row: T) => number | string | null;
  render: (row: T) => ReactNode;
  numeric?: boolean;
  title?: string;
}

type Direction = "ascending" | "descending";

/** A table whose columns sort on a click of their header (again to reverse). */
export function SortableTable<T>({
  rows,
  columns,
  rowKey,
  initial,
  label,
}: {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  initial?: { key: string; direction: Direction };
  label: string;
}) {
  const [order, setOrder] = useState<{ key: string; direction: Direction } | null>(initial ?? null);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === order?.key);
    if (!order || !column?.sort) return rows;
    const f = column.sort;
    const sign = order.direction === "ascending" ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = f(a);
      const y = f(b);
      if (x === null && y === null) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : x > y ? 1 : 0) * sign;
    });
  }, [rows, columns, order]);
  const toggle = (key: string) =>
    setOrder((o) =>
      o?.key === key
        ? { key, direction: o.direction === "ascending" ? "descending" : "ascending" }
        : { key, direction: columns.find((c) => c.key === key)?.numeric ? "descending" : "ascending" },
    );
  return (
    <table className="data" aria-label={label}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th
              key={c.key}
              className={c.numeric ? "num" : undefined}
              aria-sort={order?.key === c.key ? order.direction : "none"}
              title={c.title}
            >
              {c.sort ? (
                <button type="button" className="sort" onClick={() => toggle(c.key)} data-column={c.key}>
                  {c.label}
                  <span className="arrow">
                    {order?.key === c.key ? (order.direction === "ascending" ? " ▲" : " ▼") : ""}
                  </span>
                </button>
              ) : (
                c.label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={rowKey(r)}>
            {columns.map((c) => (
              <td key={c.key} className={c.numeric ? "num" : undefined}>
                {c.render(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
