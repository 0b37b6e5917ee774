import { hubFile } from "./download.js";
import { parseHubRef } from "./ref.js";
import type { HubOptions } from "./settings.js";

// llama.cpp's split GGUF naming: the first shard is loaded and finds the others beside it.
const SHARD = /^(.*)-00001-of-(\d{5})\.gguf$/;

/**
 * `hf:owner/repo[@revision]/path/model.gguf` → the GGUF file in the cache, downloaded first if need be. For a split
 * model (`…-00001-of-00003.gguf`) every shard is fetched, from the same commit, into the same folder.
 */
export async function hubModelFile(reference: string, options: HubOptions = {}): Promise<string> {
  const ref = parseHubRef(reference, "model");
  const first = await hubFile(ref, options);
  const shard = SHARD.exec(ref.path);
  if (shard) {
    const count = Number(shard[2]);
    const revision = first.commit ?? ref.revision;
    for (let i = 2; i <= count; i++) {
      const path = `${shard[1]}-${String(i).padStart(5, "0")}-of-${shard[2]}.gguf`;
      await hubFile({ ...ref, path, ...(revision === undefined ? {} : { revision }) }, options);
    }
  }
  return first.path;
}
