import { fileURLToPath } from "node:url";

/** The package's own folder (above src/ or dist/): the bundled data, models and examples ship there. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../..", import.meta.url));
