import fs from 'node:fs';
import type { LatencyRecorder, Logger, PropagatedArg } from 'redix-server';
import { CommandBuffer } from './command-buffer';

export type FsyncPolicy = 'always' | 'everysec' | 'no';

/** Seconds between two logs of the same write error (Redis's AOF_WRITE_LOG_ERROR_RATE). */
const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * The write side of the AOF: commands from the change feed are encoded into a memory buffer
 * (SELECT first when the database changes, as Redis does) and written to the current
 * incremental file once per event-loop turn, as the server's durability barrier: before any reply
 * of that turn leaves.
 *
 * - `always`: the end-of-turn write is followed by fdatasync, so replies are sent only once their
 *   commands are on disk; every write of one turn shares that one write + fdatasync (group commit).
 * - `everysec`: the end-of-turn write only; fdatasync runs in the thread pool once a second.
 * - `no`: the end-of-turn write only; the OS decides when to flush.
 */
export class AofAppender {
  private fd = -1;
  private readonly pending = new CommandBuffer();
  private selectedDb = -1;
  private flushScheduled = false;
  /** Bytes written since the last fdatasync was started. */
  private unsynced = false;
  private fsyncInFlight = false;
  /** Descriptors of switched-away files, closed once their background fsync is done. */
  private retiring: number[] = [];
  private lastErrorLogAt = 0;
  private everysecTimer: NodeJS.Timeout | null = null;

  policy: FsyncPolicy = 'everysec';
  /** aof_current_size: base plus incremental bytes. */
  currentSize = 0;
  /** Bytes in the current incremental file. */
  incrSize = 0;
  lastWriteOk = true;
  lastWriteError = '';

  constructor(
    private readonly logger: Logger,
    /** Called when a write or fsync fails under `always`: acknowledged data would be at risk. */
    private readonly fatal: (message: string) => void,
    /** LATENCY events `aof-write` and `aof-fsync-always`, as Redis records them. */
    private readonly latency: LatencyRecorder | null = null,
  ) {}

  get isOpen(): boolean {
    return this.fd >= 0;
  }

  get bufferedBytes(): number {
    return this.pending.length;
  }

  get fsyncPending(): boolean {
    return this.fsyncInFlight;
  }

  /**
   * Makes `path` the file commands go to (created or truncated if `truncate`, else appended to).
   * Pending commands are written to the previous file first; it is closed after a final fsync.
   */
  open(path: string, truncate: boolean): void {
    if (truncate) fs.closeSync(fs.openSync(path, 'w', 0o644));
    // O_APPEND: after a failed write is truncated away, the next write lands at the new end.
    const fd = fs.openSync(path, 'a', 0o644);
    if (this.fd >= 0) {
      this.flush();
      this.retire(this.fd);
    }
    this.fd = fd;
    this.selectedDb = -1;
    this.incrSize = truncate ? 0 : fs.fstatSync(fd).size;
    this.unsynced = false;
    if (this.everysecTimer === null) {
      this.everysecTimer = setInterval(this.everySecond, 1000);
      this.everysecTimer.unref();
    }
  }

