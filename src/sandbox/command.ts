/**
 * The command line of one sandboxed run, as an argument array (never a shell string: nothing here is parsed by a
 * shell, so no content can inject a command).
 *
 *   timeout --kill-after=1 W+2                       a backstop should Node's own wall timer not fire
 *   setpriv --reuid U --regid G --clear-groups        only when started as root: RLIMIT_NPROC does not bind root
 *           --inh-caps=-all --no-new-privs
 *   bwrap  --unshare-all --unshare-user --disable-userns   no network (own empty net namespace), own pids, ipc, uts
 *          --ro-bind /usr /usr  (+ /bin, /lib… as on the host)   the only host files visible, read-only
 *          --ro-bind DIR /sandbox                      the program, read-only
 *          --size T --tmpfs /tmp, --size T --tmpfs /dev/shm       the only writable places, bounded, private
 *          --proc /proc --dev /dev --remount-ro /dev --remount-ro /
 *          --clearenv --setenv PATH … HOME /tmp        none of the parent's environment
 *          --die-with-parent --new-session --cap-drop ALL --json-status-fd 3
 *     prlimit --cpu=C:C+1 --as=M --nproc=P --fsize=F --nofile=N --core=0   inside the namespaces, so that the
 *             process count is this sandbox's own, not every sandbox's running as the same user
 *       python3 -I -S /sandbox/main.py ARGS          isolated mode: no user site, no PYTHON* variables
 *
 * (After the recipe in the project's DEPENDENCIES.md, "Sandboxing untrusted generated code".)
 */
import type { SandboxEnvironment } from "./environment.js";
import type { SandboxLimits } from "./types.js";

/** Where the program's folder appears inside the sandbox. */
export const SANDBOX_DIR = "/sandbox";
/** The file descriptor on which bubblewrap reports the child's pid and exit code (JSON). */
export const STATUS_FD = 3;

export interface SandboxCommand {
  file: string;
  args: string[];
}

export function buildCommand(
  env: SandboxEnvironment,
  hostDir: string,
  limits: SandboxLimits,
  scriptArgs: readonly string[],
): SandboxCommand {
  const backstopSeconds = Math.ceil(limits.wallTimeMs / 1000) + 2;
  const args: string[] = ["--kill-after=1", String(backstopSeconds)];
  if (env.dropTo !== null && env.tools.setpriv !== null) {
    args.push(
      env.tools.setpriv,
      `--reuid=${env.dropTo.uid}`,
      `--regid=${env.dropTo.gid}`,
      "--clear-groups",
      "--inh-caps=-all",
      "--no-new-privs",
      "--",
    );
  }
  args.push(env.tools.bwrap, "--unshare-all", "--unshare-user", "--disable-userns");
  args.push("--ro-bind", "/usr", "/usr");
  for (const entry of env.rootEntries) {
    if ("symlinkTo" in entry) args.push("--symlink", entry.symlinkTo, entry.path);
    else args.push("--ro-bind", entry.path, entry.path);
  }
  // Some Pythons resolve through the alternatives system; the loader cache only speeds start-up.
  args.push("--ro-bind-try", "/etc/alternatives", "/etc/alternatives");
  args.push("--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache");
  args.push("--ro-bind", hostDir, SANDBOX_DIR);
  args.push("--proc", "/proc", "--dev", "/dev");
  const tmpfs = String(limits.tmpfsBytes);
  // --size applies to the --tmpfs that follows it; /dev/shm is remounted apart so multiprocessing still works.
  args.push("--size", tmpfs, "--tmpfs", "/tmp", "--size", tmpfs, "--tmpfs", "/dev/shm");
  args.push("--remount-ro", "/dev", "--remount-ro", "/");
  args.push("--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp");
  args.push("--setenv", "LANG", "C.UTF-8", "--chdir", "/tmp");
  args.push("--die-with-parent", "--new-session", "--cap-drop", "ALL", "--json-status-fd", String(STATUS_FD));
  args.push("--", env.tools.prlimit);
  args.push(
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--as=${limits.memoryBytes}`,
    `--nproc=${limits.processes}`,
    `--fsize=${limits.fileSizeBytes}`,
    `--nofile=${limits.openFiles}`,
    "--core=0",
    "--",
  );
  args.push(env.python, "-I", "-S", `${SANDBOX_DIR}/main.py`, ...scriptArgs);
  return { file: env.tools.timeout, args };
}
