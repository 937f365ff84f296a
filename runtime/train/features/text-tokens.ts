import { fnv1a } from './fnv1a.ts';

/**
 * The notes tokenizer: lowercased words (runs of letters and digits), word bigrams, and character
 * trigrams of each word with `#` marking its ends (so `copd` gives `#co`, `cop`, `opd`, `pd#`,
 * which survive misspellings and abbreviations). Each token hashes with FNV-1a, under a prefix per
 * kind so a word and a trigram that spell alike stay apart, into one of `rows` rows: the encoder's
 * token table. No vocabulary to fit, so unseen words still land somewhere sensible.
 */
const WORD = /[\p{L}\p{N}]+/gu;

export function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(WORD) ?? [];
  const tokens: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    tokens.push(`w:${word}`);
    if (i + 1 < words.length) tokens.push(`b:${word} ${words[i + 1]}`);
    const padded = `#${word}#`;
    for (let j = 0; j + 3 <= padded.length; j++) tokens.push(`c:${padded.slice(j, j + 3)}`);
  }
  return tokens;
}

/** The hashed rows of a text's tokens, with how often each occurs, rows ascending. */
export function hashTokens(text: string, rows: number): { ids: Int32Array; counts: Float64Array } {
  const tally = new Map<number, number>();
  for (const token of tokenize(text)) {
    const row = fnv1a(token) % rows;
    tally.set(row, (tally.get(row) ?? 0) + 1);
  }
  const ids = Int32Array.from(tally.keys()).sort();
  return { ids, counts: Float64Array.from(ids, (id) => tally.get(id)!) };
}
