import {
  GEO_STEP_MAX, WGS84_LAT, WGS84_LONG, ZERO_HASH, geohashDecode, geohashEncode, geohashNeighbors, type GeoArea, type GeoHashBits,
} from './geohash';

/** geohash_helper.c's constants. */
const D_R = Math.PI / 180.0;
export const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

/** A search area: a circle (radius) or a box (width × height), around xy, in units of `conversion` metres. */
export interface GeoShape {
  circular: boolean;
  x: number;
  y: number;
  conversion: number;
  radius: number;
  width: number;
  height: number;
}

export function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** The haversine distance Redis computes (geohashGetDistance), in metres. */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  // Same longitude: the latitude distance, without the trigonometry.
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/**
 * The distance from the shape's centre to (x, y) when the point is inside the shape, else -1
 * (geoWithinShape).
 */
export function distanceIfWithin(shape: GeoShape, x: number, y: number): number {
  if (shape.circular) {
    const distance = geoDistance(shape.x, shape.y, x, y);
    return distance > shape.radius * shape.conversion ? -1 : distance;
  }
  const width = shape.width * shape.conversion;
  const height = shape.height * shape.conversion;
  if (latDistance(y, shape.y) > height / 2) return -1;
  if (geoDistance(x, y, shape.x, y) > width / 2) return -1;
  return geoDistance(shape.x, shape.y, x, y);
}

function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** geohashBoundingBox: [minLon, minLat, maxLon, maxLat]. */
function boundingBox(shape: GeoShape): [number, number, number, number] {
  const height = shape.conversion * (shape.circular ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.circular ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(shape.y + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(shape.y - latDelta)));
  const southern = shape.y < 0;
  return [
    southern ? shape.x - longDeltaBottom : shape.x - longDeltaTop,
    shape.y - latDelta,
    southern ? shape.x + longDeltaBottom : shape.x + longDeltaTop,
    shape.y + latDelta,
  ];
}

/**
 * geohashCalculateAreasByShapeWGS84: the boxes to scan, in Redis's order (centre, N, S, E, W, NE,
 * NW, SE, SW), the useless ones zeroed.
 */
export function searchBoxes(shape: GeoShape): GeoHashBits[] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  let radiusMeters = shape.circular ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;
  let steps = estimateSteps(radiusMeters, shape.y);
  let hash = geohashEncode(WGS84_LONG, WGS84_LAT, shape.x, shape.y, steps) ?? { bits: 0, step: steps };
  let n = geohashNeighbors(hash);
  let area: GeoArea = geohashDecode(WGS84_LONG, WGS84_LAT, hash);
  const north = geohashDecode(WGS84_LONG, WGS84_LAT, n.north);
  const south = geohashDecode(WGS84_LONG, WGS84_LAT, n.south);
  const east = geohashDecode(WGS84_LONG, WGS84_LAT, n.east);
  const west = geohashDecode(WGS84_LONG, WGS84_LAT, n.west);
  const decrease = north.latitude.max < maxLat || south.latitude.min > minLat || east.longitude.max < maxLon || west.longitude.min > minLon;
  if (steps > 1 && decrease) {
    steps--;
    hash = geohashEncode(WGS84_LONG, WGS84_LAT, shape.x, shape.y, steps) ?? { bits: 0, step: steps };
    n = geohashNeighbors(hash);
    area = geohashDecode(WGS84_LONG, WGS84_LAT, hash);
  }
  const boxes = [hash, n.north, n.south, n.east, n.west, n.northEast, n.northWest, n.southEast, n.southWest];
  if (steps >= 2) {
    if (area.latitude.min < minLat) boxes[2] = boxes[8] = boxes[7] = ZERO_HASH;
    if (area.latitude.max > maxLat) boxes[1] = boxes[5] = boxes[6] = ZERO_HASH;
    if (area.longitude.min < minLon) boxes[4] = boxes[8] = boxes[6] = ZERO_HASH;
    if (area.longitude.max > maxLon) boxes[3] = boxes[7] = boxes[5] = ZERO_HASH;
  }
  return boxes;
}

/** The score interval [min, max) of a box's members (scoresOfGeoHashBox). */
export function boxScores(hash: GeoHashBits): [number, number] {
  const shift = 2 ** (2 * GEO_STEP_MAX - hash.step * 2);
  return [hash.bits * shift, (hash.bits + 1) * shift];
}

/** fixedpoint_d2string(d, 4): llrint(d × 10^4) printed with four decimals (GEODIST, WITHDIST). */
export function formatDistance(d: number): string {
  if (d === 0) return '0.0000';
  const v = d * 10000;
  let r = Math.floor(v);
  const diff = v - r;
  if (diff > 0.5 || (diff === 0.5 && r % 2 !== 0)) r++;
  const negative = r < 0;
  const digits = String(Math.abs(r)).padStart(5, '0');
  return (negative ? '-' : '') + digits.slice(0, -4) + '.' + digits.slice(-4);
}

/** ld2string(LD_STR_HUMAN): %.17Lf with trailing zeros (and a bare dot) dropped (GEOPOS, WITHCOORD). */
export function formatHuman(d: number): string {
  let s = d.toFixed(17);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '-0' : s;
}
