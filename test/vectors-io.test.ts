import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WordVectors } from '../src/models/embeddings/word-vectors.js';
import { FORMAT_VERSION } from '../src/models/embeddings/format.js';
import { SentivecError } from '../src/util/errors.js';

const words = ['good', 'great', 'bad', 'awful', 'film', 'zero'];
const dim = 3;
// good ≈ great, bad ≈ awful, opposite signs on the first axis; "zero" is the zero vector.
const data = Float32Array.from([1, 0.2, 0, 0.9, 0.3, 0.1, -1, 0.1, 0, -0.8, 0.2, 0.1, 0, 0, 1, 0, 0, 0]);
const psi = Float32Array.from([2, 0, 0]);
const wv = (): WordVectors => new WordVectors(words, { dim, vocabSize: words.length, data }, { psi, bc: 0.25, options: { dim, lambda: 0.1, useSentiment: true } });

async function tmpDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'sentivec-vectors-'));
}

test('vector, similarity, mostSimilar and sentiment', () => {
  const v = wv();
  assert.deepEqual(Array.from(v.vector('bad')), Array.from(data.subarray(6, 9)));
  assert.ok(Math.abs(v.similarity('good', 'good') - 1) < 1e-6);
  assert.ok(v.similarity('good', 'great') > 0.9);
  assert.ok(v.similarity('good', 'bad') < -0.9);
  assert.equal(v.similarity('zero', 'good'), 0);
  const near = v.mostSimilar('good', 2);
  assert.deepEqual(near.map((n) => n.word), ['great', 'film']);
  assert.ok(!v.mostSimilar('good', 10).some((n) => n.word === 'good'), 'the query word itself is excluded');
  assert.equal(v.mostSimilar('good', 10).length, words.length - 1);
  assert.equal(v.mostSimilar(Float32Array.from([-1, 0, 0]), 1)[0].word, 'bad');
  assert.ok(Math.abs(v.sentiment('great') - (2 * 0.9 + 0.25)) < 1e-6);
  assert.ok(v.sentiment('awful') < 0);
});

test('unknown words and mismatched shapes are SentivecErrors naming the problem', () => {
  const v = wv();
  assert.throws(() => v.vector('splendid'), (e: unknown) => e instanceof SentivecError && /"splendid"/.test(e.message));
  assert.throws(() => v.similarity('good', 'meh'), /"meh" is not in the vocabulary/);
  assert.throws(() => v.mostSimilar('nope'), /"nope"/);
  assert.throws(() => v.sentiment('nah'), /"nah"/);
  assert.throws(() => v.mostSimilar(new Float32Array(2)), /2 dimensions, expected 3/);
  assert.throws(() => new WordVectors(['a', 'a'], { dim: 1, vocabSize: 2, data: new Float32Array(2) }), /appears twice/);
  assert.throws(() => new WordVectors(['a'], { dim: 1, vocabSize: 2, data: new Float32Array(2) }), SentivecError);
});

