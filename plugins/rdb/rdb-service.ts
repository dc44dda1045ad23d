import { resolve } from 'node:path';
import { type InfoFields, type Logger, type PropagatedArg, type SavePoint, type ServerContext } from 'redix-server';
import { backgroundChildOf, takeSnapshot, type BackgroundChild } from 'redix-server/persistence';
import { BackgroundSave, type BackgroundSaveResult } from './background-save';
import { auxFields, writeDumpSync, type DumpOptions } from './dump-file';

/** Redis's text for writes refused after a failed background save. */
export const MISCONF_ERROR = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

/** After a failed BGSAVE, save points wait this long before trying again (CONFIG_BGSAVE_RETRY_DELAY). */
const RETRY_DELAY_S = 5;

const SERVICES = new WeakMap<ServerContext, RdbService>();

/**
 * The RDB state of one server, shared by the commands and the persistence provider: where the dump
 * lives, the save counters INFO reports, the running background save, save points, FLUSHALL.
 *
 * The dirty counter is never reset (the dispatcher publishes a command whenever the counter moves,
 * and SAVE must not be published): "changes since the last save" is the counter minus its value
 * at the last save, which is what Redis's reset counter amounts to.
 */
export class RdbService {
  /** Unix seconds of the last successful save (at start, the start: Redis considers the data saved). */
  lastSave: number;
  lastBgsaveStatus: 'ok' | 'err' = 'ok';
  private lastBgsaveTry = 0;
  private lastBgsaveSeconds = -1;
  private saves = 0;
  private dirtyAtSave: number;
  private dirtyAtBgsaveStart = 0;
  private job: BackgroundSave | null = null;
  /** BGSAVE SCHEDULE while an AOF rewrite runs: started by the cron once it is done (rdb_bgsave_scheduled). */
  bgsaveScheduled = false;
  /** The one background job at a time Redis allows (shared with the aof plugin). */
  private readonly child: BackgroundChild;
  /** The last BGSAVE's result (tests and the log read its numbers). */
  lastBackgroundSave: BackgroundSaveResult | null = null;
  lastLoad = { loaded: 0, expired: 0 };
  private cron: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  readonly logger: Logger;

  static of(server: ServerContext): RdbService {
    let service = SERVICES.get(server);
    if (service === undefined) {
      service = new RdbService(server);
      SERVICES.set(server, service);
    }
    return service;
  }

  private constructor(readonly server: ServerContext) {
    this.lastSave = Math.floor(server.startedAt / 1000);
    this.dirtyAtSave = server.keyspace.dirty;
    this.logger = server.logger.child({ plugin: 'rdb' });
    this.child = backgroundChildOf(server);
    server.config.onChange('save', () => this.updateDiskError());
    server.config.onChange('stop-writes-on-bgsave-error', () => this.updateDiskError());
  }

  /** dir + dbfilename, as an absolute path (dir is relative to the working directory). */
  get dumpPath(): string {
    return resolve(this.server.config.get<string>('dir'), this.server.config.get<string>('dbfilename'));
  }

  /** Options of a save starting now: its AUX fields (with the plugins' ones) describe this moment. */
  get dumpOptions(): DumpOptions {
    return {
      compression: this.server.config.get<boolean>('rdbcompression'),
      checksum: this.server.config.get<boolean>('rdbchecksum'),
      aux: auxFields(this.server.rdbAux.fieldsForSave()),
      functions: this.server.rdbFunctions.codesForSave(),
    };
  }

  get changesSinceSave(): number {
    return this.server.keyspace.dirty - this.dirtyAtSave;
  }

  get backgroundSaveRunning(): boolean {
    return this.job !== null;
  }

  /** Marks the data as just saved (after loading it, or a successful save). */
  markSaved(dirtyAtSave = this.server.keyspace.dirty): void {
    this.dirtyAtSave = dirtyAtSave;
    this.lastSave = Math.floor(Date.now() / 1000);
  }

