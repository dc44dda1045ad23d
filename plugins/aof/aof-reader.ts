import fs from 'node:fs';

/** Bytes read from the file at a time. */
const CHUNK_SIZE = 1024 * 1024;
/** Longest header line ("*<argc>", "$<len>", "#annotation") accepted. */
const MAX_LINE = 1024;

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;
const HASH = 35;

export type ReadEnd =
  /** Every byte was a well-formed command. */
  | { kind: 'complete' }
  /** The file ends inside a command (a crash mid-write). */
  | { kind: 'truncated' }
  /** Bytes that are not AOF commands, at `offset`. */
  | { kind: 'corrupt'; offset: number; reason: string }
  /** The file starts with "REDIS": an RDB base or RDB preamble. */
  | { kind: 'rdb' };

/**
 * Called for each complete command with its arguments (slices of a read buffer that is never
 * reused, so they stay valid) and the file offset just past it.
 */
export type CommandVisitor = (argv: Buffer[], endOffset: number) => void;

/**
 * Reads an AOF file command by command, in big chunks, with exact byte offsets. Unlike the client
 * request parser it accepts only what an AOF may hold (multibulk commands and "#" annotation
 * lines), so garbage is reported as corruption instead of being run as inline commands.
 * `pause` is awaited between chunks so the server keeps answering (-LOADING) while a big file loads.
 * `startOffset` skips what precedes the commands (an RDB preamble already loaded).
 */
export async function readAofFile(filePath: string, visit: CommandVisitor, pause: (offset: number) => Promise<void>, startOffset = 0): Promise<ReadEnd> {
  const fd = fs.openSync(filePath, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    /** File offset of buf[0]. */
    let fileOffset = startOffset;
    let buf = Buffer.alloc(0);
    let pos = 0;
    let eof = size <= startOffset;
    const parser = new CommandParser();
    while (true) {
      // Run every complete command in the buffer.
      while (pos < buf.length) {
        const next = parser.parse(buf, pos);
        if (next === NEED_MORE) break;
        if (next === CORRUPT) return { kind: 'corrupt', offset: fileOffset + parser.errorAt, reason: parser.error };
        pos = next;
        if (parser.argv !== null) visit(parser.argv, fileOffset + pos);
      }
      if (eof) return pos < buf.length ? { kind: 'truncated' } : { kind: 'complete' };
      // Keep the unparsed tail and read more; reading at least the tail's size again keeps a
      // command bigger than a chunk linear to assemble.
      const tail = buf.subarray(pos);
      const readFrom = fileOffset + buf.length;
      const readSize = Math.min(Math.max(CHUNK_SIZE, tail.length), size - readFrom);
      const next = Buffer.allocUnsafe(tail.length + readSize);
      tail.copy(next, 0);
      let got = 0;
      while (got < readSize) {
        const n = fs.readSync(fd, next, tail.length + got, readSize - got, readFrom + got);
        if (n === 0) break;
        got += n;
      }
      const isFirstRead = readFrom === 0;
      fileOffset += pos;
      buf = next.subarray(0, tail.length + got);
      pos = 0;
      if (readFrom + got >= size || got === 0) eof = true;
      if (isFirstRead && buf.length >= 5 && buf.latin1Slice(0, 5) === 'REDIS') return { kind: 'rdb' };
      await pause(fileOffset);
    }
  } finally {
    fs.closeSync(fd);
  }
}

const NEED_MORE = -1;
const CORRUPT = -2;

/** Parses one command at a time out of a buffer; keeps no state between calls but the result. */
class CommandParser {
  argv: Buffer[] | null = null;
  error = '';
  errorAt = 0;

  /** Returns the position after the next item (a command or an annotation), NEED_MORE or CORRUPT. */
  parse(buf: Buffer, start: number): number {
    const end = buf.length;
    this.argv = null;
    const lead = buf[start];
    if (lead === HASH) {
      // Annotation ("#TS:..."), skipped like Redis does.
      const nl = buf.indexOf(LF, start);
      if (nl < 0) return end - start > MAX_LINE ? this.fail(start, 'annotation line too long') : NEED_MORE;
      return nl + 1;
    }
    if (lead !== STAR) return this.fail(start, `expected '*', got '${printable(lead)}'`);
    const argcEnd = this.lineEnd(buf, start + 1, end);
    if (argcEnd < 0) return argcEnd === NEED_MORE ? NEED_MORE : this.fail(start, 'malformed multibulk count line');
    const argc = parseDigits(buf, start + 1, argcEnd);
    if (argc < 1) return this.fail(start, 'invalid multibulk count');
    let pos = argcEnd + 2;
    const argv: Buffer[] = [];
    for (let i = 0; i < argc; i++) {
      if (pos >= end) return NEED_MORE;
      if (buf[pos] !== DOLLAR) return this.fail(pos, `expected '$', got '${printable(buf[pos])}'`);
      const lenEnd = this.lineEnd(buf, pos + 1, end);
      if (lenEnd < 0) return lenEnd === NEED_MORE ? NEED_MORE : this.fail(pos, 'malformed bulk length line');
      const len = parseDigits(buf, pos + 1, lenEnd);
      if (len < 0) return this.fail(pos, 'invalid bulk length');
      const dataStart = lenEnd + 2;
      if (end - dataStart < len + 2) return NEED_MORE;
      if (buf[dataStart + len] !== CR || buf[dataStart + len + 1] !== LF) return this.fail(dataStart + len, 'expected CRLF after bulk data');
      argv.push(buf.subarray(dataStart, dataStart + len));
      pos = dataStart + len + 2;
    }
    this.argv = argv;
    return pos;
  }

  /** Position of the CR ending a header line starting at `from` (CRLF checked), or a sentinel. */
  private lineEnd(buf: Buffer, from: number, end: number): number {
    const limit = Math.min(end, from + MAX_LINE);
    for (let i = from; i < limit; i++) {
      if (buf[i] === CR) {
        if (i + 1 >= end) return NEED_MORE;
        return buf[i + 1] === LF ? i : CORRUPT;
      }
    }
    return limit === end ? NEED_MORE : CORRUPT;
  }

  private fail(at: number, reason: string): number {
    this.errorAt = at;
    this.error = reason;
    return CORRUPT;
  }
}

/** Non-negative decimal between start and end, or -1. */
function parseDigits(buf: Buffer, start: number, end: number): number {
  if (start >= end || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function printable(byte: number | undefined): string {
  if (byte === undefined) return '';
  return byte >= 32 && byte < 127 ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
}
