/**
 * Incremental RESP request parser. State lives on the parser (one per connection), so a frame may be
 * split at any byte. Arguments are Buffer slices of the received chunk: handlers copy what they keep.
 * With `transientInput` the chunk's memory is reused after feed() returns (the shared read buffer),
 * so the parser copies the part of an incomplete frame it holds on to.
 */
import { splitInlineArgs } from './inline-args';
import { quoteArgument } from './repr';

export interface RequestSink {
  /** Called once per complete command, synchronously, in arrival order. */
  onCommand(argv: Buffer[]): void;
}

/** Limits that mirror redis.conf (proto-max-bulk-len, client-query-buffer-limit). */
export const MAX_INLINE_SIZE = 64 * 1024;
export const MAX_MULTIBULK_COUNT = 1024 * 1024 * 1024 * 2 - 1;
export const MAX_UNAUTH_MULTIBULK = 10;
export const MAX_UNAUTH_BULK = 16384;

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;

/**
 * A bulk this large or larger that does not arrive whole is read into one buffer of its announced
 * size, as Redis reads big arguments into a buffer of their own: no list of chunks, no concat.
 */
const BIG_BULK = 32 * 1024;

/** Limits every connection's parser reads (the server keeps them current on CONFIG SET). */
export interface ParserLimits {
  /** proto-max-bulk-len. */
  maxBulkLength: number;
}

const DEFAULT_LIMITS: ParserLimits = { maxBulkLength: 512 * 1024 * 1024 };

export class ProtocolError extends Error {}

export class RequestParser {
  /** Unconsumed bytes of an incomplete frame (header or small bulk). */
  private pending: Buffer | null = null;
  /** Multibulk in progress: arguments gathered so far, and how many are still expected. */
  private argv: Buffer[] | null = null;
  private argsLeft = 0;
  /** Length of the bulk whose header was read and whose bytes are awaited, or -1. */
  private bulkLength = -1;
  /** A large bulk in progress: its buffer (the bulk and its CRLF), and the bytes received. */
  private big: Buffer | null = null;
  private bigHave = 0;
  /** While false, a client may send only small requests (Redis's pre-auth limits). */
  authenticated = true;
  /** Set when fed chunks are overwritten once feed() returns (see the class comment). */
  transientInput = false;
  /** Arguments of the multibulk in progress before this index are already copies. */
  private argvOwned = 0;
  /** While a command is being handed out: the bytes from its start to the end of the input (Redis's qbuf then). */
  private dispatching = -1;
  /** Where the frame being parsed starts in the buffer being parsed. */
  private frameStart = 0;
  /** Length of the last bulk of BIG_BULK bytes or more made an argument; the reader resets it to -1. */
  bigBulkSeen = -1;

  constructor(
    private readonly sink: RequestSink,
    private readonly limits: ParserLimits = DEFAULT_LIMITS,
  ) {}

  /**
   * Feeds one received chunk. Emits every complete command; throws ProtocolError with Redis's text
   * (without the "ERR " prefix) on a malformed frame, after emitting the commands that preceded it.
   */
  feed(chunk: Buffer): void {
    if (!this.transientInput) {
      this.parse(chunk);
      return;
    }
    try {
      this.parse(chunk);
    } finally {
      if (this.pending !== null || this.argv !== null) this.copyHeldViewsOf(chunk.buffer);
    }
  }

  /** Replaces every held slice of `memory` (the chunk about to be overwritten) with a copy. */
  private copyHeldViewsOf(memory: ArrayBufferLike): void {
    if (this.pending !== null && this.pending.buffer === memory) this.pending = Buffer.from(this.pending);
    const argv = this.argv;
    if (argv !== null) {
      for (let i = this.argvOwned; i < argv.length; i++) {
        if (argv[i].buffer === memory) argv[i] = Buffer.from(argv[i]);
      }
      this.argvOwned = argv.length;
    }
  }

