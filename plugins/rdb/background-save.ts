import { close, closeSync, fsync, open, openSync, renameSync, write } from 'node:fs';
import { dirname } from 'node:path';
import { type DataTypeRegistry } from 'redix-server';
import { RdbFileEncoder, type KeyspaceSnapshot, type SnapshotEntry } from 'redix-server/persistence';
import { CHUNK_BYTES, removeQuietly, tempPathFor, type DumpOptions } from './dump-file';

/** Longest the serializer runs before yielding to the event loop. */
const SLICE_MS = 4;
/** Entries asked of the snapshot between two clock checks. */
const ENTRIES_PER_CHECK = 16;
/** Bytes worth an asynchronous write before the next slice. */
const MIN_WRITE_BYTES = 64 * 1024;

export interface BackgroundSaveResult {
  ok: boolean;
  keys: number;
  bytes: number;
  error?: Error;
  /** Longest single slice of serialization, in ms (how long the event loop was held). */
  maxSliceMs: number;
}

/**
 * BGSAVE without fork: a copy-on-write snapshot of the keyspace (see takeSnapshot) serialized in
 * slices of a few milliseconds, each slice's bytes written to a temp file asynchronously while the
 * server keeps serving. When the snapshot is exhausted the file gets its checksum, is fsynced and
 * renamed over the dump; until then the previous dump is untouched. Aborting (FLUSHALL, SHUTDOWN)
 * drops the snapshot and removes the temp file.
 */
export class BackgroundSave {
  readonly startedAt = Date.now();
  private readonly encoder: RdbFileEncoder;
  private readonly aux: DumpOptions['aux'];
  private readonly functions: DumpOptions['functions'];
  private readonly tempPath: string;
  private fd = -1;
  /** A write or fsync is in flight: the fd must stay open until its callback. */
  private busy = false;
  /** Aborted or failed: callbacks still in flight only clean up. */
  private stopped = false;
  private finished = false;
  private currentDb = -1;
  private maxSliceMs = 0;

  constructor(
    private readonly snapshot: KeyspaceSnapshot,
    private readonly finalPath: string,
    private readonly dataTypes: DataTypeRegistry,
    options: DumpOptions,
    private readonly onDone: (result: BackgroundSaveResult) => void,
  ) {
    this.encoder = new RdbFileEncoder(options);
    this.aux = options.aux;
    this.functions = options.functions;
    this.tempPath = tempPathFor(finalPath);
  }

  get keysProcessed(): number {
    return this.snapshot.visited;
  }

  get keysTotal(): number {
    return this.snapshot.totalKeys;
  }

  start(): void {
    try {
      this.fd = openSync(this.tempPath, 'w');
    } catch (e) {
      // Like a forked child failing: BGSAVE was accepted, the failure shows in INFO and the log.
      setImmediate(() => this.fail(e as Error));
      return;
    }
    this.encoder.writeHeader(this.aux, this.functions, this.dataTypes);
    setImmediate(this.step);
  }

  /** Stops the save: the snapshot is released and the temp file removed; onDone is not called. */
  abort(): void {
    if (this.finished) return;
    this.stopped = true;
    this.finished = true;
    this.snapshot.close();
    if (!this.busy) this.cleanUp();
  }

  private readonly visit = (entry: SnapshotEntry): void => {
    if (entry.dbIndex !== this.currentDb) {
      this.currentDb = entry.dbIndex;
      const db = this.snapshot.databases.find((d) => d.index === entry.dbIndex);
      this.encoder.writeDatabaseStart(entry.dbIndex, db?.keys ?? 0, db?.expires ?? 0);
    }
    this.encoder.writeEntry(entry.key, entry.value, entry.expireAt, this.dataTypes);
  };

  /** One slice: serialize for up to SLICE_MS, then write what was produced (or yield). */
  private readonly step = (): void => {
    if (this.stopped) return;
    const started = performance.now();
    let more = true;
    try {
      do {
        more = this.snapshot.next(ENTRIES_PER_CHECK, this.visit);
      } while (more && this.encoder.pending < CHUNK_BYTES && performance.now() - started < SLICE_MS);
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    this.maxSliceMs = Math.max(this.maxSliceMs, performance.now() - started);
    if (!more) this.writeChunk(this.encoder.finish(), this.finishFile);
    else if (this.encoder.pending >= MIN_WRITE_BYTES) this.writeChunk(this.encoder.takeChunk(), this.step);
    else setImmediate(this.step);
  };

  private writeChunk(chunk: Buffer, then: () => void, offset = 0): void {
    this.busy = true;
    write(this.fd, chunk, offset, chunk.length - offset, null, (err, written) => {
      this.busy = false;
      if (this.stopped) return this.cleanUp();
      if (err) return this.fail(err);
      if (offset + written < chunk.length) return this.writeChunk(chunk, then, offset + written);
      then();
    });
  }

  private readonly finishFile = (): void => {
    this.busy = true;
    fsync(this.fd, (err) => {
      this.busy = false;
      if (this.stopped) return this.cleanUp();
      if (err) return this.fail(err);
      try {
        closeSync(this.fd);
        this.fd = -1;
        // Checked and done in one turn of the loop: an abort cannot slip in between.
        renameSync(this.tempPath, this.finalPath);
      } catch (e) {
        return this.fail(e as Error);
      }
      this.finished = true;
      const result = { ok: true, keys: this.snapshot.visited, bytes: this.encoder.written, maxSliceMs: this.maxSliceMs };
      // Make the rename durable before reporting success.
      open(dirname(this.finalPath), 'r', (openErr, dirFd) => {
        if (openErr) return this.onDone(result);
        fsync(dirFd, () => close(dirFd, () => this.onDone(result)));
      });
    });
  };

  private fail(error: Error): void {
    if (this.finished) return;
    this.stopped = true;
    this.finished = true;
    this.snapshot.close();
    if (!this.busy) this.cleanUp();
    this.onDone({ ok: false, keys: this.snapshot.visited, bytes: this.encoder.written, error, maxSliceMs: this.maxSliceMs });
  }

  private cleanUp(): void {
    if (this.fd !== -1) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = -1;
    }
    removeQuietly(this.tempPath);
  }
}
