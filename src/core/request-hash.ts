import { createHash } from "node:crypto";
import type { ChatMessage, GenerationSettings } from "./types.js";

/**
 * The response-cache key: the same provider endpoint, model, settings, messages and epoch give the same hash.
 * Settings are canonicalised (sorted keys, undefined dropped) so that key order in a config does not matter.
 */
export function requestHash(parts: {
  provider: string;
  endpoint: string;
  model: string;
  settings: GenerationSettings;
  messages: ChatMessage[];
  epoch: number;
}): string {
  const settings = Object.fromEntries(
    Object.entries(parts.settings)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const messages = parts.messages.map((m) => [m.role, m.content]);
  const key = JSON.stringify([parts.provider, parts.endpoint, parts.model, settings, messages, parts.epoch]);
  return createHash("sha256").update(key).digest("hex");
}
