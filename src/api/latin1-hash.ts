/**
 * The hash CompactStringMap buckets by: the same number for a latin1 string and for its bytes, so
 * a command's arguments are looked up without making a string of them.
 */
/** Seeded per process, so which fields collide cannot be known in advance. */
const SEED = (Math.random() * 0x100000000) >>> 0;

/** FNV-1a over the string's code units, then murmur3's finalizer (buckets use the low bits). */
export function latin1Hash(s: string): number {
  let h = SEED;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** latin1Hash of the string these bytes are the latin1 encoding of. */
export function bytesHash(s: Uint8Array): number {
  let h = SEED;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
