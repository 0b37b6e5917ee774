/** One language's n-gram statistics, as a langdetect profile file holds them. */
export interface LanguageProfile {
  /** Language code (ISO 639-1, or "zh-cn"/"zh-tw"). */
  name: string;
  /** Total number of 1-, 2- and 3-grams counted in the training text. */
  nWords: readonly [number, number, number];
  /** "|"-separated entries, each an n-gram followed directly by its count. */
  freq: string;
}

/** Calls `visit` with each (n-gram, count) entry of a profile. */
export function forEachProfileEntry(profile: LanguageProfile, visit: (ngram: string, count: number) => void): void {
  for (const entry of profile.freq.split("|")) {
    let digits = entry.length;
    while (digits > 0 && isAsciiDigit(entry.charCodeAt(digits - 1))) digits--;
    if (digits === 0 || digits === entry.length) {
      throw new Error(`langdetect profile ${profile.name}: malformed entry ${JSON.stringify(entry)}`);
    }
    visit(entry.slice(0, digits), Number(entry.slice(digits)));
  }
}

function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
