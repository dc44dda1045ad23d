/**
 * LZF, the compression RDB files use for long strings (and quicklist nodes). The format:
 *   control byte c < 32          a literal run: the next c + 1 bytes are copied as they are;
 *   c >= 32                      a back-reference: length (c >> 5) + 2, or with c >> 5 = 7 one more
 *                                byte is added to the length; offset ((c & 31) << 8 | next byte) + 1
 *                                back from the current output position (the copy may overlap).
 * Written from the format description; any correct compressor's output is readable by Redis.
 */

/** Back-references reach at most this far back (13 bits of offset, plus one). */
const MAX_OFFSET = 1 << 13;
/** Longest back-reference: 7 + 255 from the length fields, plus the implicit 2. */
const MAX_MATCH = 264;
/** Longest literal run one control byte describes. */
const MAX_LITERAL = 32;
const HASH_BITS = 14;

/**
 * Positions of recent 3-byte sequences by hash. Entries are stored as `generation + position`, so
 * the table is reused across calls without clearing: a value below the current generation is stale.
 */
const hashTable = new Float64Array(1 << HASH_BITS);
let generation = 1;

export class LzfError extends Error {}

/**
 * Compresses `input[start, end)` into `out`, using at most `maxOut` bytes of it. Returns the
 * compressed length, or 0 when the result would not fit (the caller then stores the data raw).
 */
export function lzfCompress(input: Uint8Array, start: number, end: number, out: Uint8Array, maxOut: number): number {
  const length = end - start;
  if (length <= 0 || maxOut <= 1) return 0;
  if (generation + length + 1 > Number.MAX_SAFE_INTEGER) {
    hashTable.fill(0);
    generation = 1;
  }
  const base = generation - start;
  generation += length + 1;
  const minValid = base + start;

  let ip = start;
  let op = 1; // out[0] is the control byte of the first literal run
  let literalCtrl = 0;
  let literals = 0;
  while (ip + 2 < end) {
    const h = hash3(input[ip], input[ip + 1], input[ip + 2]);
    const stored = hashTable[h];
    hashTable[h] = base + ip;
    const ref = stored >= minValid ? stored - base : -1;
    const offset = ip - ref - 1;
    if (ref >= 0 && offset < MAX_OFFSET && input[ref] === input[ip] && input[ref + 1] === input[ip + 1] && input[ref + 2] === input[ip + 2]) {
      const limit = Math.min(MAX_MATCH, end - ip);
      let len = 3;
      while (len < limit && input[ref + len] === input[ip + len]) len++;
      // Close the literal run (or drop its unused control byte), then write the reference.
      if (literals > 0) out[literalCtrl] = literals - 1;
      else op--;
      if (op + 4 > maxOut) return 0;
      const code = len - 2;
      if (code < 7) {
        out[op++] = (code << 5) | (offset >> 8);
      } else {
        out[op++] = (7 << 5) | (offset >> 8);
        out[op++] = code - 7;
      }
      out[op++] = offset & 0xff;
      // Remember the positions inside the match too: later data often repeats them.
      const stop = ip + len;
      for (let p = ip + 1; p < stop && p + 2 < end; p++) hashTable[hash3(input[p], input[p + 1], input[p + 2])] = base + p;
      ip = stop;
      literalCtrl = op++;
      literals = 0;
      continue;
    }
    if (op >= maxOut) return 0;
    out[op++] = input[ip++];
    if (++literals === MAX_LITERAL) {
      out[literalCtrl] = MAX_LITERAL - 1;
      literals = 0;
      literalCtrl = op++;
    }
  }
  while (ip < end) {
    if (op >= maxOut) return 0;
    out[op++] = input[ip++];
    if (++literals === MAX_LITERAL) {
      out[literalCtrl] = MAX_LITERAL - 1;
      literals = 0;
      literalCtrl = op++;
    }
  }
  if (literals > 0) out[literalCtrl] = literals - 1;
  else op--;
  return op <= maxOut ? op : 0;
}

function hash3(a: number, b: number, c: number): number {
  return Math.imul((a << 16) | (b << 8) | c, 0x9e3779b1) >>> (32 - HASH_BITS);
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
