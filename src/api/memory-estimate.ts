/**
 * Redis's MEMORY USAGE arithmetic: what jemalloc would hand out, so that the numbers match a real
 * server's for the same data.
 */

/** sizeof(dictEntry) on 64-bit builds: the hash table entry every key costs. */
export const DICT_ENTRY_BYTES = 24;

/**
 * The jemalloc size class an allocation of `n` bytes gets: 8, then multiples of 16 up to 128,
 * then four classes per doubling (160, 192, 224, 256, 320 ...).
 */
export function allocationSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  let power = 128;
  while (power * 2 < n) power *= 2;
  const step = power / 4;
  return Math.ceil(n / step) * step;
}

/** Bytes an sds string of `length` bytes is allocated with: header (by length class), data, NUL. */
export function sdsAllocation(length: number): number {
  let header: number;
  if (length < 32) header = 1;
  else if (length < 256) header = 3;
  else if (length < 65536) header = 5;
  else if (length < 4294967296) header = 9;
  else header = 17;
  return allocationSize(header + length + 1);
}

/** What a key adds to its value in MEMORY USAGE: the key's own sds and its dict entry. */
export function keyOverhead(keyLength: number): number {
  return sdsAllocation(keyLength) + DICT_ENTRY_BYTES;
}

/** Bytes a Redis dict of `size` entries costs beyond its entries' contents (entries + bucket array). */
export function dictOverhead(size: number): number {
  if (size === 0) return 0;
  let buckets = 4;
  while (buckets < size) buckets *= 2;
  return size * DICT_ENTRY_BYTES + buckets * 8;
}
