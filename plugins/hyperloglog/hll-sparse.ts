import { HLL_DENSE, HLL_DENSE_SIZE, HLL_SPARSE, HLL_HDR_SIZE, HLL_REGISTERS, denseGet, denseSet } from './hll-layout';

/**
 * The sparse encoding's opcodes, after the header:
 *   ZERO   00xxxxxx            run of 1..64 zero registers
 *   XZERO  01xxxxxx yyyyyyyy   run of 1..16384 zero registers
 *   VAL    1vvvvvxx            run of 1..4 registers set to 1..32
 * The editing below follows Redis's hllSparseSet step by step, so a sequence of PFADDs leaves the
 * very bytes Redis would.
 */
const VAL_MAX_VALUE = 32;
const VAL_MAX_LEN = 4;
const ZERO_MAX_LEN = 64;

const isZero = (b: number): boolean => (b & 0xc0) === 0;
const isXzero = (b: number): boolean => (b & 0xc0) === 0x40;
const isVal = (b: number): boolean => (b & 0x80) !== 0;
const zeroLen = (b: number): number => (b & 0x3f) + 1;
const xzeroLen = (b: number, b2: number): number => (((b & 0x3f) << 8) | b2) + 1;
const valValue = (b: number): number => ((b >> 2) & 0x1f) + 1;
const valLen = (b: number): number => (b & 0x3) + 1;
const valOp = (value: number, len: number): number => 0x80 | ((value - 1) << 2) | (len - 1);

/** An HLL being edited: its bytes with room to grow, and the used length. */
export class HllBuffer {
  constructor(public buf: Buffer, public len: number) {}

  /** A copy of the stored string with 16 zero bytes of room after it. */
  static of(value: string): HllBuffer {
    const buf = Buffer.allocUnsafe(value.length + 16);
    buf.latin1Write(value, 0, value.length);
    buf.fill(0, value.length);
    return new HllBuffer(buf, value.length);
  }

  static fromBytes(buf: Buffer): HllBuffer {
    return new HllBuffer(buf, buf.length);
  }

  get encoding(): number {
    return this.buf[4];
  }

  /** Room for `extra` more bytes after len. */
  reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const grown = Buffer.alloc(Math.max(this.len + extra, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }

  toString(): string {
    return this.buf.latin1Slice(0, this.len);
  }
}

/** sparseSet's answer when the register needs the dense encoding. */
export const PROMOTE = 2;

/** Appends a ZERO or XZERO opcode for a run of `len` zero registers. */
function writeZeros(out: number[], len: number): void {
  if (len > ZERO_MAX_LEN) {
    out.push(0x40 | ((len - 1) >> 8), (len - 1) & 0xff);
  } else {
    out.push(len - 1);
  }
}

/** hllSparseToDense: false (nothing changed) when the opcodes do not cover exactly 16384 registers. */
export function sparseToDense(h: HllBuffer): boolean {
  if (h.encoding === HLL_DENSE) return true;
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  h.buf.copy(dense, 0, 0, HLL_HDR_SIZE);
  dense[4] = HLL_DENSE;
  const src = h.buf;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < h.len) {
    const b = src[p];
    let run: number;
    if (isZero(b)) {
      run = zeroLen(b);
      p++;
    } else if (isXzero(b)) {
      run = xzeroLen(b, p + 1 < h.len ? src[p + 1] : 0);
      p += 2;
    } else {
      run = valLen(b);
      p++;
    }
    // A run past the last register makes the HLL invalid (Redis's CVE-2025-32023 checks).
    if (run + idx > HLL_REGISTERS) return false;
    if (!isZero(b) && !isXzero(b)) {
      const value = valValue(b);
      for (let i = 0; i < run; i++) denseSet(dense, HLL_HDR_SIZE, idx + i, value);
    }
    idx += run;
  }
  if (idx !== HLL_REGISTERS) return false;
  h.buf = dense;
  h.len = HLL_DENSE_SIZE;
  return true;
}

/**
 * hllSparseSet: raises register `index` to `count` if lower. Returns 1 when changed, 0 when not,
 * -1 for a corrupted HLL, PROMOTE when the HLL must become dense first (a value above 32, or
 * growing past hll-sparse-max-bytes): see setRegister.
 */