test('save → load round trip is bit-exact, with and without ψ', async () => {
  const dir = await tmpDir();
  try {
    for (const withPsi of [true, false]) {
      const file = path.join(dir, `v${withPsi}.svec`);
      const a = withPsi ? wv() : new WordVectors(words, { dim, vocabSize: words.length, data });
      await a.save(file);
      const b = await WordVectors.load(file);
      assert.deepEqual(b.words, a.words);
      assert.equal(b.dim, dim);
      assert.deepEqual(Buffer.from(b.vectors.data.buffer, b.vectors.data.byteOffset, b.vectors.data.byteLength), Buffer.from(data.buffer));
      assert.equal(b.bc, a.bc);
      assert.deepEqual(b.psi && Array.from(b.psi), a.psi && Array.from(a.psi));
      assert.deepEqual(b.options, a.options);
    }
    // Non-ASCII words survive.
    const file = path.join(dir, 'utf8.svec');
    await new WordVectors(['naïve', '😀'], { dim: 1, vocabSize: 2, data: Float32Array.from([1, -1]) }).save(file);
    assert.deepEqual((await WordVectors.load(file)).words, ['naïve', '😀']);
    // Atomic write leaves no temp files behind.
    assert.deepEqual((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp')), []);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('corrupted files are rejected with a message naming the file and the problem', async () => {
  const dir = await tmpDir();
  try {
    const good = path.join(dir, 'good.svec');
    await wv().save(good);
    const bytes = new Uint8Array(await fs.readFile(good));
    const variant = async (name: string, mutate: (b: Uint8Array) => Uint8Array): Promise<string> => {
      const file = path.join(dir, name);
      await fs.writeFile(file, mutate(Uint8Array.from(bytes)));
      return file;
    };
    const expectError = async (file: string, pattern: RegExp): Promise<void> => {
      await assert.rejects(WordVectors.load(file), (e: unknown) => {
        assert.ok(e instanceof SentivecError, `not a SentivecError: ${String(e)}`);
        assert.ok(e.message.includes(file), `message does not name the file: ${e.message}`);
        assert.match(e.message, pattern);
        return true;
      });
    };
    await expectError(await variant('magic.svec', (b) => ((b[1] = 0x58), b)), /wrong magic/);
    await expectError(await variant('text.svec', () => new TextEncoder().encode('good 1 0.2 0\n')), /wrong magic/);
    await expectError(
      await variant('newer.svec', (b) => {
        new DataView(b.buffer).setUint32(8, FORMAT_VERSION + 1, true);
        return b;
      }),
      /format version 2 is newer/,
    );
    await expectError(await variant('short.svec', (b) => b.subarray(0, b.length - 40)), /truncated/);
    await expectError(await variant('tiny.svec', (b) => b.subarray(0, 12)), /truncated/);
    await expectError(await variant('long.svec', (b) => Uint8Array.from([...b, 0])), /unexpected bytes/);
    await expectError(await variant('flip.svec', (b) => ((b[b.length - 40] ^= 0x01), b)), /checksum mismatch/);
    await expectError(
      await variant('header.svec', (b) => {
        const i = new TextDecoder().decode(b).indexOf('awful');
        b[i] = 'A'.charCodeAt(0);
        return b;
      }),
      /checksum mismatch/,
    );
    await expectError(path.join(dir, 'missing.svec'), /no such file/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

/** A word-vector file as sentivec wrote it before the shared container: no section table, header padded to 4 bytes. */
async function legacyBytes(): Promise<Uint8Array> {
  const { createHash } = await import('node:crypto');
  const { MAGIC } = await import('../src/models/embeddings/format.js');
  let json = JSON.stringify({ dim, vocabSize: words.length, words, hasSentiment: true, bc: 0.25, options: { dim } });
  while (new TextEncoder().encode(json).length % 4 !== 0) json += ' ';
  const header = new TextEncoder().encode(json);
  const floats = [...data, ...psi];
  const out = new Uint8Array(16 + header.length + 4 * floats.length + 32);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, 1, true);
  view.setUint32(12, header.length, true);
  out.set(header, 16);
  floats.forEach((x, i) => view.setFloat32(16 + header.length + 4 * i, x, true));
  out.set(createHash('sha256').update(out.subarray(0, out.length - 32)).digest(), out.length - 32);
  return out;
}

test('word-vector files written before the shared container (no section table) still load', async () => {
  const dir = await tmpDir();
  try {
    const file = path.join(dir, 'legacy.svec');
    await fs.writeFile(file, await legacyBytes());
    const v = await WordVectors.load(file);
    assert.deepEqual(v.words, words);
    assert.deepEqual(Array.from(v.vector('bad')), Array.from(data.subarray(6, 9)));
    assert.equal(v.sentiment('good'), 2 * 1 + 0.25);
    // And the files written now keep the old byte layout after the header: R, then ψ.
    const now = path.join(dir, 'now.svec');
    await wv().save(now);
    const bytes = new Uint8Array(await fs.readFile(now));
    const h = new DataView(bytes.buffer).getUint32(12, true);
    assert.equal(new DataView(bytes.buffer).getFloat32(16 + h + 4 * data.length, true), psi[0]);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a model file handed to WordVectors.load is named as what it is', async () => {
  const dir = await tmpDir();
  try {
    const { encodeModelFile } = await import('../src/models/product/model-file.js');
    const file = path.join(dir, 'model.svec');
    await fs.writeFile(file, encodeModelFile({ kind: 'x' }, new Map()));
    await assert.rejects(WordVectors.load(file), (e: unknown) => e instanceof SentivecError && /it is a sentivec model, not a word-vector file/.test(e.message));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
