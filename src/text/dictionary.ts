/**
 * Interns token strings to dense integer ids and counts them, so a corpus is
 * held as Int32 ids rather than 100k documents' worth of strings.
 */
export class Dictionary {
  private readonly ids = new Map<string, number>();
  readonly words: string[] = [];
  /** counts[id]: occurrences counted through `add(..., true)`. */
  private counts = new Float64Array(1024);

  get size(): number {
    return this.words.length;
  }

  /** Id of `word`, creating it if new; counts the occurrence when `count` is true. */
  add(word: string, count: boolean): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(word, id);
      this.words.push(word);
      if (id >= this.counts.length) {
        const grown = new Float64Array(this.counts.length * 2);
        grown.set(this.counts);
        this.counts = grown;
      }
    }
    if (count) this.counts[id] += 1;
    return id;
  }

  get(word: string): number | undefined {
    return this.ids.get(word);
  }

  count(id: number): number {
    return this.counts[id];
  }
}