  /** The change-feed listener (hot path: encode and schedule, nothing else). */
  readonly feed = (dbIndex: number, argv: readonly PropagatedArg[], _source?: unknown, replicasOnly?: boolean): void => {
    if (replicasOnly === true) return;
    if (dbIndex !== this.selectedDb) {
      this.pending.appendSelect(dbIndex);
      this.selectedDb = dbIndex;
    }
    this.pending.append(argv);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushAtTurnEnd);
    }
  };

  private readonly flushAtTurnEnd = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  /**
   * Writes what is buffered; under `always` also fdatasyncs. Also the durability barrier. Returns
   * false if the write failed (the bytes stay buffered and are retried).
   */
  flush(): boolean {
    if (this.pending.length === 0 || this.fd < 0) return true;
    const data = this.pending.view();
    let written = 0;
    const latency = this.latency !== null && this.latency.threshold > 0 ? this.latency : null;
    let started = latency === null ? 0 : performance.now();
    try {
      while (written < data.length) written += fs.writeSync(this.fd, data, written, data.length - written);
    } catch (e) {
      return this.writeFailed(e as Error, written);
    }
    if (latency !== null) latency.addSampleIfNeeded('aof-write', performance.now() - started);
    this.currentSize += written;
    this.incrSize += written;
    this.pending.consume(written);
    if (!this.lastWriteOk) {
      this.logger.warning('AOF write error looks solved, Redis can write again.');
      this.lastWriteOk = true;
    }
    if (this.policy === 'always') {
      try {
        if (latency !== null) started = performance.now();
        fs.fdatasyncSync(this.fd);
        if (latency !== null) latency.addSampleIfNeeded('aof-fsync-always', performance.now() - started);
      } catch (e) {
        this.fatal(`Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${(e as Error).message}. Exiting...`);
      }
    } else {
      this.unsynced = true;
    }
    return true;
  }

  private writeFailed(error: Error, written: number): boolean {
    if (written > 0) {
      // Remove the partial command so the file stays loadable; if that fails, keep what went out.
      try {
        fs.ftruncateSync(this.fd, this.incrSize);
        written = 0;
      } catch {
        this.currentSize += written;
        this.incrSize += written;
        this.pending.consume(written);
      }
    }
    if (this.policy === 'always') {
      this.fatal(`Can't recover from AOF write error when the AOF fsync policy is 'always' (${error.message}). Exiting...`);
    }
    this.lastWriteOk = false;
    this.lastWriteError = error.message;
    const now = Date.now();
    if (now - this.lastErrorLogAt > ERROR_LOG_INTERVAL_MS) {
      this.lastErrorLogAt = now;
      this.logger.warning(`Error writing to the AOF file: ${error.message}`);
    }
    return false;
  }

  /** Once a second: retry failed writes; under `everysec`, fdatasync in the background. */
  private readonly everySecond = (): void => {
    if (this.pending.length > 0 && !this.flushScheduled) this.flush();
    if (this.policy !== 'everysec' || !this.unsynced || this.fsyncInFlight || this.fd < 0) return;
    this.unsynced = false;
    this.fsyncInFlight = true;
    fs.fdatasync(this.fd, (err) => {
      this.fsyncInFlight = false;
      if (err) this.logger.warning(`Fail to fsync the AOF file: ${err.message}`);
      this.closeRetired();
    });
  };

  /** Synchronously writes and fdatasyncs everything (shutdown, switching files, turning AOF off). */
  sync(): void {
    this.flush();
    if (this.fd < 0) return;
    try {
      fs.fdatasyncSync(this.fd);
      this.unsynced = false;
    } catch (e) {
      this.logger.warning(`Fail to fsync the AOF file: ${(e as Error).message}`);
    }
  }

  /** Flushes, fsyncs and closes the current file; nothing is written until the next open. */
  close(): void {
    if (this.fd >= 0) {
      this.sync();
      const fd = this.fd;
      this.fd = -1;
      this.retiring.push(fd);
      this.closeRetired();
    }
    this.pending.reset();
    this.selectedDb = -1;
    if (this.everysecTimer !== null) {
      clearInterval(this.everysecTimer);
      this.everysecTimer = null;
    }
  }

  /** Drops buffered commands and forgets the file without writing (a failed switch). */
  discardPending(): void {
    this.pending.reset();
  }

  /** A switched-away file: everything was written; make it durable, then close it. */
  private retire(fd: number): void {
    if (this.policy === 'no') {
      fs.close(fd, () => undefined);
      return;
    }
    if (this.policy === 'always') {
      // Already fdatasynced by flush().
      this.retiring.push(fd);
      this.closeRetired();
      return;
    }
    fs.fdatasync(fd, () => {
      this.retiring.push(fd);
      this.closeRetired();
    });
  }

  /** Closes retired descriptors unless a background fsync might still be using a number. */
  private closeRetired(): void {
    if (this.fsyncInFlight) return;
    const fds = this.retiring;
    this.retiring = [];
    for (const fd of fds) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
    }
  }
}
