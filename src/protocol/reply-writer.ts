/**
 * Protocol-aware reply writer. Handlers describe replies ("map of n", "double", "null") and the
 * writer emits RESP3 types or their RESP2 forms, depending on what the connection negotiated.
 * Replies accumulate in one growable buffer and leave as one socket write per input batch.
 */

/** The buffer a writer starts with, on its first reply (idle connections hold none). */
const INITIAL_SIZE = 4 * 1024;
const NO_BUFFER = Buffer.alloc(0);
/** Strings up to this length are copied by a JS loop rather than Buffer.latin1Write (measured faster). */
const SHORT_STRING = 32;
/** After a flush, a buffer grown past this is dropped so one huge reply does not pin memory. */
const SHRINK_ABOVE = 1024 * 1024;

const OK = Buffer.from('+OK\r\n');
const PONG = Buffer.from('+PONG\r\n');
const QUEUED = Buffer.from('+QUEUED\r\n');
const NULL_BULK = Buffer.from('$-1\r\n');
const NULL_ARRAY = Buffer.from('*-1\r\n');
const NULL_RESP3 = Buffer.from('_\r\n');
const EMPTY_ARRAY = Buffer.from('*0\r\n');
const EMPTY_BULK = Buffer.from('$0\r\n\r\n');
const TRUE_RESP3 = Buffer.from('#t\r\n');
const FALSE_RESP3 = Buffer.from('#f\r\n');

/** Pre-encoded ":n\r\n" for small integers, the commonest replies. */
const SMALL_INTS: Buffer[] = [];
for (let i = -1; i <= 1024; i++) SMALL_INTS.push(Buffer.from(`:${i}\r\n`));

export type ProtocolVersion = 2 | 3;

export class ReplyWriter {
  protocol: ProtocolVersion = 2;
  /** When true, replies are discarded (AOF replay, the stream from a master). */
  muted = false;
  /** Told of every error reply sent (the server's error counters); null for internal clients. */
  onError: ((message: string) => void) | null = null;
  /**
   * Error replies written without being counted (a script's error that its inner command already
   * counted): the call still counts as failed in commandstats, as Redis's ERR_REPLY_FLAG_NO_STATS_UPDATE.
   */
  uncountedErrors = 0;
  private buf: Buffer = NO_BUFFER;
  private len = 0;

  /** Bytes waiting to be written. */
  get pendingBytes(): number {
    return this.len;
  }

  /**
   * The pending output as a view of the writer's buffer (no copy), and resets; null when nothing
   * is pending. The view goes to one socket write; then `afterWrite` says whether the socket still
   * holds it. (Copying every batch's replies out instead cost 5-7 % of the CPU per request at
   * pipeline 1: bench/README.md.)
   */
  takeView(): Buffer | null {
    if (this.len === 0) return null;
    const out = this.buf.subarray(0, this.len);
    this.len = 0;
    return out;
  }

  /**
   * After the view's write: when the socket queued it (the kernel took only part), it is the
   * socket's now, and replies go to a fresh buffer; otherwise the bytes are sent and the buffer is
   * written again (unless one huge reply grew it: then it is dropped so it does not pin memory).
   */
  afterWrite(stillQueued: boolean): void {
    if (stillQueued || this.buf.length > SHRINK_ABOVE) this.buf = NO_BUFFER;
  }

  /** Discards pending output. */
  clear(): void {
    this.len = 0;
  }

