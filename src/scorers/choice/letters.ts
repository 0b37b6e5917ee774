/** Answer letters of multiple-choice questions: A for the first option, B for the second, … */

export const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** The letter of the option at `index` (0 → "A"). */
export function letterAt(index: number): string {
  const letter = ALPHABET[index];
  if (letter === undefined || !Number.isInteger(index)) {
    throw new RangeError(`no answer letter for option ${index + 1}: at most ${ALPHABET.length} options are supported`);
  }
  return letter;
}

/** The index of an answer letter ("A" → 0), or -1 for anything else. */
export function letterIndex(letter: string): number {
  return letter.length === 1 ? ALPHABET.indexOf(letter) : -1;
}

/**
 * The letters a question with `count` options uses ("ABCD" for 4). Without a count, A–J: the widest range the
 * built-in benchmarks use (MMLU-Pro has up to ten options).
 */
export function lettersFor(count?: number): string {
  if (count === undefined || count <= 0) return ALPHABET.slice(0, 10);
  return ALPHABET.slice(0, Math.min(count, ALPHABET.length));
}
