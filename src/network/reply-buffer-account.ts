import { allocationSize } from '../api/memory-estimate';

/**
 * CLIENT LIST's `rbs` and `rbp` as Redis 7.0 reports them: each client's static reply buffer, 16 kB
 * at first, halved towards its recent peak (never below 1 kB) or doubled (up to 16 kB) while
 * replies fill it, by the clients cron (server.c, clientsCronResizeOutputBuffer). Redix builds each
 * batch's replies in its ReplyWriter; this keeps the buffer Redis would have, from the size of each
 * batch written, so tools see the same figures.
 */

/** PROTO_REPLY_CHUNK_BYTES: a client's first buffer and the most it grows to. */
const CHUNK = 16 * 1024;
/** PROTO_REPLY_MIN_BYTES. */
const MIN = 1024;
/** REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME, milliseconds. */
export const DEFAULT_PEAK_RESET_TIME = 5000;

/** A reply-list block's room: 16 kB asked for with its header, in jemalloc's 20 kB class. */
const REPLY_BLOCK = 20480 - 16;

/**
 * What Redis's output-buffer limit would count for `pending` reply bytes (omem): the part beyond
 * the static buffer of `bufferSize`, in whole reply-list blocks (Redis counts their room).
 */
export function replyListBytes(pending: number, bufferSize: number): number {
  return pending > bufferSize ? Math.ceil((pending - bufferSize) / REPLY_BLOCK) * REPLY_BLOCK : 0;
}

/** One server's settings (DEBUG REPLYBUFFER) and counters (INFO reply_buffer_shrinks/expands). */
export class ReplyBufferSettings {
  /** Milliseconds between peak resets; -1 never. */
  peakResetTime = DEFAULT_PEAK_RESET_TIME;
  resizing = true;
  shrinks = 0;
  expands = 0;
}

export class ReplyBufferAccount {
  /** buf_usable_size. */
  size = CHUNK;
  /** buf_peak: the most of the buffer one batch of replies filled since the last reset. */
  peak = CHUNK;
  /** When the peak was last reset; 0 resets it at the first visit (as Redis, which stamps seconds there). */
  private lastReset = 0;

  /** A batch of `bytes` reply bytes was written: Redis's buffer filled up to its size with them. */
  wrote(bytes: number): void {
    const filled = bytes < this.size ? bytes : this.size;
    if (filled > this.peak) this.peak = filled;
  }

  /** The clients cron's visit at `now` (ms); `pending` bytes still wait in the buffer. */
  cron(now: number, pending: number, settings: ReplyBufferSettings): void {
    if (!settings.resizing) return;
    let next = 0;
    if (this.size / 2 >= MIN && this.peak < this.size / 2) {
      next = Math.max(MIN, this.peak + 1);
      settings.shrinks++;
    } else if (this.size * 2 < CHUNK * 2 && this.peak === this.size) {
      next = Math.min(CHUNK, this.size * 2);
      settings.expands++;
    }
    if (settings.peakResetTime >= 0 && now - this.lastReset >= settings.peakResetTime) {
      this.peak = pending < this.size ? pending : this.size;
      this.lastReset = now;
    }
    if (next !== 0) this.size = allocationSize(next);
  }
}
