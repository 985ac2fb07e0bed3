/**
 * HTML markup over char codes, as cleanHtml (tokenizer.ts) removes it: a tag `<\/?[a-zA-Z][^<>]*>` becomes
 * one space, then the seven entities decode. The token scanner's clean pass and its one-pass product scan
 * both read the text through these.
 */

/** Entities in cleanHtml's table, as the chars after `&` and the char each decodes to. */
export const ENTITIES: readonly (readonly [string, number])[] = [
  ['amp;', 0x26],
  ['lt;', 0x3c],
  ['gt;', 0x3e],
  ['quot;', 0x22],
  ['#39;', 0x27],
  ['apos;', 0x27],
  ['nbsp;', 0x20],
];

/** Index of the `>` closing a tag that opens at text[i] (`<`), or -1 when no tag opens there. */
export function tagEnd(text: string, i: number): number {
  let j = i + 1;
  if (j < text.length && text.charCodeAt(j) === 0x2f) j++;
  if (j >= text.length) return -1;
  const first = text.charCodeAt(j) | 0x20;
  if (first < 0x61 || first > 0x7a) return -1;
  for (j++; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x3e) return j;
    if (c === 0x3c) return -1;
  }
  return -1;
}

/** Which entity (index into ENTITIES) starts at text[i] (`&`), or -1. */
export function entityAt(text: string, i: number): number {
  for (let e = 0; e < ENTITIES.length; e++) {
    const name = ENTITIES[e][0];
    if (text.startsWith(name, i + 1)) return e;
  }
  return -1;
}

/**
 * productScan between tokens, at text[i] = raw whose mapped char is 0: the index of the last char of a tag,
 * of an entity or of a lone `&` (they clean to chars that start no token), or -1: anything else (`<3`, `&lt;3`,
 * NUL, a char not seen yet) is left to the two passes.
 */
export function skippedMarkup(text: string, raw: number, i: number): number {
  if (raw === 0x3c) return tagEnd(text, i);
  if (raw !== 0x26) return -1;
  const e = entityAt(text, i);
  if (e < 0) return i;
  return ENTITIES[e][1] === 0x3c ? -1 : i + ENTITIES[e][0].length;
}

/** productScan after a word, at text[i] = raw whose mapped char is 0: whether it surely ends the word (a tag, `<`, an entity but `'`'s, `&`). */
export function endsWord(text: string, raw: number, i: number): boolean {
  if (raw === 0x3c) return true;
  if (raw !== 0x26) return false;
  const e = entityAt(text, i);
  return e < 0 || ENTITIES[e][1] !== 0x27;
}
