import { ElementReader, intElementSize, skipElement, writeElement, writeIntElement, elementSize } from './listpack-elements';
import { type StreamId } from './stream-id';

/** Entry flags, as Redis's t_stream.c stores them. */
export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;

/**
 * One node of a stream: a listpack holding a master entry (the field names of the node's first
 * entry) and then entries with IDs delta-encoded against the node's master ID, exactly as
 * Redis's t_stream.c lays them out, so RDB and DUMP write the bytes as they are.
 *
 * The node's two leading counters (valid and deleted entries) are kept as numbers and only
 * written out by `toListpack`, so an append does not shift the buffer: `buf[0..used)` is the rest
 * of the listpack body, starting with the master field count.
 */
export class StreamNode {
  buf: Buffer;
  used = 0;
  /** Elements in the body (the listpack's element count is this + 2). */
  elements = 0;
  /** Offset of the first entry (after the master entry). */
  entriesStart = 0;
  masterFields: Buffer[];
  /** The ID of the last entry, deleted or not, and the offset of its flags. */
  lastId: StreamId;
  lastEntryAt = -1;

  constructor(
    readonly master: StreamId,
    public count: number,
    public deleted: number,
    buf: Buffer,
  ) {
    this.buf = buf;
    this.masterFields = [];
    this.lastId = master;
  }

  /** A node whose master entry takes the field names of `pairs` (field, value, field, value ...). */
  static create(master: StreamId, pairs: readonly Buffer[], reserve: number): StreamNode {
    let size = 0;
    for (let i = 0; i < pairs.length; i += 2) size += elementSize(pairs[i]);
    const node = new StreamNode(master, 0, 0, Buffer.allocUnsafeSlow(Math.max(size + 20 + reserve, 128)));
    const buf = node.buf;
    let p = writeIntElement(buf, 0, pairs.length / 2);
    for (let i = 0; i < pairs.length; i += 2) {
      p = writeElement(buf, p, pairs[i]);
      node.masterFields.push(Buffer.from(pairs[i]));
    }
    p = writeIntElement(buf, p, 0);
    node.used = p;
    node.elements = pairs.length / 2 + 2;
    node.entriesStart = p;
    return node;
  }

  /** True when the node's last entry is there and not deleted. */
  get lastIsLive(): boolean {
    return this.lastEntryAt >= 0 && (this.buf[this.lastEntryAt] & FLAG_DELETED) === 0;
  }

  /** lpBytes of the listpack this node is: header, counters, body, end byte. */
  get listpackBytes(): number {
    return 6 + intElementSize(this.count) + intElementSize(this.deleted) + this.used + 1;
  }

  /** Appends an entry (flags, ID deltas, fields or values, lp-count), as streamAppendItem does. */
  append(id: StreamId, pairs: readonly Buffer[]): void {
    const numFields = pairs.length / 2;
    const master = this.masterFields;
    let same = numFields === master.length;
    for (let i = 0; same && i < numFields; i++) same = sameBytes(master[i], pairs[i * 2]);
    let size = 40;
    for (let i = same ? 1 : 0; i < pairs.length; i += same ? 2 : 1) size += elementSize(pairs[i]);
    this.reserve(size);
    const buf = this.buf;
    let p = this.used;
    this.lastEntryAt = p;
    p = writeIntElement(buf, p, same ? FLAG_SAMEFIELDS : 0);
    // Deltas are int64 as Redis computes them: a smaller sequence in a later millisecond is negative.
    p = writeIntElement(buf, p, delta(id.ms, this.master.ms));
    p = writeIntElement(buf, p, delta(id.seq, this.master.seq));
    let elements = 4;
    if (same) {
      for (let i = 1; i < pairs.length; i += 2) p = writeElement(buf, p, pairs[i]);
      elements += numFields;
      p = writeIntElement(buf, p, numFields + 3);
    } else {
      p = writeIntElement(buf, p, numFields);
      for (let i = 0; i < pairs.length; i++) p = writeElement(buf, p, pairs[i]);
      elements += 1 + pairs.length;
      p = writeIntElement(buf, p, numFields + 3 + numFields + 1);
    }
    this.used = p;
    this.elements += elements;
    this.count++;
    this.lastId = id;
  }

  /** Drops the spare capacity once the node is full (lpShrinkToFit). */
  shrink(): void {
    if (this.buf.length === this.used) return;
    const exact = Buffer.allocUnsafeSlow(this.used);
    this.buf.copy(exact, 0, 0, this.used);
    this.buf = exact;
  }

