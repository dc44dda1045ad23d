/** A growable byte buffer for the binary libraries (cmsgpack, struct). */
export class ByteBuffer {
  private buf = Buffer.allocUnsafe(64);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b & 0xff;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  /** An unsigned or two's complement integer of `size` bytes (up to 8), big or little endian. */
  int(value: bigint, size: number, littleEndian: boolean): void {
    this.ensure(size);
    let v = BigInt.asUintN(size * 8, value);
    for (let i = 0; i < size; i++) {
      const at = littleEndian ? this.length + i : this.length + size - 1 - i;
      this.buf[at] = Number(v & 0xffn);
      v >>= 8n;
    }
    this.length += size;
  }

  float32(value: number, littleEndian: boolean): void {
    this.ensure(4);
    if (littleEndian) this.buf.writeFloatLE(value, this.length);
    else this.buf.writeFloatBE(value, this.length);
    this.length += 4;
  }

  float64(value: number, littleEndian: boolean): void {
    this.ensure(8);
    if (littleEndian) this.buf.writeDoubleLE(value, this.length);
    else this.buf.writeDoubleBE(value, this.length);
    this.length += 8;
  }

  /** A copy of the bytes written. */
  take(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }
}
