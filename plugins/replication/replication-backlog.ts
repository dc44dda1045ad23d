/**
 * The replication backlog: the last `size` bytes of the replication stream, kept so a replica
 * that lost its link can continue from its offset (+CONTINUE) instead of a full resync. A ring
 * buffer allocated once; the service keeps the offsets (the last byte here is master_repl_offset).
 */
export class ReplicationBacklog {
  private buf: Buffer;
  /** Where the next byte goes. */
  private head = 0;
  /** Bytes held (at most the size). */
  histlen = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  get size(): number {
    return this.buf.length;
  }

  append(data: Buffer): void {
    const size = this.buf.length;
    let src = data;
    if (src.length >= size) src = src.subarray(src.length - size);
    const first = Math.min(src.length, size - this.head);
    src.copy(this.buf, this.head, 0, first);
    if (first < src.length) src.copy(this.buf, 0, first);
    this.head = (this.head + src.length) % size;
    this.histlen = Math.min(size, this.histlen + src.length);
  }

  /** The last `count` bytes (count <= histlen), as one or two views of the ring. */
  tail(count: number): Buffer[] {
    if (count <= 0) return [];
    const size = this.buf.length;
    const start = (this.head - count + size) % size;
    if (start + count <= size) return [Buffer.from(this.buf.subarray(start, start + count))];
    return [Buffer.from(this.buf.subarray(start)), Buffer.from(this.buf.subarray(0, this.head))];
  }

  /** A backlog of another size holding the most recent bytes of this one. */
  resized(size: number): ReplicationBacklog {
    const next = new ReplicationBacklog(size);
    for (const part of this.tail(Math.min(this.histlen, size))) next.append(part);
    return next;
  }
}
