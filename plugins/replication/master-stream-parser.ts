const CR = 13;
const LF = 10;

export class StreamProtocolError extends Error {}

/** Receives each complete command of the master's stream, with its exact bytes (for offsets and sub-replicas). */
export type StreamCommandHandler = (argv: Buffer[], raw: Buffer) => void;

/**
 * Splits the stream a master sends after the sync into commands, remembering each one's raw bytes:
 * a replica counts its offset in those bytes and re-streams them unchanged to its own replicas.
 * Only multibulk requests are valid (a master never sends inline commands); a lone newline is the
 * master's keepalive and is skipped. Large bulks are gathered without re-copying on every read.
 */
export class MasterStreamParser {
  private parts: Buffer[] = [];
  private have = 0;
  /** Bytes the incomplete command needs at least before parsing is worth another try. */
  private need = 0;
  private stopped = false;

  /** Bytes received that do not yet form a complete command (slave_read_repl_offset counts them). */
  get pendingBytes(): number {
    return this.have;
  }

  /** Stops delivering commands (the link closed while a chunk was being processed). */
  stop(): void {
    this.stopped = true;
    this.parts = [];
    this.have = 0;
  }

  feed(chunk: Buffer, onCommand: StreamCommandHandler): void {
    if (this.stopped || chunk.length === 0) return;
    this.parts.push(chunk);
    this.have += chunk.length;
    if (this.have < this.need) return;
    const buf = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.have);
    this.parts = [];
    this.have = 0;
    this.need = 0;
    const end = buf.length;
    let pos = 0;
    while (pos < end && !this.stopped) {
      const start = pos;
      if (buf[pos] === LF || buf[pos] === CR) {
        pos++;
        continue;
      }
      if (buf[pos] !== 42) throw new StreamProtocolError(`expected '*' in the master's stream, got byte ${buf[pos]}`);
      const lineEnd = buf.indexOf(LF, pos);
      if (lineEnd < 0) {
        this.keep(buf, start, end - start + 1);
        return;
      }
      const count = parseNumber(buf, pos + 1, lineEnd);
      if (count === null) throw new StreamProtocolError('invalid multibulk length in the master\'s stream');
      pos = lineEnd + 1;
      const argv: Buffer[] = [];
      let complete = true;
      for (let i = 0; i < count; i++) {
        if (pos >= end) {
          complete = false;
          this.keep(buf, start, end - start + 1);
          break;
        }
        if (buf[pos] !== 36) throw new StreamProtocolError(`expected '$' in the master's stream, got byte ${buf[pos]}`);
        const bulkLineEnd = buf.indexOf(LF, pos);
        if (bulkLineEnd < 0) {
          complete = false;
          this.keep(buf, start, end - start + 1);
          break;
        }
        const len = parseNumber(buf, pos + 1, bulkLineEnd);
        if (len === null || len < 0) throw new StreamProtocolError('invalid bulk length in the master\'s stream');
        const body = bulkLineEnd + 1;
        if (body + len + 2 > end) {
          complete = false;
          this.keep(buf, start, body + len + 2 - start);
          break;
        }
        argv.push(buf.subarray(body, body + len));
        pos = body + len + 2;
      }
      if (!complete) return;
      if (count > 0) onCommand(argv, buf.subarray(start, pos));
    }
  }

  /** Keeps the unfinished command starting at `start`; `need` is how many bytes it needs at least. */
  private keep(buf: Buffer, start: number, need: number): void {
    const rest = buf.subarray(start);
    this.parts = [rest];
    this.have = rest.length;
    this.need = need;
  }
}

/** A decimal between `from` and the LF at `lf` (a CR before it is dropped); null if malformed. */
function parseNumber(buf: Buffer, from: number, lf: number): number | null {
  let to = lf;
  if (to > from && buf[to - 1] === CR) to--;
  if (to <= from || to - from > 15) return null;
  let i = from;
  let negative = false;
  if (buf[i] === 45) {
    negative = true;
    i++;
  }
  if (i >= to) return null;
  let n = 0;
  for (; i < to; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return negative ? -n : n;
}