  private reserve(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.used + n));
    this.buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
  }

  /** The node as a complete listpack (RDB, DUMP). */
  toListpack(): Buffer {
    const total = this.listpackBytes;
    const out = Buffer.allocUnsafe(total);
    out.writeUInt32LE(total, 0);
    const elements = this.elements + 2;
    out.writeUInt16LE(elements < 65535 ? elements : 65535, 4);
    let p = writeIntElement(out, 6, this.count);
    p = writeIntElement(out, p, this.deleted);
    this.buf.copy(out, p, 0, this.used);
    out[total - 1] = 0xff;
    return out;
  }

  /**
   * A node from a listpack as Redis stores it (RDB): validates the layout entry by entry, as
   * streamValidateListpackIntegrity does, and finds the last entry's ID.
   */
  static fromListpack(master: StreamId, lp: Buffer): StreamNode {
    if (lp.length < 7 || lp.readUInt32LE(0) !== lp.length || lp[lp.length - 1] !== 0xff) throw new Error('stream listpack is malformed');
    const r = new ElementReader();
    const end = lp.length - 1;
    let p = r.read(lp, 6);
    const count = r.number;
    p = r.read(lp, p);
    const deleted = r.number;
    const bodyStart = p;
    const body = Buffer.allocUnsafeSlow(end - bodyStart);
    lp.copy(body, 0, bodyStart, end);
    const node = new StreamNode(master, count, deleted, body);
    node.used = body.length;
    let q = r.read(body, 0);
    const numMaster = r.number;
    let elements = 1;
    for (let i = 0; i < numMaster; i++) {
      q = r.read(body, q);
      node.masterFields.push(Buffer.from(r.bytes()));
      elements++;
    }
    q = r.read(body, q);
    if (r.number !== 0) throw new Error('stream master entry is not terminated');
    elements++;
    node.entriesStart = q;
    const entry = new EntryReader();
    let seen = 0;
    let seenDeleted = 0;
    while (q < body.length) {
      node.lastEntryAt = q;
      q = entry.read(node, q, false);
      elements += entry.elements;
      if (entry.flags & FLAG_DELETED) seenDeleted++;
      else seen++;
      node.lastId = entry.id;
    }
    if (q !== body.length) throw new Error('stream listpack overruns');
    if (seen !== count || seenDeleted !== deleted) throw new Error('stream listpack counters do not match its entries');
    node.elements = elements;
    return node;
  }
}

/** Byte equality without a native call (field names are short). */
function sameBytes(a: Buffer, b: Buffer): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** a - b as the int64 Redis stores (a later millisecond's smaller sequence is negative); a number when exact. */
function delta(a: bigint, b: bigint): number | bigint {
  const d = a - b;
  const n = Number(d);
  return Number.isSafeInteger(n) ? n : BigInt.asIntN(64, d);
}

/** Reads one entry of a node: its flags, ID and (when asked) its field/value pairs. */
export class EntryReader {
  flags = 0;
  id: StreamId = { ms: 0n, seq: 0n };
  /** Offset of the flags element, so a deletion can flag it in place. */
  flagsAt = 0;
  /** field, value, field, value ... (filled when `withFields`). */
  pairs: Buffer[] = [];
  numFields = 0;
  elements = 0;
  /** Set by readDeltas. */
  msDelta: number | bigint = 0;
  seqDelta: number | bigint = 0;
  private readonly el = new ElementReader();

  read(node: StreamNode, p: number, withFields: boolean): number {
    const r = this.el;
    const buf = node.buf;
    this.flagsAt = p;
    p = r.read(buf, p);
    const flags = r.number;
    this.flags = flags;
    p = r.read(buf, p);
    const msDelta = BigInt(r.int);
    p = r.read(buf, p);
    const seqDelta = BigInt(r.int);
    this.id = { ms: BigInt.asUintN(64, node.master.ms + msDelta), seq: BigInt.asUintN(64, node.master.seq + seqDelta) };
    const pairs = this.pairs;
    if (withFields) pairs.length = 0;
    if ((flags & FLAG_SAMEFIELDS) !== 0) {
      const master = node.masterFields;
      this.numFields = master.length;
      if (withFields) {
        for (let i = 0; i < master.length; i++) {
          p = r.read(buf, p);
          pairs.push(master[i], r.bytes());
        }
      } else {
        for (let i = 0; i < master.length; i++) p = skipElement(buf, p);
      }
      this.elements = 4 + master.length;
    } else {
      p = r.read(buf, p);
      const n = r.number;
      this.numFields = n;
      if (withFields) {
        for (let i = 0; i < 2 * n; i++) {
          p = r.read(buf, p);
          pairs.push(r.bytes());
        }
      } else {
        for (let i = 0; i < 2 * n; i++) p = skipElement(buf, p);
      }
      this.elements = 5 + 2 * n;
    }
    // lp-count
    return skipElement(buf, p);
  }

  /**
   * Reads only the entry's flags and its ID's deltas from the node's master (`msDelta`,
   * `seqDelta`: numbers, or bigints beyond 2^53) and returns the next entry's offset: a seek
   * compares these with the target's deltas, with no ID object or field view per entry.
   */
  readDeltas(node: StreamNode, p: number): number {
    const r = this.el;
    const buf = node.buf;
    this.flagsAt = p;
    p = r.read(buf, p);
    const flags = r.number;
    this.flags = flags;
    p = r.read(buf, p);
    this.msDelta = r.int;
    p = r.read(buf, p);
    this.seqDelta = r.int;
    let n: number;
    if ((flags & FLAG_SAMEFIELDS) !== 0) {
      n = node.masterFields.length;
    } else {
      p = r.read(buf, p);
      n = 2 * r.number;
    }
    for (let i = 0; i < n; i++) p = skipElement(buf, p);
    return skipElement(buf, p);
  }
}

/** Marks the entry whose flags element is at `flagsAt` deleted (flags stay one byte). */
export function flagDeleted(node: StreamNode, flagsAt: number): void {
  node.buf[flagsAt] |= FLAG_DELETED;
  node.count--;
  node.deleted++;
}
