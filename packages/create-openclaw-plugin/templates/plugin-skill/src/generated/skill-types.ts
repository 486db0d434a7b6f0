// Generated from skills/*.json by `npm run gen`. Do not edit.

export interface LookupWordArgs {
  /**
   * The word to look up
   */
  word: string;
  /**
   * Language of the word (default en)
   */
  language?: "en" | "fr";
}
