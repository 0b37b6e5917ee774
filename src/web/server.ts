/**
 * `arbiter view`: the dashboard's HTTP server over a store file. Listens on 127.0.0.1 by default (this machine
 * only); on a loopback address it answers only requests addressed to localhost or the address itself.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { Assets, DEFAULT_ASSETS_DIR } from "./assets.js";
import { WebContext } from "./context.js";

export interface WebServerOptions {
  dbPath: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  assetsDir?: string;
  catalogDir?: string;
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? "127.0.0.1";
  const assets = await Assets.open(options.assetsDir ?? DEFAULT_ASSETS_DIR);
  const ctx = await WebContext.open(options.dbPath, options.catalogDir);
  const allowedHosts = LOOPBACK.has(host) ? new Set(["localhost", "127.0.0.1", "[::1]"]) : null;
  const app = createApp(ctx, assets, { allowedHosts });
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: options.port, hostname: host }, () => resolve(s));
      s.once("error", reject);
    });
  } catch (error) {
    await ctx.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    port: address.port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections from a browser would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await ctx.close();
    },
  };
}
