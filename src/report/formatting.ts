/**
 * How figures read in reports and on the dashboard (pure: the browser bundle imports this file too). Unknown values
 * read as "unknown" or "-", never as 0.
 */

/** A score: a percentage with one decimal for 0/1 scores, else the metric's own scale with two decimals. */
export function formatScore(value: number | null | undefined, binary: boolean): string {
  if (value === null || value === undefined) return "-";
  return binary ? `${(value * 100).toFixed(1)}%` : value.toFixed(2);
}

/** A score with its interval: "72.0% [65.1, 78.0]". */
export function formatScoreCi(
  value: number | null | undefined,
  ci: { lower: number; upper: number } | null | undefined,
  binary: boolean,
): string {
  const main = formatScore(value, binary);
  if (!ci || value === null || value === undefined) return main;
  const f = (v: number) => (binary ? (v * 100).toFixed(1) : v.toFixed(2));
  return `${main} [${f(ci.lower)}, ${f(ci.upper)}]`;
}

/** Money: enough significant digits for fractions of a cent, "unknown" when it could not be priced. */
export function formatMoney(value: number | null | undefined, currency?: string, partial = false): string {
  if (value === null || value === undefined) return "unknown";
  const symbol = currency === "CNY" ? "¥" : currency === "USD" ? "$" : "";
  const digits = value === 0 ? "0" : Math.abs(value) < 0.01 ? value.toPrecision(3) : value.toFixed(4);
  return `${symbol}${digits}${partial ? "+?" : ""}`;
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return "-";
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

export function formatRate(value: number | null | undefined): string {
  return value === null || value === undefined ? "-" : value.toFixed(1);
}

/** A signed difference of scores in points (percentage points for 0/1 scores). */
export function formatDifference(value: number, binary: boolean): string {
  const v = binary ? value * 100 : value;
  return `${v >= 0 ? "+" : ""}${v.toFixed(binary ? 1 : 2)}`;
}

export function formatP(p: number): string {
  if (p < 0.0001) return "<0.0001";
  return p.toPrecision(2);
}

/** Only http(s) URLs become links; anything else (javascript:, data:, …) is shown as text. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A sample's target as stored (JSON: a string or a list of accepted answers) as plain text. */
export function targetText(targetJson: string): string {
  try {
    const t = JSON.parse(targetJson) as unknown;
    if (Array.isArray(t)) return t.map(String).join(" | ");
    return String(t);
  } catch {
    return targetJson;
  }
}

/** The prompt of a stored request (the last user message's text), for a one-line view. */
export function promptText(inputJson: string): string {
  try {
    const messages = JSON.parse(inputJson) as { role: string; content: string }[];
    const users = messages.filter((m) => m.role === "user");
    return String((users.at(-1) ?? messages.at(-1))?.content ?? "");
  } catch {
    return inputJson;
  }
}

/** Text made safe inside HTML (the report's markup, ECharts tooltips, whose formatters return HTML). */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
