import { Store } from "../store/store.js";

export const DEFAULT_DB = ".arbiter/arbiter.db";

export function storePath(flag?: string, fromConfig?: string): string {
  return flag ?? (process.env.ARBITER_DB || undefined) ?? fromConfig ?? DEFAULT_DB;
}

export function openStore(flag?: string, fromConfig?: string): Promise<Store> {
  return Store.open(storePath(flag, fromConfig));
}