  /** SAVE: a blocking save. Throws on failure (after logging it). */
  saveNow(): void {
    const started = Date.now();
    try {
      const keys = writeDumpSync(this.dumpPath, this.server.keyspace, this.server.dataTypes, this.dumpOptions);
      this.logger.notice(`DB saved on disk (${keys} keys in ${Date.now() - started} ms)`);
    } catch (e) {
      this.logger.warning(`Write error saving DB on disk: ${(e as Error).message}`);
      throw e;
    }
    this.markSaved();
    this.setStatus('ok');
  }

  /** Counts a SAVE or BGSAVE for INFO's rdb_saves (a save forced by FLUSHALL does not count, as in Redis). */
  countSave(): void {
    this.saves++;
  }

  /** Another background job (an AOF rewrite) holds the slot: BGSAVE must wait or be refused. */
  get otherChildActive(): boolean {
    return this.child.active && this.child.kind !== 'rdb';
  }

  /** BGSAVE: starts a background save; false if a BGSAVE or another background job is running. */
  startBackgroundSave(): boolean {
    if (this.job !== null || !this.child.acquire('rdb')) return false;
    this.bgsaveScheduled = false;
    this.saves++;
    this.dirtyAtBgsaveStart = this.server.keyspace.dirty;
    this.lastBgsaveTry = Math.floor(Date.now() / 1000);
    const snapshot = takeSnapshot(this.server.keyspace, this.server.dataTypes);
    const job = new BackgroundSave(snapshot, this.dumpPath, this.server.dataTypes, this.dumpOptions, (result) => this.backgroundSaveDone(job, result));
    this.job = job;
    this.logger.notice(`Background saving started (${snapshot.totalKeys} keys)`);
    job.start();
    return true;
  }

  private backgroundSaveDone(job: BackgroundSave, result: BackgroundSaveResult): void {
    if (this.job !== job) return;
    this.job = null;
    this.child.release('rdb');
    this.lastBackgroundSave = result;
    this.lastBgsaveSeconds = Math.floor((Date.now() - job.startedAt) / 1000);
    if (result.ok) {
      this.logger.notice(`Background saving terminated with success (${result.keys} keys, ${result.bytes} bytes, longest slice ${result.maxSliceMs.toFixed(1)} ms)`);
      this.markSaved(this.dirtyAtBgsaveStart);
      this.setStatus('ok');
    } else {
      this.logger.warning(`Background saving error: ${result.error?.message ?? 'unknown error'}`);
      this.setStatus('err');
    }
  }

  /** Stops a running BGSAVE without counting it as an error (Redis kills its child with SIGUSR1). */
  abortBackgroundSave(why: string): void {
    const job = this.job;
    if (job === null) return;
    this.job = null;
    this.child.release('rdb');
    this.lastBgsaveSeconds = Math.floor((Date.now() - job.startedAt) / 1000);
    job.abort();
    this.logger.warning(`Background saving aborted: ${why}`);
  }

  private setStatus(status: 'ok' | 'err'): void {
    this.lastBgsaveStatus = status;
    this.updateDiskError();
  }

  private get savePoints(): SavePoint[] {
    return this.server.config.get<SavePoint[]>('save');
  }

  /** stop-writes-on-bgsave-error: refuse writes while the last background save failed. */
  private updateDiskError(): void {
    const refuse = this.lastBgsaveStatus === 'err' && this.savePoints.length > 0 && this.server.config.get<boolean>('stop-writes-on-bgsave-error');
    if (refuse) this.server.diskError = MISCONF_ERROR;
    else if (this.server.diskError === MISCONF_ERROR) this.server.diskError = null;
  }

  // ---- running as the persistence provider ---------------------------------------------------

  /** Save points and FLUSHALL handling, once the data is loaded. */
  startAutomaticSaves(): void {
    if (this.cron !== null) return;
    this.cron = setInterval(() => this.checkSavePoints(), Math.max(10, Math.floor(1000 / this.server.config.get<number>('hz'))));
    this.cron.unref();
    this.unsubscribe = this.server.keyspace.feed.subscribe((_db, argv) => this.onChange(argv));
  }

