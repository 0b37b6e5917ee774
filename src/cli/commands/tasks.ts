import { resolve } from "node:path";
import { loadConfigFile } from "../../config/load.js";
import type { GenerationSettings } from "../../core/types.js";
import type { BuiltinTaskInfo } from "../../tasks/builtin/definition.js";
import type { CustomTaskSpec } from "../../tasks/custom.js";
import { builtinTaskInfos } from "../../tasks/registry.js";
import { isTaskFile, loadTaskFile } from "../../tasks/task-file.js";

interface ConfigTaskRow {
  name: string;
  kind: "custom" | "builtin";
  detail: string;
}

function settingsText(settings: GenerationSettings): string {
  const parts = Object.entries(settings).map(([k, v]) => `${k}=${Array.isArray(v) ? JSON.stringify(v) : v}`);
  return parts.length > 0 ? parts.join(" ") : "-";
}

function builtinLines(infos: BuiltinTaskInfo[]): string[] {
  const lines = [
    "Built-in tasks (run with --task NAME; options in a config: {builtin: NAME, subjects, variant, path})",
    "",
  ];
  for (const info of infos) {
    const flags = [
      info.bundled ? "bundled data" : "data from a path (licence)",
      ...(info.needs ?? []).map((n) => `needs ${n}`),
    ];
    lines.push(`${info.name}  —  ${info.description}`);
    lines.push(`  samples: ${info.samples}   metrics: ${info.metrics.join(", ")}   ${flags.join(", ")}`);
    if (info.variants && info.variants.length > 0) {
      lines.push(`  variants: ${info.variants.map((v, i) => (i === 0 ? `${v} (default)` : v)).join(", ")}`);
    }
    lines.push(`  settings: ${settingsText(info.settings)}   licence: ${info.license}`, "");
  }
  return lines;
}

function scoringOf(t: CustomTaskSpec): string {
  return t.assert !== undefined
    ? `assertions ${t.assert.map((a) => a.type).join(", ")}${t.threshold !== undefined ? ` (pass at ${t.threshold})` : ""}`
    : `scorer ${typeof t.scorer === "string" ? t.scorer : (t.scorer?.type ?? "exact")}`;
}

/** `arbiter tasks [config]`: what can be run, with the settings each task asks for. */
export async function tasksCommand(configPath: string | undefined, options: { json?: boolean }): Promise<void> {
  const infos = builtinTaskInfos();
  const configured: ConfigTaskRow[] = [];
  if (configPath) {
    const loaded = await loadConfigFile(configPath);
    for (const t of loaded.config.tasks ?? []) {
      if (typeof t === "string" && isTaskFile(t)) {
        const { spec } = await loadTaskFile(resolve(loaded.baseDir, t));
        configured.push({ name: spec.name, kind: "custom", detail: `task file ${t}, ${scoringOf(spec)}` });
      } else if (typeof t === "string") configured.push({ name: t, kind: "builtin", detail: "built-in" });
      else if ("builtin" in t) {
        const opts = [t.variant && `variant ${t.variant}`, t.subjects && `subjects ${t.subjects.join(",")}`, t.path];
        configured.push({
          name: t.name ?? t.builtin,
          kind: "builtin",
          detail: `built-in ${t.builtin}${opts.some(Boolean) ? ` (${opts.filter(Boolean).join("; ")})` : ""}`,
        });
      } else {
        configured.push({ name: t.name, kind: "custom", detail: `data ${t.data}, ${scoringOf(t)}` });
      }
    }
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ builtin: infos, config: configured }, null, 2)}\n`);
    return;
  }
  const lines = builtinLines(infos);
  if (infos.length === 0) lines.push("(no built-in tasks)", "");
  if (configPath) {
    lines.push(`Tasks in ${configPath}`, "");
    for (const t of configured) lines.push(`${t.name}  —  ${t.detail}`);
    if (configured.length === 0) lines.push("(none)");
  }
  process.stdout.write(`${lines.join("\n").trimEnd()}\n`);
}
