/**
 * Memory for quicklist nodes, cut from slabs. Every Buffer with memory of its own costs ~400
 * bytes of RSS beyond its bytes (ArrayBuffer, backing store, malloc's bookkeeping), and even a
 * view of shared memory is a ~100-byte object: a small list was mostly that. A node growing by
 * reallocation also left a trail of dead Buffers for the GC to find, which malloc then kept. So
 * a node's bytes are a region of a slab that every node cut from it shares one Buffer of: the
 * slab's latest region grows and shrinks where it is (a list filled at its tail copies nothing),
 * and a slab is freed once no node uses it. Node's own Buffer pool is not used: its 8 kB chunks
 * are shared with every other Buffer in the process.
 */
class SlabClass {
  buf: Buffer;
  used = 0;

  constructor(readonly slabBytes: number, readonly maxRegion: number) {
    this.buf = Buffer.allocUnsafeSlow(slabBytes);
  }

  take(size: number): number {
    if (this.used + size > this.slabBytes) {
      this.buf = Buffer.allocUnsafeSlow(this.slabBytes);
      this.used = 0;
    }
    const at = this.used;
    this.used += size;
    return at;
  }
}

/** Small regions: a few survivors pin little; the slab's own cost is noise. */
const SMALL = new SlabClass(16 * 1024, 1024);
/** Full nodes (list-max-listpack-size -2 is 8 kB, -4 is 32 kB): about 30 per slab. */
const LARGE = new SlabClass(256 * 1024, 32 * 1024);

/** Where the last allocateRegion() put its region in the Buffer it returned (read at once). */
export let regionStart = 0;

/** A region of `size` bytes: the Buffer returned, from offset `regionStart`. */
export function allocateRegion(size: number): Buffer {
  const slab = size <= SMALL.maxRegion ? SMALL : size <= LARGE.maxRegion ? LARGE : null;
  if (slab === null) {
    regionStart = 0;
    return Buffer.allocUnsafeSlow(size);
  }
  regionStart = slab.take(size);
  return slab.buf;
}

function latestOf(buf: Buffer, end: number): SlabClass | null {
  if (buf === SMALL.buf && end === SMALL.used) return SMALL;
  if (buf === LARGE.buf && end === LARGE.used) return LARGE;
  return null;
}

/**
 * Moves the end of the region [base, end) of `buf` to `newEnd` where it is, when the region is its
 * slab's latest and stays within the slab and its class; true when done.
 */
export function resizeInPlace(buf: Buffer, base: number, end: number, newEnd: number): boolean {
  const slab = latestOf(buf, end);
  if (slab === null || newEnd > slab.slabBytes || newEnd - base > slab.maxRegion) return false;
  slab.used = newEnd;
  return true;
}
