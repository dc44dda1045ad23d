import type { ReplyBufferSettings } from './reply-buffer-account';

/**
 * Redis's clientsCron visits every client about once a second, a slice of them per tick of `hz`
 * (at least five a tick), and resizes each one's query and reply buffers then
 * (clientsCronResizeQueryBuffer, clientsCronResizeOutputBuffer). This does the same for the figures
 * QueryBufferAccount and ReplyBufferAccount keep: a Map iterator is live, so each tick continues
 * where the last one stopped and new clients join the round.
 */

/** What the cron needs of a client. */
export interface BufferedClient {
  resizeBuffers(now: number, replies: ReplyBufferSettings): void;
}

/** CLIENTS_CRON_MIN_ITERATIONS. */
const MIN_PER_TICK = 5;

export class ClientBuffersCron {
  private timer: NodeJS.Timeout | null = null;
  private cursor: Iterator<BufferedClient> | null = null;
  private hz: number;
  /** Set while DEBUG PAUSE-CRON holds the crons. */
  paused = false;

  constructor(private readonly clients: Map<number, BufferedClient>, hz: number, private readonly replies: ReplyBufferSettings) {
    this.hz = hz;
  }

  start(): void {
    this.stop();
    this.timer = setInterval(() => this.tick(), Math.max(1, Math.floor(1000 / this.hz)));
    this.timer.unref();
  }

  setHz(hz: number): void {
    this.hz = hz;
    if (this.timer !== null) this.start();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    if (this.paused || this.clients.size === 0) return;
    const now = Date.now();
    let visits = Math.min(this.clients.size, Math.max(MIN_PER_TICK, Math.ceil(this.clients.size / this.hz)));
    this.cursor ??= this.clients.values();
    while (visits-- > 0) {
      let next = this.cursor.next();
      if (next.done === true) {
        this.cursor = this.clients.values();
        next = this.cursor.next();
        if (next.done === true) return;
      }
      next.value.resizeBuffers(now, this.replies);
    }
  }
}
