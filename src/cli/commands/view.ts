import { existsSync } from "node:fs";
import { UsageError } from "../errors.js";
import { storePath } from "../store-path.js";

export interface ViewFlags {
  port?: number;
  host?: string;
  db?: string;
}

const DEFAULT_VIEW_PORT = 7357;

/** `arbiter view`: serves the dashboard over the store until Ctrl-C. */
export async function viewCommand(flags: ViewFlags): Promise<void> {
  const path = storePath(flags.db);
  if (!existsSync(path)) {
    throw new UsageError(`no store at ${path} (run arbiter run first, or point --db at a store file)`);
  }
  // The server (hono, the query modules) loads only for this command.
  const { startWebServer } = await import("../../web/server.js");
  const { AssetsMissingError } = await import("../../web/assets.js");
  const port = flags.port ?? DEFAULT_VIEW_PORT;
  let server: Awaited<ReturnType<typeof startWebServer>>;
  try {
    server = await startWebServer({ dbPath: path, port, ...(flags.host ? { host: flags.host } : {}) });
  } catch (error) {
    if (error instanceof AssetsMissingError) throw new UsageError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UsageError(`port ${port} is in use: pick another with --port (0 for any)`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
      throw new UsageError(`--host ${flags.host}: not an address of this machine`);
    }
    throw error;
  }
  process.stdout.write(`Arbiter dashboard: ${server.url}/  (store ${path}; Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
}
