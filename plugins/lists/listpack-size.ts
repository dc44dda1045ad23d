import { listpackIntegerOf } from './listpack-integer';

/** A listpack's fixed bytes: 4-byte total length, 2-byte count, the end byte. */
export const LISTPACK_EMPTY_BYTES = 7;

/** Bytes of a listpack entry's backlen for an entry of `l` bytes (lpEncodeBacklen). */
function backlenBytes(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/**
 * Bytes `s` takes in a listpack, as lpAppend encodes it: the smallest integer encoding when it is
 * a strict int64 text, else a string with a 6-, 12- or 32-bit length; plus its backlen. Tracked
 * per node so node splits follow Redis's size limits exactly (and DUMP payloads match).
 */
export function listpackEntryBytes(s: string): number {
  const n = s.length;
  const v = n <= 20 ? listpackIntegerOf(s) : null;
  if (v !== null) return listpackIntegerEntryBytes(v);
  return listpackStringEntryBytes(n);
}

/** Bytes of an integer entry in a listpack (its smallest integer encoding plus its backlen). */
export function listpackIntegerEntryBytes(v: number | bigint): number {
  let l: number;
  if (typeof v === 'bigint') l = 9;
  else if (v >= 0 && v <= 127) l = 1;
  else if (v >= -4096 && v <= 4095) l = 2;
  else if (v >= -32768 && v <= 32767) l = 3;
  else if (v >= -8388608 && v <= 8388607) l = 4;
  else if (v >= -2147483648 && v <= 2147483647) l = 5;
  else l = 9;
  return l + backlenBytes(l);
}

/** Bytes of a string entry of `n` bytes that is not an integer (a 6-, 12- or 32-bit length, the bytes, the backlen). */
export function listpackStringEntryBytes(n: number): number {
  const l = (n < 64 ? 1 : n < 4096 ? 2 : 5) + n;
  return l + backlenBytes(l);
}
