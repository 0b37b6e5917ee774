/**
 * The claims file (YAML): a list of claim statements, or a map with `claims:` and options.
 *
 *   alpha: 0.05                 # optional: one-sided significance level, default 0.05
 *   claims:
 *     - qwen/qwen-max > deepseek/deepseek-chat on mmlu_pro
 *     - claim: cost(deepseek/deepseek-chat, gsm8k) < 0.1 × cost(openai/gpt-4o, gsm8k)
 *       id: ds-cheap            # optional: a name for the claim in output
 *       source: https://…       # optional: where the claim was made
 *       note: …                 # optional
 *
 * Every problem is reported as `FILE:LINE: …`; a syntax error also shows the valid forms.
 */

import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { UserError } from "../core/errors.js";
import { CLAIM_FORMS, type Claim, ClaimSyntaxError, parseClaim } from "./grammar.js";

export interface ClaimEntry {
  /** 1-based line of the claim in the file. */
  line: number;
  /** The statement as written. */
  text: string;
  claim: Claim;
  id?: string;
  source?: string;
  note?: string;
}

export interface ClaimsFile {
  file: string;
  /** One-sided significance level. */
  alpha: number;
  claims: ClaimEntry[];
}

export const DEFAULT_ALPHA = 0.05;

/** A problem in a claims file a user can fix; `message` starts with `file:line:`. */
export class ClaimsFileError extends UserError {
  override name = "ClaimsFileError";
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`);
  }
}

const ENTRY_KEYS = new Set(["claim", "id", "source", "note"]);
const TOP_KEYS = new Set(["claims", "alpha"]);

/** Parses a claims file's text; `file` names it in messages. */
export function parseClaimsFile(text: string, file: string): ClaimsFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    throw new ClaimsFileError(`not valid YAML: ${firstError.message.split("\n")[0]}`, file, line);
  }
  const root = doc.contents;
  let list: Node | null | undefined;
  let alpha = DEFAULT_ALPHA;
  const expectedShape = 'expected a list of claims, or a map with "claims:" (a list) and optional "alpha:"';
  if (isSeq(root)) {
    list = root;
  } else if (isMap(root)) {
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (!TOP_KEYS.has(key)) {
        throw new ClaimsFileError(`unknown key "${key}": ${expectedShape}`, file, lineOf(pair.key as Node | null));
      }
      if (key === "claims") list = pair.value as Node | null;
      if (key === "alpha") {
        const v = isScalar(pair.value) ? pair.value.value : undefined;
        if (typeof v !== "number" || !(v > 0 && v < 0.5)) {
          throw new ClaimsFileError(
            `alpha: expected a number between 0 and 0.5 (the one-sided significance level, e.g. 0.05), got ${JSON.stringify(v ?? null)}`,
            file,
            lineOf(pair.value as Node | null),
          );
        }
        alpha = v;
      }
    }
    if (list === undefined) throw new ClaimsFileError(`no "claims:" list: ${expectedShape}`, file, lineOf(root));
  } else {
    throw new ClaimsFileError(
      root === null ? `the file is empty: ${expectedShape}` : expectedShape,
      file,
      lineOf(root as Node | null),
    );
  }
  if (!isSeq(list)) throw new ClaimsFileError(`claims: ${expectedShape}`, file, lineOf(list));
  if (list.items.length === 0) throw new ClaimsFileError("claims: the list is empty", file, lineOf(list));

  const claims: ClaimEntry[] = [];
  const ids = new Map<string, number>();
  for (const item of list.items as Node[]) {
    const line = lineOf(item) ?? 1;
    const entry: Partial<ClaimEntry> & { line: number } = { line };
    let statementNode: Node = item;
    if (isMap(item)) {
      for (const pair of item.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : "";
        const keyLine = lineOf(pair.key as Node | null) ?? line;
        if (!ENTRY_KEYS.has(key)) {
          throw new ClaimsFileError(
            `unknown key "${key}" in a claim: expected claim: (the statement) and optional id:, source:, note:`,
            file,
            keyLine,
          );
        }
        const value = pair.value as Node | null;
        if (!isScalar(value) || typeof value.value !== "string" || value.value.trim() === "") {
          throw new ClaimsFileError(`${key}: expected text`, file, lineOf(value) ?? keyLine);
        }
        if (key === "claim") statementNode = value;
        else entry[key as "id" | "source" | "note"] = value.value.trim();
      }
      if (statementNode === item) {
        throw new ClaimsFileError('a claim given as a map needs "claim:" (the statement)', file, line);
      }
    }
    if (!isScalar(statementNode) || typeof statementNode.value !== "string") {
      throw new ClaimsFileError(
        `expected a claim statement (text) or a map with claim:, got ${isSeq(statementNode) ? "a list" : "something else"}\nvalid forms:\n${indent(CLAIM_FORMS)}`,
        file,
        lineOf(statementNode) ?? line,
      );
    }
    const text = statementNode.value.trim();
    const stmtLine = lineOf(statementNode) ?? line;
    entry.line = stmtLine;
    try {
      entry.claim = parseClaim(text);
    } catch (error) {
      if (!(error instanceof ClaimSyntaxError)) throw error;
      throw new ClaimsFileError(
        `cannot read the claim "${text}": ${error.message} (column ${error.column} of the claim)\nvalid forms:\n${indent(CLAIM_FORMS)}`,
        file,
        stmtLine,
      );
    }
    entry.text = text;
    if (entry.id !== undefined) {
      const first = ids.get(entry.id);
      if (first !== undefined) {
        throw new ClaimsFileError(`id "${entry.id}" is used twice (first on line ${first})`, file, stmtLine);
      }
      ids.set(entry.id, stmtLine);
    }
    claims.push(entry as ClaimEntry);
  }
  return { file, alpha, claims };
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