  private parse(chunk: Buffer): void {
    if (this.big !== null) {
      chunk = this.continueBigBulk(chunk);
      if (chunk.length === 0) return;
    }
    let buf: Buffer;
    if (this.pending !== null) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    } else {
      buf = chunk;
    }
    const end = buf.length;
    let pos = 0;
    while (pos < end) {
      if (this.argv === null) {
        this.frameStart = pos;
        if (buf[pos] !== STAR) {
          const next = this.parseInline(buf, pos);
          if (next < 0) break;
          pos = next;
          continue;
        }
        const lineEnd = findCrlf(buf, pos + 1, end);
        if (lineEnd < 0) {
          if (end - pos > MAX_INLINE_SIZE) throw new ProtocolError('Protocol error: too big mbulk count string');
          break;
        }
        const count = parseLength(buf, pos + 1, lineEnd);
        if (count === PARSE_FAILED || count > MAX_MULTIBULK_COUNT) {
          throw new ProtocolError('Protocol error: invalid multibulk length');
        }
        if (!this.authenticated && count > MAX_UNAUTH_MULTIBULK) {
          throw new ProtocolError('Protocol error: unauthenticated multibulk length');
        }
        pos = lineEnd + 2;
        if (count <= 0) continue;
        // Never preallocate from a client-supplied count: grow as arguments arrive.
        this.argv = [];
        this.argvOwned = 0;
        this.argsLeft = count;
      }
      // Inside a multibulk: read bulk headers and bodies.
      while (this.argsLeft > 0) {
        if (this.bulkLength < 0) {
          if (pos >= end) break;
          if (buf[pos] !== DOLLAR) {
            throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(buf[pos])}'`);
          }
          const lineEnd = findCrlf(buf, pos + 1, end);
          if (lineEnd < 0) {
            if (end - pos > MAX_INLINE_SIZE) throw new ProtocolError('Protocol error: too big bulk count string');
            break;
          }
          const len = parseLength(buf, pos + 1, lineEnd);
          if (len === PARSE_FAILED || len < 0 || len > this.limits.maxBulkLength) {
            throw new ProtocolError('Protocol error: invalid bulk length');
          }
          if (!this.authenticated && len > MAX_UNAUTH_BULK) {
            throw new ProtocolError('Protocol error: unauthenticated bulk length');
          }
          this.bulkLength = len;
          pos = lineEnd + 2;
        }
        const need = this.bulkLength + 2;
        if (end - pos < need) {
          if (this.bulkLength >= BIG_BULK) {
            // One buffer of the announced size (its pages are touched only as bytes arrive).
            this.big = allocateBulk(need);
            this.bigHave = buf.copy(this.big, 0, pos, end);
            return;
          }
          break;
        }
        this.argv!.push(buf.subarray(pos, pos + this.bulkLength));
        if (this.bulkLength >= BIG_BULK) this.bigBulkSeen = this.bulkLength;
        pos += need;
        this.bulkLength = -1;
        this.argsLeft--;
      }
      if (this.argsLeft > 0) break;
      const argv = this.argv!;
      this.argv = null;
      this.dispatching = end - this.frameStart;
      this.sink.onCommand(argv);
      this.dispatching = -1;
    }
    if (pos < end) this.pending = buf.subarray(pos);
  }

  /** True when no partial frame is buffered. */
  get idle(): boolean {
    return this.pending === null && this.argv === null && this.big === null;
  }

  /** The first bytes of what is held, quoted as Redis's sdscatrepr would (for the log). */
  heldPrefix(max: number): string {
    const held = this.pending ?? this.big?.subarray(0, this.bigHave) ?? Buffer.alloc(0);
    return quoteArgument(held.subarray(0, max));
  }

  /**
   * CLIENT LIST qbuf: while a command runs, its own bytes and what follows it in the input (as
   * Redis's query buffer holds them until the batch is processed); otherwise what is held.
   */
  get queryBufferBytes(): number {
    return this.dispatching >= 0 ? this.dispatching : this.bufferedBytes;
  }

  /** Length of the bulk whose header was read and whose body is awaited, or -1. */
  get awaitedBulkLength(): number {
    return this.bulkLength;
  }

  /** True while the connection's command is being run. */
  get dispatchingCommand(): boolean {
    return this.dispatching >= 0;
  }

  /** Bytes held for an incomplete frame (client-query-buffer-limit). */
  get bufferedBytes(): number {
    return (this.pending?.length ?? 0) + this.bigHave;
  }

  private continueBigBulk(chunk: Buffer): Buffer {
    const need = this.bulkLength + 2;
    const missing = need - this.bigHave;
    const big = this.big!;
    if (chunk.length < missing) {
      this.bigHave += chunk.copy(big, this.bigHave);
      return chunk.subarray(chunk.length);
    }
    chunk.copy(big, this.bigHave, 0, missing);
    this.big = null;
    this.bigHave = 0;
    this.argv!.push(big.subarray(0, this.bulkLength));
    this.bigBulkSeen = this.bulkLength;
    this.bulkLength = -1;
    this.argsLeft--;
    if (this.argsLeft === 0) {
      const argv = this.argv!;
      this.argv = null;
      this.sink.onCommand(argv);
    }
    return chunk.subarray(missing);
  }

  /** Parses one inline command (what telnet sends). Returns the next position, or -1 if incomplete. */
  private parseInline(buf: Buffer, pos: number): number {
    let nl = buf.indexOf(LF, pos);
    // Redis finds the newline with strchr, which stops at a NUL byte: a line with a NUL before its
    // newline never completes (the connection waits until the inline limit is passed).
    const nul = buf.indexOf(0, pos);
    if (nul >= 0 && (nl < 0 || nul < nl)) nl = -1;
    if (nl < 0) {
      if (buf.length - pos > MAX_INLINE_SIZE) throw new ProtocolError('Protocol error: too big inline request');
      return -1;
    }
    let lineEnd = nl;
    if (lineEnd > pos && buf[lineEnd - 1] === CR) lineEnd--;
    const args = splitInlineArgs(buf.subarray(pos, lineEnd));
    if (args === null) throw new ProtocolError('Protocol error: unbalanced quotes in request');
    if (args.length > 0) {
      this.dispatching = buf.length - pos;
      this.sink.onCommand(args);
      this.dispatching = -1;
    }
    return nl + 1;
  }
}

const PARSE_FAILED = -0x7fffffff;

/** The buffer of a big bulk; if the process cannot have that much, only this connection fails. */
function allocateBulk(size: number): Buffer {
  try {
    return Buffer.allocUnsafeSlow(size);
  } catch {
    throw new ProtocolError('Protocol error: invalid bulk length');
  }
}

/** Position of the CR of the next CRLF at or after `from`, or -1. */
function findCrlf(buf: Buffer, from: number, end: number): number {
  for (let i = from; i < end - 1; i++) {
    if (buf[i] === CR) return i;
  }
  return -1;
}

/** Parses a signed decimal length between start and end, as Redis's string2ll would. */
function parseLength(buf: Buffer, start: number, end: number): number {
  if (start >= end || end - start > 18) return PARSE_FAILED;
  let i = start;
  let negative = false;
  if (buf[i] === 45) {
    negative = true;
    i++;
    if (i === end) return PARSE_FAILED;
  }
  // As string2ll: no leading zeros ("01", "-0"); "0" alone is fine.
  if (buf[i] === 48 && (negative || end - i > 1)) return PARSE_FAILED;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return PARSE_FAILED;
    n = n * 10 + d;
  }
  return negative ? -n : n;
}
