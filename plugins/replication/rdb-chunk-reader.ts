import { RdbByteReader } from 'redix-server/persistence';

/**
 * Reads RDB data received from a master as a list of socket chunks, joining only what a read spans
 * and releasing chunks as they are consumed.
 */
export class RdbChunkReader extends RdbByteReader {
  private next = 0;

  constructor(private readonly chunks: (Buffer | undefined)[]) {
    super();
  }

  protected ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.crc.update(this.buf, this.crcPos, this.pos);
    const pieces: Buffer[] = [this.buf.subarray(this.pos)];
    let filled = pieces[0].length;
    while (filled < n && this.next < this.chunks.length) {
      const chunk = this.chunks[this.next];
      this.chunks[this.next++] = undefined;
      if (chunk === undefined || chunk.length === 0) continue;
      pieces.push(chunk);
      filled += chunk.length;
    }
    this.base += this.pos;
    this.buf = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, filled);
    this.pos = 0;
    this.crcPos = 0;
    if (filled < n) {
      this.pos = filled;
      throw this.error('unexpected end of data');
    }
  }
}
