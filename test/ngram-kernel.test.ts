/**
 * The WebAssembly n-gram lookup (ngram-kernel.ts, assembly/ngram.ts) against
 * the TypeScript one (a table made with SENTIVEC_KERNELS=js): the same
 * records and the same slots in the same order on random tables (small
 * vocabularies, so keys collide and runs are long; runs that wrap at the
 * table's end) and random texts (repeated n-grams, texts shorter than n, a
 * text longer than the kernel's buffers), built from tuples and read back
 * from records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_WORDS } from '../src/features/ngram-kernel.js';
import { NgramTable } from '../src/features/ngram-table.js';
import { Rng } from '../src/util/rng.js';

/** `make()` with SENTIVEC_KERNELS=js: a table whose lookups run in TypeScript. */
function typeScript<T>(make: () => T): T {
  const saved = process.env.SENTIVEC_KERNELS;
  process.env.SENTIVEC_KERNELS = 'js';
  try {
    return make();
  } finally {
    if (saved === undefined) delete process.env.SENTIVEC_KERNELS;
    else process.env.SENTIVEC_KERNELS = saved;
  }
}

/** Whether a table looks up in WebAssembly (its records live in a wasm memory, larger than they are). */
function inKernel(table: NgramTable): boolean {
  return table.weights.buffer.byteLength > table.weights.byteLength;
}

/** `count` distinct random n-grams of words below V (a third of them trigrams in order 3). */
function randomTuples(rng: Rng, V: number, count: number, order: number): Int32Array {
  const seen = new Set<string>();
  const tuples: number[] = [];
  while (seen.size < count) {
    const t = [rng.int(V), rng.int(V), order === 3 && rng.next() < 0.6 ? rng.int(V) : -1];
    if (seen.has(t.join())) continue;
    seen.add(t.join());
    tuples.push(...t);
  }
  return Int32Array.from(tuples);
}

/** Random texts: some of random words, some strung from the table's own n-grams (so every node is looked up), repeats and lengths 0–2 included. */
function randomTexts(rng: Rng, V: number, tuples: Int32Array): number[][] {
  const texts: number[][] = [[], [rng.int(V)], [rng.int(V), rng.int(V)]];
  for (let i = 0; i < 60; i++) texts.push(Array.from({ length: rng.int(40) }, () => rng.int(V)));
  const G = tuples.length / 3;
  for (let i = 0; i < 20; i++) {
    const text: number[] = [];
    while (text.length < 80) {
      const g = rng.int(G);
      text.push(tuples[3 * g], tuples[3 * g + 1]);
      if (tuples[3 * g + 2] >= 0) text.push(tuples[3 * g + 2]);
    }
    texts.push(text, text.concat(text));
  }
  return texts;
}

/** Whether some run of nodes wraps from the table's last slot to its first. */
function wraps(table: NgramTable): boolean {
  const keys = new Int32Array(table.weights.buffer, table.weights.byteOffset, 2 * table.weights.length);
  const st = 2 * table.recordFloats;
  return keys[0] !== 0 && keys[keys.length - st] !== 0;
}

test('n-gram kernel: the same records and slots as TypeScript on random tables and texts', () => {
  const rng = new Rng(11);
  let tables = 0;
  let wrapped = 0;
  for (const [V, count, order, heads] of [
    [6, 20, 3, 1],
    [9, 40, 3, 3],
    [12, 90, 2, 1],
    [20, 300, 3, 1],
    [40, 1000, 3, 2],
    [300, 5000, 3, 1],
  ]) {
    for (let rep = 0; rep < 4; rep++) {
      const tuples = randomTuples(rng, V, count, order);
      const G = tuples.length / 3;
      const weights = { values: Float64Array.from({ length: heads * G }, () => rng.next() - 0.5), heads };
      const wasm = new NgramTable(tuples, order, V, weights);
      const ts = typeScript(() => new NgramTable(tuples, order, V, weights));
      assert.ok(inKernel(wasm) && !inKernel(ts), 'one table in each');
      assert.deepEqual(wasm.weights, ts.weights, 'the same records');
      const reread = NgramTable.fromRecords(ts.weights.slice(), order, V, heads, G);
      assert.ok(inKernel(reread), 'a table read from records looks up in WebAssembly');
      tables++;
      if (wraps(wasm)) wrapped++;
      for (const text of randomTexts(rng, V, tuples)) {
        const expected = [...ts.distinctSlots(text)];
        assert.deepEqual([...wasm.distinctSlots(text)], expected, `${V}/${count}: ${text.join()}`);
        assert.deepEqual([...reread.distinctSlots(Int32Array.from(text))], expected, 'read from records');
        const start = Math.min(text.length, 3);
        assert.deepEqual([...wasm.distinctSlots(text, start, text.length - 1)], [...ts.distinctSlots(text, start, text.length - 1)], 'a span of the text');
      }
    }
  }
  assert.ok(wrapped >= 3, `runs wrap at the table's end in some tables (${wrapped} of ${tables})`);
});

test('n-gram kernel: a text longer than its buffers is looked up in TypeScript, with the same slots', () => {
  const rng = new Rng(5);
  const V = 50;
  const tuples = randomTuples(rng, V, 800, 3);
  const weights = { values: Float64Array.from({ length: tuples.length / 3 }, () => rng.next()), heads: 1 };
  const wasm = new NgramTable(tuples, 3, V, weights);
  const ts = typeScript(() => new NgramTable(tuples, 3, V, weights));
  const long = Array.from({ length: MAX_WORDS + 10 }, () => rng.int(V));
  const expected = [...ts.distinctSlots(long)];
  assert.ok(expected.length > 100);
  assert.deepEqual([...wasm.distinctSlots(long)], expected);
  assert.deepEqual([...wasm.distinctSlots(long, 10)], [...ts.distinctSlots(long, 10)], 'just within the buffers');
});