export function sparseSet(h: HllBuffer, index: number, count: number, maxBytes: number): number {
  if (count > VAL_MAX_VALUE) return PROMOTE;
  h.reserve(3);
  const buf = h.buf;
  let end = h.len;
  let p = HLL_HDR_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  // Step 1: find the opcode covering the register.
  while (p < end) {
    const b = buf[p];
    let oplen = 1;
    if (isZero(b)) span = zeroLen(b);
    else if (isVal(b)) span = valLen(b);
    else {
      span = xzeroLen(b, p + 1 < end ? buf[p + 1] : 0);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  const op = buf[p];
  const next = isXzero(op) ? p + 2 : p + 1;
  const zero = isZero(op);
  const xzero = isXzero(op);
  const runlen = zero ? zeroLen(op) : xzero ? xzeroLen(op, p + 1 < end ? buf[p + 1] : 0) : valLen(op);

  let simple = false;
  if (!zero && !xzero) {
    // A VAL run already at or above count: nothing to do. A VAL of one register: raise it.
    if (valValue(op) >= count) return 0;
    if (runlen === 1) {
      buf[p] = valOp(count, 1);
      simple = true;
    }
  }
  if (zero && runlen === 1) {
    buf[p] = valOp(count, 1);
    simple = true;
  }
  if (!simple) {
    // Step 2: split the run into (before, our register, after).
    const seq: number[] = [];
    const last = first + span - 1;
    if (zero || xzero) {
      if (index !== first) writeZeros(seq, index - first);
      seq.push(valOp(count, 1));
      if (index !== last) writeZeros(seq, last - index);
    } else {
      const current = valValue(op);
      if (index !== first) seq.push(valOp(current, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(current, last - index));
    }
    // Step 3: put the sequence in place of the opcode.
    const delta = seq.length - (xzero ? 2 : 1);
    if (delta > 0 && h.len + delta > maxBytes) return PROMOTE;
    if (delta !== 0 && next < end) buf.copy(buf, next + delta, next, end);
    for (let i = 0; i < seq.length; i++) buf[p + i] = seq[i];
    end += delta;
    h.len = end;
  }
  // Step 4: merge adjacent VAL runs of the same value, scanning up to 5 opcodes from prev.
  p = prev >= 0 ? prev : HLL_HDR_SIZE;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const b = buf[p];
    if (isXzero(b)) {
      p += 2;
      continue;
    }
    if (isZero(b)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(buf[p + 1])) {
      const v1 = valValue(b);
      const len = valLen(b) + valLen(buf[p + 1]);
      if (v1 === valValue(buf[p + 1]) && len <= VAL_MAX_LEN) {
        buf[p + 1] = valOp(v1, len);
        buf.copy(buf, p, p + 1, end);
        end--;
        buf[end] = 0;
        h.len = end;
        continue;
      }
    }
    p++;
  }
  buf[15] |= 0x80;
  return 1;
}

/**
 * Visits the runs of a sparse HLL: fn(value, first register, run length). Returns the number of
 * registers covered (16384 when valid), or -1 when a run would pass the last register: the walk
 * stops there, as Redis's does since its fix for CVE-2025-32023 (in the 7.0 builds compared).
 */
export function forEachSparseRun(buf: Buffer, len: number, fn: (value: number, first: number, run: number) => void): number {
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const b = buf[p];
    let run: number;
    let value = 0;
    if (isZero(b)) {
      run = zeroLen(b);
      p++;
    } else if (isXzero(b)) {
      run = xzeroLen(b, p + 1 < len ? buf[p + 1] : 0);
      p += 2;
    } else {
      run = valLen(b);
      value = valValue(b);
      p++;
    }
    if (run + idx > HLL_REGISTERS) return -1;
    fn(value, idx, run);
    idx += run;
  }
  return idx;
}

/** PFDEBUG DECODE's text: "z:N", "Z:N" and "v:value,len" per opcode. */
export function decodeSparse(buf: Buffer, len: number): string {
  const parts: string[] = [];
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const b = buf[p];
    if (isZero(b)) {
      parts.push(`z:${zeroLen(b)}`);
      p++;
    } else if (isXzero(b)) {
      parts.push(`Z:${xzeroLen(b, p + 1 < len ? buf[p + 1] : 0)}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(b)},${valLen(b)}`);
      p++;
    }
  }
  return parts.join(' ');
}

/**
 * hllSparseSet or hllDenseSet by encoding: 1 when the register was raised, 0 when not, -1 when
 * the HLL is corrupted. A sparse HLL is made dense when it has to be.
 */
export function setRegister(h: HllBuffer, index: number, count: number, maxBytes: number): number {
  if (h.encoding === HLL_SPARSE) {
    const result = sparseSet(h, index, count, maxBytes);
    if (result !== PROMOTE) return result;
    if (!sparseToDense(h)) return -1;
  }
  if (denseGet(h.buf, HLL_HDR_SIZE, index) >= count) return 0;
  denseSet(h.buf, HLL_HDR_SIZE, index, count);
  return 1;
}
