/**
 * Redis's geohash: a longitude/latitude pair as two 26-bit offsets into the WGS84 Web Mercator
 * ranges, interleaved into 52 bits (latitude in the even bits) that are the sorted-set score. The
 * neighbour and area computations follow geohash.c / geohash_helper.c step for step, so searches
 * visit the same boxes and return the same members as Redis.
 */
export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

export interface GeoRange {
  min: number;
  max: number;
}

/** A hash prefix of `step` bits per coordinate; bits 0 and step 0 is "no box". */
export interface GeoHashBits {
  bits: number;
  step: number;
}

export interface GeoArea {
  longitude: GeoRange;
  latitude: GeoRange;
}

const TWO_32 = 4294967296;
export const WGS84_LONG: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const WGS84_LAT: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

/** The 16 low bits of x spread to the even bits of a 32-bit number. */
function spread16(x: number): number {
  x &= 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** The even bits of a 32-bit number packed into 16 bits. */
function compact16(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/**
 * interleave64: `lat` bits at even positions, `lon` bits at odd ones (both uint32). The result is
 * what C's (double) of the uint64 gives, rounded to nearest above 2^53.
 */
export function interleave(lat: number, lon: number): number {
  const low = spread16(lat) + spread16(lon) * 2;
  const high = spread16(lat >>> 16) + spread16(lon >>> 16) * 2;
  return high * TWO_32 + low;
}

/** deinterleave64 of an integral score: [lat, lon] as uint32. */
export function deinterleave(bits: number): [number, number] {
  const high = Math.floor(bits / TWO_32) >>> 0;
  const low = (bits - Math.floor(bits / TWO_32) * TWO_32) >>> 0;
  const lat = compact16(low) + compact16(high) * 65536;
  const lon = compact16(low >>> 1) + compact16(high >>> 1) * 65536;
  return [lat, lon];
}

/** geohashEncode: null outside the ranges (Redis's 0 return). */
export function geohashEncode(longRange: GeoRange, latRange: GeoRange, longitude: number, latitude: number, step: number): GeoHashBits | null {
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN) return null;
  if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min || longitude > longRange.max) return null;
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  // C converts the offsets to uint32 by truncation.
  return { bits: interleave(Math.trunc(latOffset) >>> 0, Math.trunc(longOffset) >>> 0), step };
}

/** The 52-bit score of a position (geohashEncodeWGS84 at step 26, aligned). */
export function geohashScore(longitude: number, latitude: number): number {
  const hash = geohashEncode(WGS84_LONG, WGS84_LAT, longitude, latitude, GEO_STEP_MAX)!;
  return hash.bits;
}

/** geohashDecode: the box a hash names. */
export function geohashDecode(longRange: GeoRange, latRange: GeoRange, hash: GeoHashBits): GeoArea {
  const [ilato, ilono] = deinterleave(hash.bits);
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  const div = 2 ** hash.step;
  return {
    latitude: { min: latRange.min + (ilato * 1.0 / div) * latScale, max: latRange.min + ((ilato + 1) * 1.0 / div) * latScale },
    longitude: { min: longRange.min + (ilono * 1.0 / div) * longScale, max: longRange.min + ((ilono + 1) * 1.0 / div) * longScale },
  };
}

/** decodeGeohash: a score back to [longitude, latitude], the centre of its step-26 box. */
export function decodeScore(score: number): [number, number] {
  // C's (uint64_t) cast of the double.
  const bits = score > 0 ? Math.trunc(score) : 0;
  const area = geohashDecode(WGS84_LONG, WGS84_LAT, { bits, step: GEO_STEP_MAX });
  let x = (area.longitude.min + area.longitude.max) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (area.latitude.min + area.latitude.max) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  return [x, y];
}

const EVEN = 0x5555555555555555n;
const ODD = 0xaaaaaaaaaaaaaaaan;
const MASK64 = (1n << 64n) - 1n;

/** geohash_move_x / geohash_move_y on 64-bit integers. */
function move(hash: GeoHashBits, d: number, alongX: boolean): GeoHashBits {
  if (d === 0) return hash;
  const bits = BigInt(hash.bits);
  const shift = BigInt(64 - hash.step * 2);
  const moving = bits & (alongX ? ODD : EVEN);
  const still = bits & (alongX ? EVEN : ODD);
  const zz = (alongX ? EVEN : ODD) >> shift;
  let v = moving;
  if (d > 0) v = (v + (zz + 1n)) & MASK64;
  else v = ((v | zz) - (zz + 1n)) & MASK64;
  v &= (alongX ? ODD : EVEN) >> shift;
  return { bits: Number(v | still), step: hash.step };
}

export interface GeoNeighbors {
  north: GeoHashBits;
  south: GeoHashBits;
  east: GeoHashBits;
  west: GeoHashBits;
  northEast: GeoHashBits;
  northWest: GeoHashBits;
  southEast: GeoHashBits;
  southWest: GeoHashBits;
}

export function geohashNeighbors(hash: GeoHashBits): GeoNeighbors {
  return {
    east: move(hash, 1, true),
    west: move(hash, -1, true),
    south: move(hash, -1, false),
    north: move(hash, 1, false),
    northWest: move(move(hash, -1, true), 1, false),
    northEast: move(move(hash, 1, true), 1, false),
    southEast: move(move(hash, 1, true), -1, false),
    southWest: move(move(hash, -1, true), -1, false),
  };
}

export const ZERO_HASH: GeoHashBits = { bits: 0, step: 0 };

/** The 11-character standard geohash (latitude over -90..90) GEOHASH replies. */
export function standardGeohash(score: number): string {
  const [x, y] = decodeScore(score);
  const hash = geohashEncode({ min: -180, max: 180 }, { min: -90, max: 90 }, x, y, 26);
  const bits = BigInt(hash === null ? 0 : hash.bits);
  const alphabet = '0123456789bcdefghjkmnpqrstuvwxyz';
  let out = '';
  for (let i = 0; i < 11; i++) {
    const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    out += alphabet[idx];
  }
  return out;
}
