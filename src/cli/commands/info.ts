import { configJsonSchema } from "../../config/schema.js";
import { PROVIDER_PRESETS } from "../../providers/presets.js";

export function providersCommand(options: { json?: boolean }): void {
  const rows = Object.entries(PROVIDER_PRESETS).map(([name, p]) => ({
    name,
    protocol: p.protocol,
    baseURL: p.baseURL,
    apiKeyEnv: p.apiKeyEnv ?? null,
    keySet: p.apiKeyEnv ? Boolean(process.env[p.apiKeyEnv]) : null,
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const key = r.apiKeyEnv ? `${r.apiKeyEnv}${r.keySet ? " (set)" : ""}` : "(no key)";
    process.stdout.write(`${r.name.padEnd(width)}  ${key.padEnd(28)}  ${r.baseURL}\n`);
  }
}

export function schemaCommand(): void {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
}