  stopAutomaticSaves(): void {
    if (this.cron !== null) clearInterval(this.cron);
    this.cron = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /**
   * Redis's serverCron: nothing while a background job runs; then a scheduled BGSAVE, or a save
   * point that is due (enough changes older than its seconds).
   */
  private checkSavePoints(): void {
    if (this.job !== null || this.child.active || this.server.loading) return;
    const now = Math.floor(Date.now() / 1000);
    if (this.bgsaveScheduled && (now - this.lastBgsaveTry > RETRY_DELAY_S || this.lastBgsaveStatus === 'ok')) {
      this.startBackgroundSave();
      return;
    }
    const changes = this.changesSinceSave;
    for (const point of this.savePoints) {
      if (changes >= point.changes && now - this.lastSave > point.seconds && (now - this.lastBgsaveTry > RETRY_DELAY_S || this.lastBgsaveStatus === 'ok')) {
        this.logger.notice(`${point.changes} changes in ${point.seconds} seconds. Saving...`);
        this.startBackgroundSave();
        return;
      }
    }
  }

  /**
   * FLUSHALL, seen on the change feed after it ran: like Redis, stop a running BGSAVE and, when
   * save points are set, save the now empty dataset at once, which also resets the change count.
   */
  private onChange(argv: readonly PropagatedArg[]): void {
    if (argv.length > 2 || !isFlushAll(argv[0]) || this.server.loading) return;
    this.abortBackgroundSave('FLUSHALL');
    if (this.savePoints.length === 0) return;
    try {
      this.saveNow();
    } catch {
      // logged; Redis carries on too
    }
  }

  /**
   * SHUTDOWN's final save: stop the background save (as Redis kills its child), then save.
   * Throws when the save fails, so the kernel can refuse the shutdown as Redis does.
   */
  finalSave(): void {
    this.bgsaveScheduled = false;
    this.abortBackgroundSave('shutdown');
    this.logger.notice('Saving the final RDB snapshot before exiting.');
    try {
      this.saveNow();
    } catch (e) {
      this.logger.warning("Error trying to save the DB, can't exit.");
      throw e;
    }
  }

  /** The server stops: no more automatic or background saves. */
  shutdown(): void {
    this.stopAutomaticSaves();
    this.bgsaveScheduled = false;
    this.abortBackgroundSave('shutdown');
  }

  // ---- INFO ----------------------------------------------------------------------------------

  infoFields(): InfoFields {
    const job = this.job;
    const now = Date.now();
    const processed = job?.keysProcessed ?? 0;
    const total = job?.keysTotal ?? 0;
    return [
      ['current_fork_perc', job !== null && total > 0 ? ((processed / total) * 100).toFixed(2) : '0.00'],
      ['current_save_keys_processed', processed],
      ['current_save_keys_total', total],
      ['rdb_changes_since_last_save', this.changesSinceSave],
      ['rdb_bgsave_in_progress', job !== null ? 1 : 0],
      ['rdb_last_save_time', this.lastSave],
      ['rdb_last_bgsave_status', this.lastBgsaveStatus],
      ['rdb_last_bgsave_time_sec', this.lastBgsaveSeconds],
      ['rdb_current_bgsave_time_sec', job !== null ? Math.floor((now - job.startedAt) / 1000) : -1],
      ['rdb_saves', this.saves],
      ['rdb_last_cow_size', 0],
      ['rdb_last_load_keys_expired', this.lastLoad.expired],
      ['rdb_last_load_keys_loaded', this.lastLoad.loaded],
    ];
  }
}

function isFlushAll(arg: PropagatedArg): boolean {
  if (arg.length !== 8) return false;
  const text = typeof arg === 'string' ? arg : arg.latin1Slice(0, 8);
  return text.toLowerCase() === 'flushall';
}
