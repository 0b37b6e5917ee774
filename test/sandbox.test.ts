/**
 * The sandbox against one attack each: every attack must fail inside the sandbox and leave the machine as it was
 * (host files intact, no stray processes, nothing leaked). These tests need bubblewrap, prlimit and user
 * namespaces, as CI provides; without them they fail (the sandbox never falls back to running code unsandboxed).
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BoundedCapture } from "../src/sandbox/capture.js";
import { classify } from "../src/sandbox/classify.js";
import { buildCommand } from "../src/sandbox/command.js";
import { detectEnvironment } from "../src/sandbox/environment.js";
import {
  DEFAULT_LIMITS,
  resolveLimits,
  Sandbox,
  type SandboxRequest,
  SandboxRequestError,
  type SandboxResult,
  SandboxUnavailableError,
} from "../src/sandbox/index.js";

/** The machine's temp folder, where the tests put host files the sandbox must not reach. */
const HOST_TMP = tmpdir();
// Every sandbox folder of this file goes under a private TMPDIR, so the test can see that each run removes its own.
const privateTmp = mkdtempSync(join(HOST_TMP, "arbiter-sandbox-test-"));
chmodSync(privateTmp, 0o711); // the sandbox user (uid 65534 under root) must traverse it
process.env.TMPDIR = privateTmp;

const sandbox = new Sandbox({ concurrency: 2 });

/**
 * Attack programs get this extra argument, so that their processes (and their forks, which share the command line)
 * can be told from those of other test files running sandboxes at the same time.
 */
const RUN_TAG = `arbiter-attack-${randomBytes(6).toString("hex")}`;

function run(request: SandboxRequest): Promise<SandboxResult> {
  return sandbox.run({ ...request, args: [...(request.args ?? []), RUN_TAG] });
}

