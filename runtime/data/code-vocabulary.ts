import type { CodeVocabulary } from './cohort.ts';
import type { CodeMetadata } from './codes-reader.ts';

/** Assigns code indices as codes are met: metadata codes first, then data codes in order of appearance. */
export class VocabularyBuilder {
  readonly codes: string[] = [];
  readonly indexOf = new Map<string, number>();
  readonly descriptions: (string | null)[] = [];
  readonly parents: string[][] = [];
  private counts = new Int32Array(1024);

  addMetadata(metadata: CodeMetadata): void {
    for (let i = 0; i < metadata.codes.length; i++) {
      this.add(metadata.codes[i], metadata.descriptions[i], metadata.parents[i]);
    }
  }

  /** The index of a code, adding it if new. */
  index(code: string): number {
    const found = this.indexOf.get(code);
    return found === undefined ? this.add(code, null, []) : found;
  }

  /** Counts one event with code index `i`. */
  count(i: number): void {
    this.counts[i]++;
  }

  finish(): CodeVocabulary {
    return {
      codes: this.codes,
      indexOf: this.indexOf,
      descriptions: this.descriptions,
      parents: this.parents,
      counts: this.counts.slice(0, this.codes.length),
    };
  }

  private add(code: string, description: string | null, parents: string[]): number {
    const i = this.codes.length;
    this.codes.push(code);
    this.indexOf.set(code, i);
    this.descriptions.push(description);
    this.parents.push(parents);
    if (i >= this.counts.length) {
      const next = new Int32Array(this.counts.length * 2);
      next.set(this.counts);
      this.counts = next;
    }
    return i;
  }
}
