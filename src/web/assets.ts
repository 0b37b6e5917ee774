/**
 * The built dashboard (Vite's output: index.html and hashed files under assets/), served from disk. Any path that
 * is not a file is the single-page app's own route and gets index.html. Paths are resolved inside the assets
 * folder only: "..", encoded or not, never leaves it.
 */
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * dist/web/app of this package: src/web and dist/web both sit two levels below the package root, so this resolves
 * the same from source (tsx, vitest) and from the build.
 */
export const DEFAULT_ASSETS_DIR: string = fileURLToPath(new URL("../../dist/web/app/", import.meta.url));

export class AssetsMissingError extends Error {
  override name = "AssetsMissingError";
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

export interface Asset {
  body: Buffer;
  type: string;
  /** Hashed file names never change content: cache them for a year. */
  immutable: boolean;
}

export class Assets {
  private constructor(
    private readonly root: string,
    private readonly index: Buffer,
  ) {}

  static async open(dir: string = DEFAULT_ASSETS_DIR): Promise<Assets> {
    const root = resolve(dir);
    let index: Buffer;
    try {
      index = await readFile(join(root, "index.html"));
    } catch {
      throw new AssetsMissingError(
        `the dashboard is not built (no ${join(root, "index.html")}): run npm run build:web (or npm run build)`,
      );
    }
    return new Assets(root, index);
  }

  /** The file at a URL path, or index.html for the app's routes; null for a missing file under /assets/. */
  async get(urlPath: string): Promise<Asset | null> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    const file = resolve(this.root, `.${decoded}`);
    if (file.startsWith(this.root + sep) && extname(file) !== "") {
      try {
        if ((await stat(file)).isFile()) {
          return {
            body: await readFile(file),
            type: TYPES[extname(file)] ?? "application/octet-stream",
            immutable: decoded.startsWith("/assets/"),
          };
        }
      } catch {
        // not a file: fall through
      }
      // A missing script or stylesheet must not be answered with the page (it would run as the wrong type).
      if (decoded.startsWith("/assets/")) return null;
    }
    return { body: this.index, type: TYPES[".html"] as string, immutable: false };
  }
}
