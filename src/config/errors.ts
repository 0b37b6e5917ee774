import { UserError } from "../core/errors.js";

/** Where a config problem is: the file, the 1-based line and column, and the field path (e.g. `models[1].ref`). */
export interface ConfigErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

/**
 * A problem with the configuration the user can fix. `message` is ready to show as is, e.g.
 * `arbiter.yaml:12:5: models[1].settings.temperature: expected a number, got "hot"`; when several problems were
 * found it holds one per line, and the location fields describe the first.
 */
export class ConfigError extends UserError {
  override name = "ConfigError";
  file?: string;
  line?: number;
  column?: number;
  field?: string;

  constructor(message: string, location: ConfigErrorLocation = {}) {
    super(message);
    if (location.file !== undefined) this.file = location.file;
    if (location.line !== undefined) this.line = location.line;
    if (location.column !== undefined) this.column = location.column;
    if (location.field !== undefined) this.field = location.field;
  }
}
