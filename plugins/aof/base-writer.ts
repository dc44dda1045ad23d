import fs from 'node:fs';
import type { PointInTimeSnapshot, SnapshotEntry } from 'redix-server/persistence';
import { writeAll } from './aof-directory';
import type { BaseEncoder } from './base-encoders';

/** Work done per slice before the writer yields to clients. */
const SLICE_MS = 4;
/** Entries visited between two clock checks. */
const ENTRIES_PER_STEP = 64;
/** Encoded bytes that trigger a write to the file. */
const WRITE_AT = 1024 * 1024;

/**
 * Writes a base file from a point-in-time snapshot, in slices of a few milliseconds so clients
 * keep being served while a big dataset is written; the encoder decides the format.
 */
export class BaseWriter {
  private fd = -1;
  private aborted = false;
  /** Bytes written so far. */
  bytes = 0;

  constructor(
    private readonly snapshot: PointInTimeSnapshot,
    private readonly encoder: BaseEncoder,
    readonly path: string,
  ) {}

  /** Writes the whole file, yielding between slices; fsyncs before resolving. */
  async run(): Promise<number> {
    try {
      this.fd = fs.openSync(this.path, 'w', 0o644);
      while (this.slice()) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.aborted) throw new Error('rewrite aborted');
      }
      this.write(this.encoder.finish());
      const fd = this.fd;
      await new Promise<void>((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
      if (this.aborted) throw new Error('rewrite aborted');
      this.closeFile();
      return this.bytes;
    } catch (e) {
      this.discard();
      throw e;
    } finally {
      this.snapshot.close();
    }
  }

  /** Writes the whole file at once (the first base, written on start before clients matter). */
  runSync(): number {
    try {
      this.fd = fs.openSync(this.path, 'w', 0o644);
      while (this.slice(Infinity)) {
        // until every entry is written
      }
      this.write(this.encoder.finish());
      fs.fsyncSync(this.fd);
      this.closeFile();
      return this.bytes;
    } catch (e) {
      this.discard();
      throw e;
    } finally {
      this.snapshot.close();
    }
  }

  /** Stops a running write; its temporary file is removed. */
  abort(): void {
    this.aborted = true;
    fs.rmSync(this.path, { force: true });
  }

  /** One slice: visits entries until the time budget is spent; returns true while more remain. */
  private slice(budgetMs = SLICE_MS): boolean {
    const deadline = performance.now() + budgetMs;
    let more = true;
    while (more) {
      more = this.snapshot.next(ENTRIES_PER_STEP, this.visit);
      if (this.encoder.pending >= WRITE_AT) this.write(this.encoder.take());
      if (performance.now() >= deadline) break;
    }
    if (this.encoder.pending > 0) this.write(this.encoder.take());
    return more;
  }

  private readonly visit = (entry: SnapshotEntry): void => {
    this.encoder.entry(entry);
  };

  private write(bytes: Buffer): void {
    if (bytes.length === 0) return;
    writeAll(this.fd, bytes);
    this.bytes += bytes.length;
  }

  private closeFile(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  private discard(): void {
    this.closeFile();
    fs.rmSync(this.path, { force: true });
  }
}
