#!/usr/bin/env node
// Writes schema/arbiter.schema.json from the built config schema (run by `npm run build`, after tsc).
// Editors validate and complete arbiter.yaml with it:
//   # yaml-language-server: $schema=./node_modules/arbiter-eval/schema/arbiter.schema.json
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(root, "schema/arbiter.schema.json");

let configJsonSchema;
try {
  ({ configJsonSchema } = await import("../dist/config/schema.js"));
} catch (error) {
  console.error(`write-schema: cannot load dist/config/schema.js (run tsc first): ${error.message}`);
  process.exit(1);
}

const schema = configJsonSchema();
if (!schema || typeof schema !== "object" || !schema.properties) {
  console.error("write-schema: configJsonSchema() returned no properties");
  process.exit(1);
}

await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(schema, null, 2)}\n`);
console.log(`wrote ${relative(process.cwd(), out) || out}`);
