/**
 * LZF, the compression RDB files use for long strings and listpack/intset/quicklist blobs. Format:
 *   control byte c < 32          a literal run: the next c + 1 bytes are copied as they are;
 *   c >= 32                      a back-reference: length (c >> 5) + 2, or with c >> 5 = 7 one more
 *                                byte is added to the length; offset ((c & 31) << 8 | next byte) + 1
 *                                back from the current output position (the copy may overlap).
 *
 * The compressor makes the same choices as liblzf 3.6 built the way Redis builds it (HLOG 16,
 * VERY_FAST, not ULTRA_FAST), so its output equals redis-server's byte for byte: the same 3-byte
 * hash and table size, a reference only to a position after the first byte and under 8 KiB back,
 * the same match-length limits, only the last two positions of a match hashed, and the same
 * give-up tests against the output limit. liblzf does not clear its (stack) table between calls;
 * ours starts each call empty, which is what liblzf does whenever stale slots miss the input.
 */

/** Table size: liblzf's HLOG. */
const HASH_LOG = 16;
const HASH_MASK = (1 << HASH_LOG) - 1;
/** Back-references reach at most this far back (13 bits of offset, plus one). */
const MAX_OFFSET = 1 << 13;
/** Longest back-reference: 7 + 255 from the length fields, plus the implicit 2. */
const MAX_MATCH = (1 << 8) + (1 << 3);
/** Longest literal run one control byte describes. */
const MAX_LITERAL = 1 << 5;

/**
 * The position last seen for each hash, stored as `stamp + position`: every call takes stamps
 * above all earlier ones, so a slot left from an earlier call reads as "before this input" and the
 * one table is reused without clearing.
 */
const hashTable = new Float64Array(1 << HASH_LOG);
let stamp = 0;

export class LzfError extends Error {}

/** liblzf's VERY_FAST hash of the 3 bytes whose big-endian value is `h` (only its low 24 bits count). */
function slotOf(h: number): number {
  return ((h >>> 8) - h * 5) & HASH_MASK;
}

/**
 * Compresses `input[start, end)` into `out`, using at most `maxOut` bytes of it (liblzf's
 * out_len). Returns the compressed length, or 0 when liblzf would give up because the result does
 * not fit (the caller then stores the data raw).
 */
export function lzfCompress(input: Uint8Array, start: number, end: number, out: Uint8Array, maxOut: number): number {
  const inLength = end - start;
  if (inLength <= 0 || maxOut <= 0) return 0;
  if (stamp + inLength + 2 > Number.MAX_SAFE_INTEGER) {
    hashTable.fill(0);
    stamp = 0;
  }
  // A slot holds bias + position; a value from an earlier call gives a position before `start`.
  const bias = stamp + 1 - start;
  stamp += inLength + 1;
  const table = hashTable;
  const hashEnd = end - 2; // the last position with 3 bytes to hash is hashEnd - 1

  let ip = start;
  let op = 1; // out[0] is the control byte of the first literal run
  let lit = 0;
  let h = (input[ip] << 8) | (inLength > 1 ? input[ip + 1] : 0);
  while (ip < hashEnd) {
    h = ((h << 8) | input[ip + 2]) & 0xffffff;
    const slot = slotOf(h);
    const ref = table[slot] - bias;
    table[slot] = bias + ip;
    const off = ip - ref - 1;
    // liblzf never refers back to the very first byte (its test is ref > in_data).
    if (off < MAX_OFFSET && ref > start && input[ref + 2] === input[ip + 2] && input[ref] === input[ip] && input[ref + 1] === input[ip + 1]) {
      let maxLength = end - ip - 2;
      if (maxLength > MAX_MATCH) maxLength = MAX_MATCH;
      // The exact test is needed only when no literal run is open (its control byte is reused).
      if (op + 4 >= maxOut && op - (lit === 0 ? 1 : 0) + 4 >= maxOut) return 0;
      out[op - lit - 1] = lit - 1; // close the run (a zero-length one is taken back just below)
      if (lit === 0) op--;
      const len = matchLength(input, ref, ip, maxLength) - 2;
      ip++;
      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // open the next run
      ip += len + 1;
      if (ip >= hashEnd) break;
      // VERY_FAST: hash only the match's last two positions, then go on after it.
      ip -= 2;
      h = (input[ip] << 8) | input[ip + 1];
      h = ((h << 8) | input[ip + 2]) & 0xffffff;
      table[slotOf(h)] = bias + ip;
      ip++;
      h = ((h << 8) | input[ip + 2]) & 0xffffff;
      table[slotOf(h)] = bias + ip;
      ip++;
      continue;
    }
    if (op >= maxOut) return 0;
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  if (op + 3 > maxOut) return 0; // at most 2 bytes are left, plus a control byte
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
 * How many bytes from `ip` equal those from `ref` (3 are known to), as liblzf counts them: up to
 * `maxLength`, except that when more than 16 are allowed it first compares 16 more without looking
 * at the limit, so a match near the end of the input may run one or two bytes past it.
 */
function matchLength(input: Uint8Array, ref: number, ip: number, maxLength: number): number {
  let len = 2;
  if (maxLength > 16) {
    for (let i = 0; i < 16; i++) {
      len++;
      if (input[ref + len] !== input[ip + len]) return len;
    }
  }
  do len++;
  while (len < maxLength && input[ref + len] === input[ip + len]);
  return len;
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
