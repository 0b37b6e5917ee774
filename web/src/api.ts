/** Typed calls to the dashboard's JSON API, with loading and error state for components. */
import { useEffect, useRef, useState } from "react";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, headers: { Accept: "application/json" } });
  const body = (await response.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!response.ok) throw new ApiError(body?.error ?? `${response.status} ${response.statusText}`, response.status);
  return body as T;
}

/** POSTs JSON; the server's error message (e.g. a claims file's line) becomes the thrown error's message. */
export async function postJson<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    signal,
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!response.ok) throw new ApiError(parsed?.error ?? `${response.status} ${response.statusText}`, response.status);
  return parsed as T;
}

export type Loaded<T, M = undefined> = {
  data: T | null;
  /** The `meta` given with the request whose data is shown (e.g. the page offset of a page of rows). */
  meta: M | undefined;
  error: string | null;
  loading: boolean;
};

/**
 * Fetches `url` whenever it changes (null: nothing to fetch); a newer request cancels the older one. `meta` travels
 * with the request and comes back with its data, so that what is drawn beside the data (a page's row numbers)
 * always matches the data on screen, not the request still loading.
 */
export function useApi<T, M = undefined>(url: string | null, meta?: M): Loaded<T, M> {
  const [state, setState] = useState<Loaded<T, M> & { url: string | null }>({
    data: null,
    meta: undefined,
    error: null,
    loading: url !== null,
    url,
  });
  const metaRef = useRef(meta);
  metaRef.current = meta;
  useEffect(() => {
    if (url === null) return;
    const controller = new AbortController();
    const requestMeta = metaRef.current;
    setState((s) => ({ ...s, loading: true, error: null, url }));
    getJson<T>(url, controller.signal).then(
      (data) => setState({ data, meta: requestMeta, error: null, loading: false, url }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ data: null, meta: undefined, error: (error as Error).message, loading: false, url });
      },
    );
    return () => controller.abort();
  }, [url]);
  // Data of an earlier URL stays on screen while the next loads (no flash of an empty table).
  return { data: state.data, meta: state.meta, error: state.error, loading: state.loading || state.url !== url };
}

export function apiUrl(path: string, params: Record<string, string | number | undefined | null> = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") search.set(k, String(v));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}
