/**
 * Seeded pseudo-random numbers. Every random choice in sentivec (CV folds,
 * coordinate-descent order, initialisations, Gibbs sampling) draws from one of
 * these so that the same seed gives the same vectors and the same accuracy.
 * Algorithm: xoshiro128** seeded through splitmix32; 32-bit state words keep
 * everything in fast int32 arithmetic.
 */
import { SentivecError } from './errors.js';

/**
 * A seed must be an integer: a fraction or NaN would silently give the same
 * stream as some other seed (the state is seeded from seed >>> 0).
 */
export function checkSeed(seed: unknown, name = 'seed'): number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new SentivecError(`${name} must be an integer, got ${String(seed)}`);
  return seed;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = checkSeed(seed) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** The four state words, for code that continues this stream elsewhere (the WebAssembly LDA sampler). */
  state(): [number, number, number, number] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  /** A new generator whose stream is independent of this one's future draws. */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