/** Host processes still running an attack program (a Python whose command line carries the tag). */
function strayProcesses(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (/python/.test(argv[0] ?? "") && argv.includes(RUN_TAG)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

async function expectNoStrayProcesses(): Promise<void> {
  const deadline = Date.now() + 3000;
  while (strayProcesses().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(strayProcesses()).toEqual([]);
}

/** The host can still start processes and its Python is where it was. */
function expectMachineUnharmed(): void {
  expect(execFileSync("/usr/bin/python3", ["-c", "print(6*7)"], { encoding: "utf8" }).trim()).toBe("42");
  expect(existsSync("/usr/bin/python3")).toBe(true);
  expect(existsSync("/etc/passwd")).toBe(true);
}

function json(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as Record<string, unknown>;
}

beforeAll(async () => {
  await sandbox.check();
}, 30_000);

afterAll(() => {
  expect(readdirSync(privateTmp)).toEqual([]); // every run removed its folder
  rmSync(privateTmp, { recursive: true, force: true });
});

describe("ordinary programs", () => {
  it("runs a passing program and captures its stdout", async () => {
    const r = await sandbox.run({ code: "print('hello', 6 * 7)" });
    expect(r).toMatchObject({ status: "passed", exitCode: 0, signal: null, stdout: "hello 42\n", stderr: "" });
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it("reports a failing program with its exit status and traceback", async () => {
    const r = await sandbox.run({ code: "import sys\nprint('before')\nraise ValueError('boom')" });
    expect(r.status).toBe("failed");
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("before\n");
    expect(r.stderr).toMatch(/ValueError: boom\n$/);
    const exit3 = await sandbox.run({ code: "import sys\nsys.exit(3)" });
    expect(exit3).toMatchObject({ status: "failed", exitCode: 3 });
  });

  it("reports a syntax error as a failure", async () => {
    const r = await sandbox.run({ code: "def f(:\n    pass\n" });
    expect(r.status).toBe("failed");
    expect(r.stderr).toContain("SyntaxError");
  });

  it("passes stdin, arguments and extra read-only files", async () => {
    const r = await sandbox.run({
      code: "import sys\nprint(sys.stdin.read().upper(), sys.argv[1:], open('/sandbox/data.txt').read())",
      stdin: "abc",
      args: ["x", "y z"],
      files: { "data.txt": "payload" },
    });
    expect(r.stdout).toBe("ABC ['x', 'y z'] payload\n");
  });

  it("runs the program as an unprivileged user with no capabilities", async () => {
    const r = await sandbox.run({
      code: [
        "import os, json",
        "caps = [l.split()[1] for l in open('/proc/self/status') if l.startswith('CapEff')][0]",
        "print(json.dumps({'uid': os.getuid(), 'euid': os.geteuid(), 'caps': caps}))",
      ].join("\n"),
    });
    const out = json(r.stdout);
    expect(out.uid).not.toBe(0);
    expect(out.euid).not.toBe(0);
    expect(out.caps).toBe("0000000000000000");
  });
});

describe("attacks", () => {
  it("rm -rf / and writes outside /tmp fail; the host is untouched and /tmp is private", async () => {
    const canaryDir = mkdtempSync(join(HOST_TMP, "canary-"));
    const canary = join(canaryDir, "canary.txt");
    writeFileSync(canary, "still here");
    chmodSync(canaryDir, 0o777);
    chmodSync(canary, 0o666);
    const program = `
import json, os, shutil, subprocess
writes = {}
for path in ["/x", "/usr/x", "/etc/x", "/sandbox/main.py", "/dev/x", ${JSON.stringify(canary)}, "/tmp/ok.txt"]:
    try:
        with open(path, "w") as f:
            f.write("pwned")
        writes[path] = "written"
    except OSError as e:
        writes[path] = e.strerror
# Guard: only go on to rm -rf when the root is read-only, as it must be.
if writes["/x"] == "written" or writes["/usr/x"] == "written":
    print(json.dumps({"unsafe": True, "writes": writes}))
    raise SystemExit(9)
rm = subprocess.run(["rm", "-rf", "--no-preserve-root", "/"], capture_output=True, text=True)
shutil.rmtree("/usr", ignore_errors=True)
print(json.dumps({"writes": writes, "rm": rm.returncode, "usr": os.path.exists("/usr/bin/python3"),
                  "tmp": sorted(os.listdir("/tmp"))}))
`;
    const r = await run({ code: program, limits: { wallTimeMs: 30_000 } });
    expect(r.status).toBe("passed");
    const out = json(r.stdout);
    expect(out.unsafe).toBeUndefined();
    const writes = out.writes as Record<string, string>;
    expect(writes["/x"]).toBe("Read-only file system");
    expect(writes["/usr/x"]).toBe("Read-only file system");
    expect(writes["/sandbox/main.py"]).not.toBe("written");
    expect(writes["/dev/x"]).toBe("Read-only file system");
    expect(writes[canary]).toBe("No such file or directory"); // the host's folders are not even visible
    expect(writes["/tmp/ok.txt"]).toBe("written"); // the private /tmp is writable…
    expect(out.rm).not.toBe(0);
    expect(out.usr).toBe(true);
    expect(readFileSync(canary, "utf8")).toBe("still here");
    // …and private: the file written there is not on the host, and the next run starts with an empty /tmp.
    expect(existsSync("/tmp/ok.txt") && readFileSync("/tmp/ok.txt", "utf8") === "pwned").toBe(false);
    const next = await run({ code: "import os\nprint(os.listdir('/tmp'))" });
    expect(next.stdout).toBe("[]\n");
    rmSync(canaryDir, { recursive: true, force: true });
    expectMachineUnharmed();
  });

  it("a fork bomb hits the process limit, is killed at the wall limit and leaves no process behind", async () => {
    // A polite bomb first: it counts how many processes it got before fork failed.
    const counting = await run({
      code: `
import os, time
children = 0
try:
    while True:
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        children += 1
except OSError as e:
    print(children, e.errno, flush=True)
    os.killpg(0, 9)
`,
      limits: { wallTimeMs: 5000, processes: 8 },
    });
    const [children, errno] = counting.stdout.trim().split(" ").map(Number);
    expect(errno).toBe(11); // EAGAIN: RLIMIT_NPROC
    expect(children).toBeLessThan(8);
    await expectNoStrayProcesses();

    // The classic bomb: every process forks forever and ignores the failures. A second sandbox, started while it
    // rages, still runs (the process limit is per sandbox, not shared by all sandboxes of the same user).
    const started = performance.now();
    const bomb = run({
      code: "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
      limits: { wallTimeMs: 3000 },
    });
    await new Promise((r) => setTimeout(r, 1000));
    const bystander = await run({ code: "print('alive')" });
    const r = await bomb;
    expect(bystander).toMatchObject({ status: "passed", stdout: "alive\n" });
    expect(r.status).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(8000);
    await expectNoStrayProcesses();
    expectMachineUnharmed();
  });

  it("network calls fail: a server on the host's loopback gets no connection, external IPs are unreachable", async () => {
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections++;
      socket.end("secret from host\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    // The test's own connection works: the server is really there.
    const probe = await promisify(execFile)("/usr/bin/python3", [
      "-c",
      `import socket; print(socket.create_connection(("127.0.0.1", ${port}), timeout=2).recv(100).decode())`,
    ]);
    expect(probe.stdout).toContain("secret from host");
    const before = connections;
    const program = `
import json, socket
results = {}
for name, addr in [("loopback", ("127.0.0.1", ${port})), ("cloudflare", ("1.1.1.1", 80)), ("google_dns", ("8.8.8.8", 53))]:
    try:
        s = socket.create_connection(addr, timeout=3)
        results[name] = "connected: " + s.recv(100).decode()
    except OSError as e:
        results[name] = type(e).__name__ + ": " + str(e.strerror)
try:
    results["dns"] = socket.gethostbyname("example.com")
except OSError as e:
    results["dns"] = type(e).__name__
results["interfaces"] = [name for _, name in socket.if_nameindex()]
print(json.dumps(results))
`;
    const r = await run({ code: program });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(r.status).toBe("passed");
    const out = json(r.stdout);
    expect(out.loopback).toBe("ConnectionRefusedError: Connection refused"); // its own empty loopback
    expect(out.cloudflare).toMatch(/^OSError: Network is unreachable/);
    expect(out.google_dns).toMatch(/^OSError: Network is unreachable/);
    expect(out.dns).toBe("gaierror");
    expect(out.interfaces).toEqual(["lo"]);
    expect(connections).toBe(before);
    expect(r.stdout).not.toContain("secret from host");
  });

  it("huge output is cut off: the run is killed at the output limit and the capture stays bounded", async () => {
    const limits = { outputBytes: 1024 * 1024, captureBytes: 64 * 1024 };
    const r = await run({ code: "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n", limits });
    expect(r.status).toBe("output_limit");
    expect(r.stdoutTruncated).toBe(true);
    expect(Buffer.byteLength(r.stdout)).toBeLessThan(64 * 1024 + 100);
    expect(r.stdout).toMatch(/…\[\d+ bytes omitted\]…/);
    expect(r.durationMs).toBeLessThan(5000);
    const err = await run({ code: "import sys\nwhile True:\n    sys.stderr.write('e' * 4096)\n", limits });
    expect(err.status).toBe("output_limit");
    expect(err.stderrTruncated).toBe(true);
    // Files are bounded too: one file by RLIMIT_FSIZE, the private /tmp by its size.
    const files = await run({
      code: `
import errno, os
def fill(path, total):
    try:
        with open(path, "wb") as f:
            for _ in range(total // 1048576):
                f.write(b"\\0" * 1048576)
        return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
big = fill("/tmp/big", 64 * 1048576)
os.remove("/tmp/big")
print(big, fill("/tmp/a", 12 * 1048576), fill("/tmp/b", 12 * 1048576))
`,
      limits: { fileSizeBytes: 16 * 1024 * 1024, tmpfsBytes: 20 * 1024 * 1024 },
    });
    expect(files.stdout.trim()).toBe("EFBIG ok ENOSPC");
    expectMachineUnharmed();
  });

  it("an endless loop is stopped by the CPU limit, and a sleeping one by the wall limit", async () => {
    const cpu = await run({ code: "while True:\n    pass\n", limits: { cpuSeconds: 1, wallTimeMs: 20_000 } });
    expect(cpu.status).toBe("timeout");
    expect(cpu.signal).toBe("SIGXCPU");
    expect(cpu.durationMs).toBeLessThan(10_000);
    const wall = await run({ code: "import time\ntime.sleep(60)\n", limits: { wallTimeMs: 1500 } });
    expect(wall.status).toBe("timeout");
    expect(wall.signal).toBe("SIGKILL");
    expect(wall.durationMs).toBeGreaterThanOrEqual(1400);
    expect(wall.durationMs).toBeLessThan(5000);
    await expectNoStrayProcesses();
  });

  it("a memory bomb runs out of its address space", async () => {
    const once = await run({ code: "x = bytearray(8 * 1024 ** 3)\n" });
    expect(once.status).toBe("oom");
    expect(once.stderr).toMatch(/MemoryError\s*$/);
    const growing = await run({
      code: "blocks = []\nwhile True:\n    blocks.append(bytearray(16 * 1024 * 1024))\n",
      limits: { memoryBytes: 256 * 1024 * 1024 },
    });
    expect(growing.status).toBe("oom");
    expectMachineUnharmed();
  });

  it("files outside the sandbox cannot be read: a secret under a host temp folder, /etc/shadow, the project", async () => {
    const secretDir = mkdtempSync(join(HOST_TMP, "secret-"));
    chmodSync(secretDir, 0o755);
    const secret = `secret-${randomBytes(8).toString("hex")}`;
    const secretFile = join(secretDir, "secret.txt");
    writeFileSync(secretFile, secret, { mode: 0o644 }); // world-readable on the host: only invisibility protects it
    const targets = [secretFile, "/etc/shadow", "/etc/passwd", join(process.cwd(), "package.json"), "/root/.bashrc"];
    const program = `
import json, os
out = {}
for path in ${JSON.stringify(targets)}:
    try:
        with open(path) as f:
            out[path] = "read: " + f.read(200)
    except OSError as e:
        out[path] = e.strerror
out["/"] = sorted(os.listdir("/"))
print(json.dumps(out))
`;
    const r = await run({ code: program });
    rmSync(secretDir, { recursive: true, force: true });
    const out = json(r.stdout);
    for (const path of targets) expect(out[path]).toBe("No such file or directory");
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
    // What the sandbox does see at its root: no /home, /root, /etc/shadow, /work, /var.
    expect(out["/"]).not.toContain("root");
    expect(out["/"]).not.toContain("home");
    expect(out["/"]).not.toContain("var");
  });

  it("the parent's environment variables are not visible", async () => {
    const sentinel = `sentinel-${randomBytes(8).toString("hex")}`;
    process.env.ARBITER_SANDBOX_SENTINEL = sentinel;
    try {
      const r = await run({
        code: `
import os
print(sorted(os.environ))
print(open("/proc/self/environ").read())
print(open("/proc/1/environ").read() if os.access("/proc/1/environ", os.R_OK) else "")
print(os.environ.get("ARBITER_SANDBOX_SENTINEL"))
`,
      });
      expect(r.status).toBe("passed");
      expect(r.stdout).not.toContain(sentinel);
      const names = (r.stdout.split("\n")[0] ?? "").match(/'(\w+)'/g) ?? [];
      for (const name of names) expect(["'HOME'", "'LANG'", "'LC_CTYPE'", "'PATH'", "'PWD'"]).toContain(name);
      expect(r.stdout.trim().split("\n").at(-1)).toBe("None");
    } finally {
      delete process.env.ARBITER_SANDBOX_SENTINEL;
    }
  });
});

describe("concurrency", () => {
  it("runs at most `concurrency` programs at once and queues the rest", async () => {
    const code = "import time\nstart = time.time()\ntime.sleep(0.4)\nprint(start, time.time())\n";
    const results = await Promise.all(Array.from({ length: 5 }, () => sandbox.run({ code })));
    const spans = results.map((r) => r.stdout.trim().split(" ").map(Number) as [number, number]);
    let most = 0;
    for (const [start] of spans) {
      const running = spans.filter(([s, e]) => s <= start && start < e).length;
      most = Math.max(most, running);
    }
    expect(most).toBeGreaterThanOrEqual(2);
    expect(most).toBeLessThanOrEqual(2);
  });

  it("defaults to the number of CPUs", async () => {
    const { availableParallelism } = await import("node:os");
    expect(new Sandbox().concurrency).toBe(availableParallelism());
    expect(() => new Sandbox({ concurrency: 0 })).toThrow(SandboxRequestError);
  });
});

describe("unavailable sandbox", () => {
  it("refuses a Python outside /usr, which the sandbox cannot see, saying why", async () => {
    const outside = new Sandbox({ python: "/opt/python/bin/python3" });
    await expect(outside.run({ code: "print(1)" })).rejects.toThrow(SandboxUnavailableError);
    await expect(outside.check()).rejects.toThrow(/must live under \/usr/);
  });

  it("names the package to install when the interpreter is missing, and runs nothing", async () => {
    const missing = new Sandbox({ python: "/usr/bin/python-not-installed" });
    await expect(missing.run({ code: "print(1)" })).rejects.toThrow(/install Python 3/);
  });

  it("rejects bad requests before running anything", async () => {
    await expect(sandbox.run({ code: "", files: { "../escape.py": "" } })).rejects.toThrow(SandboxRequestError);
    await expect(sandbox.run({ code: "", files: { "main.py": "" } })).rejects.toThrow(/not main.py/);
    await expect(sandbox.run({ code: "", limits: { memoryBytes: 1.5 } })).rejects.toThrow(/memoryBytes/);
  });
});

describe("pieces", () => {
  it("resolveLimits layers defaults, sandbox and request, the CPU limit following the wall limit", () => {
    expect(resolveLimits()).toEqual(DEFAULT_LIMITS);
    expect(resolveLimits({ memoryBytes: 1 << 30 }, { wallTimeMs: 2500 })).toMatchObject({
      memoryBytes: 1 << 30,
      wallTimeMs: 2500,
      cpuSeconds: 3,
    });
    expect(resolveLimits({ cpuSeconds: 7 }, { wallTimeMs: 2500 }).cpuSeconds).toBe(7);
    expect(() => resolveLimits({ processes: 1 })).toThrow(/processes must be an integer ≥ 2/);
  });

  it("builds an argument array with the isolation flags and the limits, and no shell", () => {
    const env = detectEnvironment();
    const { file, args } = buildCommand(env, "/tmp/dir", resolveLimits({ wallTimeMs: 3000 }), ["a b"]);
    expect(file).toMatch(/\/timeout$/);
    expect(args).not.toContain("sh");
    for (const flag of ["--unshare-all", "--disable-userns", "--die-with-parent", "--clearenv", "--new-session"]) {
      expect(args).toContain(flag);
    }
    expect(args.join(" ")).toContain("--ro-bind /tmp/dir /sandbox");
    expect(args.join(" ")).toContain("--remount-ro /dev --remount-ro /");
    expect(args).toContain("--cpu=3:4");
    expect(args).toContain("--nproc=8");
    expect(args.slice(-5)).toEqual([env.python, "-I", "-S", "/sandbox/main.py", "a b"]);
    if (process.getuid?.() === 0) expect(args).toContain("--reuid=65534");
  });

  it("BoundedCapture keeps the head and the tail and says how much it dropped", () => {
    const c = new BoundedCapture(10);
    c.push(Buffer.from("0123456789"));
    expect(c.truncated).toBe(false);
    expect(c.text()).toBe("0123456789");
    c.push(Buffer.from("abcdefghij"));
    expect(c.truncated).toBe(true);
    expect(c.total).toBe(20);
    expect(c.text()).toBe("01234\n…[10 bytes omitted]…\nfghij");
  });

  it("classify maps what was observed to a status", () => {
    const base = { killedFor: null, started: true, programStatus: 0, spawnError: null, stderr: "" } as const;
    expect(classify(base).status).toBe("passed");
    expect(classify({ ...base, programStatus: 1 })).toEqual({ status: "failed", exitCode: 1, signal: null });
    expect(classify({ ...base, programStatus: 128 + 24 })).toEqual({
      status: "timeout",
      exitCode: null,
      signal: "SIGXCPU",
    });
    expect(classify({ ...base, programStatus: 128 + 25 }).status).toBe("output_limit");
    expect(classify({ ...base, programStatus: 1, stderr: "Traceback…\nMemoryError\n" }).status).toBe("oom");
    expect(classify({ ...base, programStatus: null, killedFor: "wall" }).status).toBe("timeout");
    expect(classify({ ...base, programStatus: null, killedFor: "output" }).status).toBe("output_limit");
    expect(classify({ ...base, started: false, programStatus: null, stderr: "bwrap: …" }).status).toBe("error");
    expect(classify({ ...base, spawnError: "ENOENT" }).status).toBe("error");
    expect(classify({ ...base, programStatus: 128 + 6 })).toEqual({
      status: "failed",
      exitCode: null,
      signal: "SIGABRT",
    });
  });
});
