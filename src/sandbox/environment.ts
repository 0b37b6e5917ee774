/**
 * What the sandbox needs from the machine: bubblewrap, util-linux's prlimit and setpriv, coreutils' timeout and a
 * system Python under /usr. Finding them is separate from using them so that a missing piece is reported once,
 * with what to install, before any program is run.
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants, lstatSync, readlinkSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { SandboxUnavailableError } from "./types.js";

export interface SandboxTools {
  bwrap: string;
  prlimit: string;
  timeout: string;
  /** Present when the sandbox starts as root and must drop to an unprivileged user first. */
  setpriv: string | null;
}

export interface SandboxEnvironment {
  tools: SandboxTools;
  /** The Python interpreter, a path under /usr (the only tree of the host the sandbox sees, read-only). */
  python: string;
  /** The user the program runs as when we start as root; null when we are already unprivileged. */
  dropTo: { uid: number; gid: number } | null;
  /** Top-level entries (/bin, /lib, /lib64…) as the host has them: a symlink into /usr, or a directory. */
  rootEntries: RootEntry[];
}

export type RootEntry = { path: string; symlinkTo: string } | { path: string; directory: true };

export interface EnvironmentOptions {
  /** Python interpreter; default /usr/bin/python3 (not the PATH's python3, which may be a version-manager shim). */
  python?: string;
  /** The unprivileged user to run as when started as root; default 65534 (nobody). */
  user?: { uid: number; gid: number };
}

/** Debian/Ubuntu package names in the advice; other distributions name them alike. */
const PACKAGES: Record<keyof SandboxTools, string> = {
  bwrap: "bubblewrap",
  prlimit: "util-linux",
  setpriv: "util-linux",
  timeout: "coreutils",
};

/** System directories first, so that a shim earlier on PATH cannot stand in for a system tool. */
const SYSTEM_DIRS = ["/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"];

const ROOT_ENTRIES = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** An executable by name: system directories, then PATH. Null when absent. */
export function findExecutable(name: string): string | null {
  const pathDirs = (process.env.PATH ?? "").split(delimiter).filter((d) => isAbsolute(d));
  for (const dir of [...SYSTEM_DIRS, ...pathDirs]) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function hostRootEntries(): RootEntry[] {
  const entries: RootEntry[] = [];
  for (const path of ROOT_ENTRIES) {
    try {
      const stat = lstatSync(path);
      // Merged-/usr hosts have /lib -> usr/lib: recreate the link rather than bind a second copy.
      if (stat.isSymbolicLink()) entries.push({ path, symlinkTo: readlinkSync(path) });
      else if (stat.isDirectory()) entries.push({ path, directory: true });
    } catch {
      // Absent on this host (e.g. /libx32): nothing to mount.
    }
  }
  return entries;
}

/** --disable-userns, used to stop the program from making namespaces of its own, came in bubblewrap 0.8.0. */
const MIN_BWRAP = [0, 8, 0] as const;

function checkBwrapVersion(bwrap: string): void {
  let said: string;
  try {
    said = execFileSync(bwrap, ["--version"], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" }, timeout: 10_000 });
  } catch (err) {
    throw new SandboxUnavailableError(`cannot run ${bwrap} --version: ${(err as Error).message}`);
  }
  const version = /(\d+)\.(\d+)\.(\d+)/.exec(said)?.slice(1).map(Number) ?? [];
  const [major = 0, minor = 0, patch = 0] = version;
  const [wantMajor, wantMinor, wantPatch] = MIN_BWRAP;
  const tooOld = major !== wantMajor ? major < wantMajor : minor !== wantMinor ? minor < wantMinor : patch < wantPatch;
  if (version.length !== 3 || tooOld) {
    throw new SandboxUnavailableError(
      `bubblewrap ${MIN_BWRAP.join(".")} or newer is needed (${bwrap} says ${JSON.stringify(said.trim())}); ` +
        "install a newer bubblewrap (Debian 12, Ubuntu 24.04 and later ship one)",
    );
  }
}

/**
 * Finds what the sandbox needs, or throws {@link SandboxUnavailableError} naming what is missing and the package
 * that provides it. Whether user namespaces work is only known by trying (see the probe in sandbox.ts).
 */
export function detectEnvironment(options: EnvironmentOptions = {}): SandboxEnvironment {
  if (process.platform !== "linux") {
    throw new SandboxUnavailableError(
      `running generated code needs Linux with bubblewrap (this is ${process.platform}); run Arbiter on Linux, ` +
        "e.g. in a Debian container with `apt-get install bubblewrap util-linux python3`",
    );
  }
  const root = isRoot();
  const wanted: (keyof SandboxTools)[] = root
    ? ["bwrap", "prlimit", "timeout", "setpriv"]
    : ["bwrap", "prlimit", "timeout"];
  const found: Partial<Record<keyof SandboxTools, string>> = {};
  const missing: string[] = [];
  for (const tool of wanted) {
    const path = findExecutable(tool);
    if (path === null) missing.push(`${tool} (package ${PACKAGES[tool]})`);
    else found[tool] = path;
  }
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((m) => /package ([\w-]+)/.exec(m)?.[1] ?? ""))].join(" ");
    throw new SandboxUnavailableError(
      `cannot sandbox generated code: ${missing.join(", ")} not found; install with \`apt-get install ${packages}\` ` +
        "(Debian/Ubuntu) or your distribution's equivalent. Generated code is never run without the sandbox.",
    );
  }
  checkBwrapVersion(found.bwrap as string);
  // prlimit runs inside the sandbox, which sees only /usr and the top-level links and directories into it.
  if (found.prlimit !== undefined && !/^\/(?:usr|bin|sbin)\//.test(found.prlimit)) {
    throw new SandboxUnavailableError(
      `prlimit was found at ${found.prlimit}, outside /usr where the sandbox can run it; install util-linux`,
    );
  }
  const python = options.python ?? "/usr/bin/python3";
  if (!python.startsWith("/usr/")) {
    throw new SandboxUnavailableError(
      `the sandbox shows the program only /usr of the host, so the Python interpreter must live under /usr; got ${python}`,
    );
  }
  if (!isExecutable(python)) {
    throw new SandboxUnavailableError(
      `cannot sandbox generated code: ${python} not found; install Python 3 (\`apt-get install python3\`)`,
    );
  }
  const user = options.user ?? { uid: 65534, gid: 65534 };
  for (const [key, id] of Object.entries(user)) {
    if (!Number.isInteger(id) || id <= 0 || id > 4_294_967_294) {
      throw new SandboxUnavailableError(`sandbox user: ${key} must be an unprivileged id (1–4294967294), got ${id}`);
    }
  }
  return {
    tools: {
      bwrap: found.bwrap as string,
      prlimit: found.prlimit as string,
      timeout: found.timeout as string,
      setpriv: root ? (found.setpriv as string) : null,
    },
    python,
    dropTo: root ? user : null,
    rootEntries: hostRootEntries(),
  };
}
