import { allocationSize } from '../api/memory-estimate';

/**
 * CLIENT LIST's `qbuf-free` and the query buffer's share of `tot-mem`, as Redis 7.0 would report
 * them for a client that sent the same bytes.
 *
 * Redix reads every connection into one shared buffer and copies only the bytes of an unfinished
 * command (`qbuf`, the parser's real holding). Redis gives each client its own query buffer, sized
 * by rules that tools and tests observe: 16 kB room on a client's first read, a buffer of a big
 * argument's size kept after it (networking.c, readQueryFromClient and processMultibulkBuffer), freed
 * after two idle seconds or trimmed to the recent peak by the cron (server.c,
 * clientsCronResizeQueryBuffer). This class follows those rules with a few integer operations per
 * read, so the figures behave as Redis's do without giving each connection that memory.
 */

/** PROTO_IOBUF_LEN: the room Redis makes for one read. */
const IO_BUFFER = 16 * 1024;
/** PROTO_MBULK_BIG_ARG: a bulk this long gets a buffer of its own size. */
export const BIG_ARGUMENT = 32 * 1024;
/** PROTO_RESIZE_THRESHOLD: a buffer above this may be trimmed to its recent peak while in use. */
const RESIZE_THRESHOLD = 32 * 1024;
/** SDS_MAX_PREALLOC: greedy growth doubles up to here, then adds this much. */
const MAX_PREALLOC = 1024 * 1024;
/** The cron leaves a buffer alone unless at least this much of it is free. */
const WORTH_RESIZING = 4 * 1024;

/** The header of an sds string holding `length` bytes, never type 5 (Redis does not grow those). */
function sdsHeader(length: number): number {
  if (length < 256) return 3;
  if (length < 65536) return 5;
  if (length < 4294967296) return 9;
  return 17;
}

/** sdsalloc() of a buffer asked for `length` bytes: what jemalloc hands out, less header and NUL. */
function usableRoom(length: number): number {
  const header = sdsHeader(length);
  return allocationSize(header + length + 1) - header - 1;
}

/** sdsMakeRoomFor's greedy size for `length` bytes. */
function grown(length: number): number {
  return length < MAX_PREALLOC ? length * 2 : length + MAX_PREALLOC;
}

export class QueryBufferAccount {
  /** sdsalloc(querybuf) in Redis. */
  allocated = 0;
  /** querybuf_peak: the largest length seen since the last cron visit. */
  private peak = 0;

  /**
   * Before a read of `length` bytes is parsed, with `held` bytes of an unfinished command kept and
   * `bulkLength` the length of a bulk whose body is awaited (-1 if none).
   */
  beforeRead(held: number, length: number, bulkLength: number): void {
    if (bulkLength >= BIG_ARGUMENT) {
      // Redis sized the buffer for the whole bulk when it read its header.
      if (this.allocated < bulkLength + 2) this.allocated = usableRoom(bulkLength + 2);
    } else if (this.allocated - held < IO_BUFFER) {
      // Room for one 16 kB read: exact at first, greedy once the buffer has had that much.
      this.allocated = usableRoom(this.allocated >= IO_BUFFER ? grown(held + IO_BUFFER) : held + IO_BUFFER);
    }
    // Redis reads no more than the room it has; a longer read of ours is several of its reads.
    const filled = held + length < this.allocated ? held + length : this.allocated;
    if (filled > this.peak) this.peak = filled;
  }

  /**
   * After the parse, with `held` bytes of an unfinished command left: a bulk of `bigBulk` bytes
   * (at least BIG_ARGUMENT; -1 if none) became an argument, and Redis keeps a fresh buffer of that
   * size, expecting another like it.
   */
  afterParse(held: number, bigBulk: number): void {
    if (bigBulk >= BIG_ARGUMENT) {
      this.allocated = usableRoom(bigBulk + 2);
      // Redis's buffer held the whole bulk before it became the argument.
      if (bigBulk + 2 > this.peak) this.peak = bigBulk + 2;
    }
    // An unfinished command longer than the room: Redis's buffer grew to hold it.
    if (held > this.allocated) this.allocated = usableRoom(grown(held));
    if (held > this.peak) this.peak = held;
  }

  /** qbuf-free: the room beside the `held` bytes. */
  free(held: number): number {
    return this.allocated > held ? this.allocated - held : 0;
  }

  /** Redis's clientsCronResizeQueryBuffer, for a client idle `idleSeconds` (whole seconds). */
  cron(held: number, idleSeconds: number, bulkLength: number): void {
    if (this.allocated - held > WORTH_RESIZING) {
      if (idleSeconds > 2) {
        this.allocated = held;
      } else if (this.allocated > RESIZE_THRESHOLD && this.allocated / 2 > this.peak) {
        let size = held > this.peak ? held : this.peak;
        if (bulkLength > size) size = bulkLength;
        this.allocated = size;
      }
    }
    this.peak = bulkLength > held ? bulkLength : held;
  }
}
