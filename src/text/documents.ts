/**
 * A corpus held as token ids: document i is tokens[offsets[i] .. offsets[i+1]).
 * Ids refer to a Dictionary or a Vocabulary, depending on the stage.
 */
export interface TokenizedDocs {
  readonly count: number;
  readonly offsets: Int32Array;
  readonly tokens: Int32Array;
}

/** Appends documents into growing typed arrays (no per-document objects). */
export class DocumentBuilder {
  private offsets: Int32Array = new Int32Array(1024);
  private tokens: Int32Array = new Int32Array(1 << 16);
  private n = 0;
  private used = 0;

  get count(): number {
    return this.n;
  }

  /** Starts a document; follow with `token()` calls. */
  begin(): void {
    if (this.n + 2 > this.offsets.length) this.offsets = grow(this.offsets, this.n + 2);
    this.offsets[this.n] = this.used;
    this.n++;
    this.offsets[this.n] = this.used;
  }

  token(id: number): void {
    if (this.used === this.tokens.length) this.tokens = grow(this.tokens, this.used + 1);
    this.tokens[this.used++] = id;
    this.offsets[this.n] = this.used;
  }

  push(ids: ArrayLike<number>): void {
    this.begin();
    for (let i = 0; i < ids.length; i++) this.token(ids[i]);
  }

  finish(): TokenizedDocs {
    return {
      count: this.n,
      offsets: this.offsets.slice(0, this.n + 1),
      tokens: this.tokens.slice(0, this.used),
    };
  }
}

function grow(a: Int32Array, need: number): Int32Array {
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Renumbers tokens through `map`, dropping those mapped to -1 (out of vocabulary). */
export function remapDocs(docs: TokenizedDocs, map: Int32Array): TokenizedDocs {
  const b = new DocumentBuilder();
  for (let d = 0; d < docs.count; d++) {
    b.begin();
    for (let p = docs.offsets[d]; p < docs.offsets[d + 1]; p++) {
      const v = map[docs.tokens[p]];
      if (v >= 0) b.token(v);
    }
  }
  return b.finish();
}

/** The documents at `rows`, in that order. */
export function selectDocs(docs: TokenizedDocs, rows: ArrayLike<number>): TokenizedDocs {
  const b = new DocumentBuilder();
  for (let i = 0; i < rows.length; i++) {
    const d = rows[i];
    b.push(docs.tokens.subarray(docs.offsets[d], docs.offsets[d + 1]));
  }
  return b.finish();
}

/** Documents of `a` followed by those of `b`. */
export function concatDocs(a: TokenizedDocs, b: TokenizedDocs): TokenizedDocs {
  const offsets = new Int32Array(a.count + b.count + 1);
  offsets.set(a.offsets);
  const base = a.tokens.length;
  for (let i = 1; i <= b.count; i++) offsets[a.count + i] = base + b.offsets[i];
  const tokens = new Int32Array(a.tokens.length + b.tokens.length);
  tokens.set(a.tokens);
  tokens.set(b.tokens, base);
  return { count: a.count + b.count, offsets, tokens };
}
