import { UsageError } from "./errors.js";

/** A date (midnight UTC) or a date-time from the command line. */
export function parseDate(text: string, flag: string): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`${flag} "${text}": expected a date like 2025-02-10 or 2025-02-10T17:00:00Z`);
  }
  return date;
}
