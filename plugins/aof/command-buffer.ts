import type { PropagatedArg } from 'redix-server';

const INITIAL_SIZE = 64 * 1024;
/** After a drain, a buffer grown past this is dropped so one burst does not pin memory. */
const SHRINK_ABOVE = 4 * 1024 * 1024;

/**
 * A growable byte buffer of commands in RESP multibulk form, as Redis writes them to an AOF
 * (`*<argc>\r\n$<len>\r\n<bytes>\r\n...`). Strings are latin1 (one byte per character).
 */
export class CommandBuffer {
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_SIZE);
  private len = 0;

  get length(): number {
    return this.len;
  }

  /** Appends one command. */
  append(argv: readonly PropagatedArg[]): void {
    this.header(42, argv.length);
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (typeof arg === 'string') {
        this.header(36, arg.length);
        this.ensure(arg.length + 2);
        this.len += this.buf.latin1Write(arg, this.len);
      } else {
        this.header(36, arg.length);
        this.ensure(arg.length + 2);
        arg.copy(this.buf, this.len);
        this.len += arg.length;
      }
      this.buf[this.len++] = 13;
      this.buf[this.len++] = 10;
    }
  }

  /** Appends `SELECT <db>`. */
  appendSelect(db: number): void {
    this.append(['SELECT', String(db)]);
  }

  /** The pending bytes (a view valid until the next append or reset). */
  view(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** Drops the first `n` bytes (what a write consumed), keeping the rest. */
  consume(n: number): void {
    if (n >= this.len) {
      this.len = 0;
      // A fresh buffer rather than reuse: a view handed out by view() stays intact.
      if (this.buf.length > SHRINK_ABOVE) this.buf = Buffer.allocUnsafe(INITIAL_SIZE);
      return;
    }
    this.buf.copy(this.buf, 0, n, this.len);
    this.len -= n;
  }

  reset(): void {
    this.consume(this.len);
  }

  private header(prefix: number, n: number): void {
    this.ensure(24);
    const b = this.buf;
    b[this.len++] = prefix;
    if (n < 10) {
      b[this.len++] = 48 + n;
    } else {
      this.len += b.latin1Write(String(n), this.len);
    }
    b[this.len++] = 13;
    b[this.len++] = 10;
  }

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }
}
