/**
 * LZF, the compression RDB files use for long strings (and quicklist nodes). The format:
 *   control byte c < 32          a literal run: the next c + 1 bytes are copied as they are;
 *   c >= 32                      a back-reference: length (c >> 5) + 2, or with c >> 5 = 7 one more
 *                                byte is added to the length; offset ((c & 31) << 8 | next byte) + 1
 *                                back from the current output position (the copy may overlap).
 * The compressor makes liblzf's choices (see lzfCompress); the decompressor accepts any valid stream.
 */

/** Back-references reach at most this far back (13 bits of offset, plus one). */
const MAX_OFFSET = 1 << 13;
/** Longest back-reference liblzf emits: 2 + 7 + 255 bytes. */
const MAX_REF = (1 << 8) + (1 << 3);
/** Longest literal run one control byte describes. */
const MAX_LITERAL = 32;
/** liblzf's hash table size as Redis builds it (HLOG 16). */
const HASH_SIZE = 1 << 16;
/**
 * Last position of each 3-byte sequence's hash. Entries are stored as `generation + position`, so
 * the table is reused across calls without clearing: a value below the current generation is stale.
 */
const hashTable = new Float64Array(HASH_SIZE);
let generation = 1;

export class LzfError extends Error {}

/** liblzf's IDX for VERY_FAST: depends on the three bytes in the low 24 bits of `h` only. */
function slotOf(h: number): number {
  return ((h >>> 8) - Math.imul(h, 5)) & (HASH_SIZE - 1);
}

/**
 * Compresses `input[start, end)` into `out` (which must have room for `maxOut + 1` bytes), using
 * at most `maxOut` bytes. Returns the compressed length, or 0 when the result would not fit (the
 * caller then stores the data raw). The same choices as Redis's liblzf (lzf_c.c with Redis's
 * lzfP.h: VERY_FAST, HLOG 16, matches of at least 3 bytes found through the last position with
 * the same hash, never at offset 0 of the input, the last two positions of a match re-hashed), so
 * RDB files and DUMP payloads come out byte for byte as Redis writes them.
 */
export function lzfCompress(input: Uint8Array, start: number, end: number, out: Uint8Array, maxOut: number): number {
  const length = end - start;
  if (length <= 0 || maxOut <= 0) return 0;
  if (generation + length + 1 > Number.MAX_SAFE_INTEGER) {
    hashTable.fill(0);
    generation = 1;
  }
  const base = generation - start;
  generation += length + 1;
  const minValid = base + start;
  let ip = start;
  let op = 1; // out[0] is the control byte of the first literal run
  let lit = 0;
  let h = (input[ip] << 8) | (ip + 1 < end ? input[ip + 1] : 0);
  while (ip < end - 2) {
    h = (h << 8) | input[ip + 2];
    const slot = slotOf(h);
    const stored = hashTable[slot];
    hashTable[slot] = base + ip;
    const ref = stored >= minValid ? stored - base : -1;
    const off = ip - ref - 1;
    if (ref > start && off < MAX_OFFSET && input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      let len = 2;
      const maxlen = Math.min(end - ip - len, MAX_REF);
      if (op + 3 + 1 >= maxOut && op - (lit === 0 ? 1 : 0) + 3 + 1 >= maxOut) return 0;
      // Close the literal run, or take back its control byte when the run is empty.
      out[op - lit - 1] = lit - 1;
      if (lit === 0) op--;
      let mismatched = false;
      if (maxlen > 16) {
        // liblzf first compares 16 bytes unconditionally, then up to maxlen.
        for (let k = 0; k < 16; k++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            mismatched = true;
            break;
          }
        }
      }
      if (!mismatched) {
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }
      len -= 2; // now the match length minus 1, minus the implicit 1 of the format
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // control byte of the next literal run
      ip += len + 1;
      if (ip >= end - 2) break;
      // VERY_FAST: only the last two positions of the match enter the table.
      ip -= 2;
      h = (input[ip] << 8) | input[ip + 1];
      h = (h << 8) | input[ip + 2];
      hashTable[slotOf(h)] = base + ip;
      ip++;
      h = (h << 8) | input[ip + 2];
      hashTable[slotOf(h)] = base + ip;
      ip++;
    } else {
      if (op >= maxOut) return 0;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LITERAL) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > maxOut) return 0;
  while (ip < end) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (lit === 0) op--;
  return op;
}

/**
 * Decompresses `input[start, end)`, which must expand to exactly `outLength` bytes; throws
 * LzfError on malformed data.
 */
export function lzfDecompress(input: Uint8Array, start: number, end: number, outLength: number): Buffer {
  const out = Buffer.allocUnsafe(outLength);
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (op + run > outLength) throw new LzfError('LZF literal run overflows the output');
      if (ip + run > end) throw new LzfError('LZF literal run overflows the input');
      for (let i = 0; i < run; i++) out[op++] = input[ip++];
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) {
      if (ip >= end) throw new LzfError('LZF back-reference is truncated');
      len += input[ip++];
    }
    if (ip >= end) throw new LzfError('LZF back-reference is truncated');
    let ref = op - ((ctrl & 0x1f) << 8) - input[ip++] - 1;
    len += 2;
    if (ref < 0) throw new LzfError('LZF back-reference points before the start');
    if (op + len > outLength) throw new LzfError('LZF back-reference overflows the output');
    for (let i = 0; i < len; i++) out[op++] = out[ref++];
  }
  if (op !== outLength) throw new LzfError(`LZF data expands to ${op} bytes, expected ${outLength}`);
  return out;
}
