/**
 * The final answer of a solution: the contents of its last `\boxed{…}` (or `\fbox{…}`), as Hendrycks' MATH code
 * (`last_boxed_only_string` + `remove_boxed`) reads it: braces are counted from the macro to the brace that closes
 * its group, so nested groups (`\boxed{\frac{1}{2}}`) stay whole. A box that is never closed (a cut-off answer)
 * gives null, as there. The form without braces, `\boxed 5`, is read up to the next `$` or line end, as
 * lm-evaluation-harness's minerva_math utils read it.
 */

const BOX = /\\(?:boxed|fbox)(?![A-Za-z])/g;

/** The contents of the last box of `text`, or null when there is none (or it is not closed). */
export function lastBoxedAnswer(text: string): string | null {
  let last: RegExpExecArray | null = null;
  for (const m of text.matchAll(BOX)) last = m;
  if (last === null) return null;
  let i = last.index + last[0].length;
  while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
  if (text[i] !== "{") {
    if (i === last.index + last[0].length) return null;
    const rest = text.slice(i);
    const end = rest.search(/[$\n]/);
    const answer = (end === -1 ? rest : rest.slice(0, end)).trim();
    return answer === "" ? null : answer;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    if (text[j] === "{") depth++;
    else if (text[j] === "}") {
      depth--;
      if (depth === 0) return text.slice(i + 1, j);
    }
  }
  return null;
}