  // ---- raw building blocks -------------------------------------------------------------------

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let size = Math.max(this.buf.length * 2, INITIAL_SIZE);
    while (size < need) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }

  /** Appends pre-encoded protocol bytes. */
  raw(bytes: Buffer): void {
    if (this.muted) return;
    const n = bytes.length;
    this.ensure(n);
    // +OK, :1, $-1 ...: for a few bytes a loop beats Buffer.copy's argument checks and native call.
    if (n <= 32) {
      const out = this.buf;
      let at = this.len;
      for (let i = 0; i < n; i++) out[at++] = bytes[i];
    } else {
      bytes.copy(this.buf, this.len);
    }
    this.len += n;
  }

  /**
   * Appends a pre-encoded push frame (a Pub/Sub message, an invalidation): sent even while the
   * client's own replies are switched off (CLIENT REPLY OFF), as Redis sends pushes.
   */
  pushFrame(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
  }

  /** Appends an ASCII/latin1 protocol string. */
  rawString(s: string): void {
    if (this.muted) return;
    const n = s.length;
    this.ensure(n);
    if (n <= SHORT_STRING) {
      const b = this.buf;
      let at = this.len;
      for (let i = 0; i < n; i++) b[at++] = s.charCodeAt(i);
      this.len = at;
    } else {
      this.len += this.buf.latin1Write(s, this.len);
    }
  }

  private header(prefix: number, n: number): void {
    this.ensure(24);
    const b = this.buf;
    b[this.len++] = prefix;
    if (n >= 0 && n < 10) {
      b[this.len++] = 48 + n;
    } else if (n >= 10 && n < 1000) {
      // Element lengths are mostly short: their digits written directly, no string per reply.
      if (n >= 100) b[this.len++] = 48 + ((n / 100) | 0);
      b[this.len++] = 48 + (((n / 10) | 0) % 10);
      b[this.len++] = 48 + (n % 10);
    } else {
      const digits = String(n);
      for (let i = 0; i < digits.length; i++) b[this.len++] = digits.charCodeAt(i);
    }
    b[this.len++] = 13;
    b[this.len++] = 10;
  }

  // ---- simple types --------------------------------------------------------------------------

  ok(): void {
    this.raw(OK);
  }

  pong(): void {
    this.raw(PONG);
  }

  queued(): void {
    this.raw(QUEUED);
  }

  /** +status reply; must not contain CR or LF. */
  status(text: string): void {
    if (this.muted) return;
    this.rawString('+' + text + '\r\n');
  }

  /** -error reply. `message` includes its code, e.g. "ERR syntax error". */
  error(message: string): void {
    if (this.muted) return;
    if (this.onError !== null) this.onError(message);
    // Errors are one line: Redis replaces newlines so the reply cannot break the protocol.
    this.rawString('-' + message.replace(/[\r\n]/g, ' ') + '\r\n');
  }

  integer(n: number | bigint): void {
    if (this.muted) return;
    if (typeof n === 'number' && n >= -1 && n <= 1024 && Number.isInteger(n)) {
      this.raw(SMALL_INTS[n + 1]);
      return;
    }
    this.rawString(':' + String(n) + '\r\n');
  }

  // ---- bulk strings --------------------------------------------------------------------------

  /** Bulk string from a latin1 string (the form keys and values are stored in). */
  bulk(value: string): void {
    if (this.muted) return;
    const n = value.length;
    if (n === 0) {
      this.raw(EMPTY_BULK);
      return;
    }
    this.header(36, n);
    this.ensure(n + 2);
    const b = this.buf;
    let at = this.len;
    // Short strings: a char loop beats the native write's call overhead (members, fields, ids).
    if (n <= SHORT_STRING) for (let i = 0; i < n; i++) b[at++] = value.charCodeAt(i);
    else at += b.latin1Write(value, at);
    b[at++] = 13;
    b[at++] = 10;
    this.len = at;
  }

  /** Bulk string from bytes. */
  bulkBuffer(value: Buffer): void {
    this.bulkRange(value, 0, value.length);
  }

  /**
   * Bulk string of `source[start, end)`, copied straight from the caller's bytes: a packed
   * collection replies its elements with no Buffer view made per element (LRANGE's hot loop).
   */
  bulkRange(source: Uint8Array, start: number, end: number): void {
    if (this.muted) return;
    const n = end - start;
    this.header(36, n);
    this.ensure(n + 2);
    const out = this.buf;
    let at = this.len;
    // Short elements: a byte loop beats the native copy's call overhead.
    if (n <= 32) for (let i = start; i < end; i++) out[at++] = source[i];
    else {
      // A plain Uint8Array view: Buffer's subarray builds a FastBuffer, a quarter slower per element.
      out.set(new Uint8Array(source.buffer, source.byteOffset + start, n), at);
      at += n;
    }
    out[at++] = 13;
    out[at++] = 10;
    this.len = at;
  }

  /** Bulk string from text that may hold non-latin1 characters (info, help): sent as UTF-8. */
  bulkText(text: string): void {
    this.bulkBuffer(Buffer.from(text, 'utf8'));
  }

  /** Bulk string of an integer's decimal form. */
  bulkInteger(n: number | bigint): void {
    this.bulk(String(n));
  }

  /** Verbatim string (RESP3 `=`), a plain bulk string under RESP2. */
  verbatim(text: string, format = 'txt'): void {
    if (this.muted) return;
    if (this.protocol === 2) {
      this.bulkText(text);
      return;
    }
    const body = Buffer.from(format + ':' + text, 'utf8');
    this.header(61, body.length);
    this.raw(body);
    this.rawString('\r\n');
  }

  // ---- nulls and booleans --------------------------------------------------------------------

  /** The null a missing value gets: `$-1` under RESP2, `_` under RESP3. */
  nullBulk(): void {
    this.raw(this.protocol === 3 ? NULL_RESP3 : NULL_BULK);
  }

  /** The null a missing aggregate gets: `*-1` under RESP2, `_` under RESP3. */
  nullArray(): void {
    this.raw(this.protocol === 3 ? NULL_RESP3 : NULL_ARRAY);
  }

  boolean(value: boolean): void {
    if (this.protocol === 3) this.raw(value ? TRUE_RESP3 : FALSE_RESP3);
    else this.raw(SMALL_INTS[value ? 2 : 1]);
  }

  // ---- aggregates ----------------------------------------------------------------------------

  array(n: number): void {
    if (this.muted) return;
    if (n === 0) this.raw(EMPTY_ARRAY);
    else this.header(42, n);
  }

  /** Map of n pairs: `%n` under RESP3, a flat array of 2n under RESP2. */
  map(n: number): void {
    if (this.muted) return;
    if (this.protocol === 3) this.header(37, n);
    else this.array(n * 2);
  }

  /** Set of n members: `~n` under RESP3, an array under RESP2. */
  set(n: number): void {
    if (this.muted) return;
    if (this.protocol === 3) this.header(126, n);
    else this.array(n);
  }

  /** Push message header (`>n`), an array under RESP2. */
  push(n: number): void {
    if (this.muted) return;
    if (this.protocol === 3) this.header(62, n);
    else this.array(n);
  }

  /** Double, formatted with `%.17g` as Redis 7.0 does: `,d` under RESP3, a bulk string under RESP2. */
  double(d: number): void {
    if (this.muted) return;
    const text = formatDouble17g(d);
    if (this.protocol === 3) this.rawString(',' + text + '\r\n');
    else this.bulk(text);
  }

  /** Array of bulk strings. */
  bulkArray(values: readonly string[]): void {
    this.array(values.length);
    for (let i = 0; i < values.length; i++) this.bulk(values[i]);
  }
}

/** printf("%.17g") for a double, with Redis's inf/nan spellings. */
export function formatDouble17g(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const exponential = d.toExponential(16);
  const e = exponential.indexOf('e');
  const exp10 = Number(exponential.slice(e + 1));
  if (exp10 < -4 || exp10 >= 17) {
    const mantissa = stripFractionZeros(exponential.slice(0, e));
    const digits = String(Math.abs(exp10)).padStart(2, '0');
    return mantissa + 'e' + (exp10 < 0 ? '-' : '+') + digits;
  }
  return stripFractionZeros(d.toFixed(16 - exp10));
}

function stripFractionZeros(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}
