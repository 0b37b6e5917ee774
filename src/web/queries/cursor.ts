/**
 * Page cursors: the key of the row a page starts after (or ends before), as opaque URL-safe text. A cursor that
 * does not decode to the expected shape is refused rather than guessed at.
 */

export class CursorError extends Error {
  override name = "CursorError";
}

export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

export function decodeCursor<T>(cursor: string | undefined, valid: (v: unknown) => v is T): T | null {
  if (cursor === undefined || cursor === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new CursorError(`cursor "${cursor.slice(0, 40)}": not a page cursor from this server`);
  }
  if (!valid(value)) throw new CursorError(`cursor "${cursor.slice(0, 40)}": not a page cursor from this server`);
  return value;
}
