import { HLL_DENSE, HLL_HDR_SIZE, HLL_Q, HLL_REGISTERS } from './hll-layout';
import { forEachSparseRun } from './hll-sparse';

/**
 * The cardinality estimator of Redis 7.0 (Otmar Ertl, "New cardinality estimation algorithms for
 * HyperLogLog sketches", arXiv:1702.01284) over a histogram of register values, computed with
 * the same double operations in the same order so the integer matches Redis's.
 */
/** 0.5 / ln(2), Redis's HLL_ALPHA_INF. */
const ALPHA_INF = 0.5 / Math.LN2;

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** The estimate from a histogram (histo[v] = registers holding v). */
export function estimate(histo: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[HLL_Q + 1]) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * sigma(histo[0] / m);
  return Math.round((ALPHA_INF * m * m) / z);
}

/** Histogram of 16384 dense 6-bit registers: 4 registers per 3 bytes. */
export function denseHistogram(buf: Buffer, histo: Int32Array): void {
  for (let p = HLL_HDR_SIZE, end = HLL_HDR_SIZE + (HLL_REGISTERS * 6) / 8; p < end; p += 3) {
    const b0 = buf[p];
    const b1 = buf[p + 1];
    const b2 = buf[p + 2];
    histo[b0 & 63]++;
    histo[((b0 >> 6) | (b1 << 2)) & 63]++;
    histo[((b1 >> 4) | (b2 << 4)) & 63]++;
    histo[b2 >> 2]++;
  }
}

/** Histogram of a sparse HLL; false when its runs do not cover exactly 16384 registers. */
export function sparseHistogram(buf: Buffer, len: number, histo: Int32Array): boolean {
  return forEachSparseRun(buf, len, (value, _first, run) => {
    histo[value] += run;
  }) === HLL_REGISTERS;
}

/** Histogram of one byte per register (PFCOUNT's union of several keys). */
export function rawHistogram(max: Uint8Array, histo: Int32Array): void {
  for (let i = 0; i < HLL_REGISTERS; i++) histo[max[i]]++;
}

/** hllCount of an HLL's bytes: the estimate, or -1 for a sparse HLL whose runs are invalid. */
export function countOf(buf: Buffer, len: number): number {
  const histo = new Int32Array(64);
  if (buf[4] === HLL_DENSE) denseHistogram(buf, histo);
  else if (!sparseHistogram(buf, len, histo)) return -1;
  return estimate(histo);
}
