import { existsSync, statSync } from 'node:fs';
import {
  PersistenceProvider, TOKENS, inject, type InfoFields, type PersistenceProviderApi, type ServerContext,
} from 'redix-server';
import { loadingInfoFields } from 'redix-server/persistence';
import { DumpLoadAborted, loadDumpFile, type DumpLoadProgress } from './dump-loader';
import { RdbService } from './rdb-service';

/**
 * RDB persistence: loads `dir`/`dbfilename` at start (clients connected meanwhile get -LOADING),
 * saves on the `save` points (BGSAVE), and saves on SHUTDOWN when save points are set (unless
 * NOSAVE) or SHUTDOWN SAVE asks.
 */
@PersistenceProvider('rdb')
export class RdbPersistence implements PersistenceProviderApi {
  /** The dump load() claimed, loaded by start() while clients get -LOADING. */
  private toLoad: string | null = null;
  private progress: DumpLoadProgress | null = null;
  private stopped = false;
  /** The change counter before any data was loaded: an AOF replay's writes are changes to save. */
  private readonly dirtyAtBoot: number;

  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {
    this.dirtyAtBoot = server.keyspace.dirty;
    server.info.add('persistence', () => this.loadingFields());
  }

  private get service(): RdbService {
    return RdbService.of(this.server);
  }

  /**
   * Claims the load when a dump exists (so no later provider loads anything); the keys are read
   * by start(), once the server listens, as Redis does: clients that connect get -LOADING.
   */
  load(): boolean {
    const path = this.service.dumpPath;
    if (!existsSync(path)) return false;
    this.toLoad = path;
    return true;
  }

  async start(): Promise<void> {
    if (this.toLoad !== null) {
      const path = this.toLoad;
      this.toLoad = null;
      try {
        await this.loadDump(path);
      } catch (e) {
        // SHUTDOWN while loading: nothing more to start.
        if (e instanceof DumpLoadAborted && this.stopped) return;
        throw e;
      }
    }
    if (this.stopped) return;
    // Redis considers the data saved at start (lastsave), whether or not a dump was loaded; what an
    // AOF replay changed counts as not saved yet (Redis's dirty counter after loading an AOF).
    this.service.markSaved(this.dirtyAtBoot);
    this.service.startAutomaticSaves();
  }

  private async loadDump(path: string): Promise<void> {
    const service = this.service;
    const started = Date.now();
    const progress: DumpLoadProgress = { startedAt: started, totalBytes: statSync(path).size, loadedBytes: 0 };
    this.progress = progress;
    this.server.loading = true;
    try {
      const summary = await loadDumpFile(path, this.server, progress, () => this.stopped);
      const redisVersion = summary.aux.find(([k]) => k === 'redis-ver')?.[1];
      if (redisVersion !== undefined) service.logger.notice(`Loading RDB produced by version ${redisVersion}`);
      if (summary.emptyKeysSkipped > 0) service.logger.warning(`Skipped ${summary.emptyKeysSkipped} empty keys`);
      service.logger.notice(`Done loading RDB, keys loaded: ${summary.keysLoaded}, keys expired: ${summary.keysExpired}.`);
      service.logger.notice(`DB loaded from disk: ${((Date.now() - started) / 1000).toFixed(3)} seconds`);
      service.lastLoad = { loaded: summary.keysLoaded, expired: summary.keysExpired };
      // Other plugins read their fields back (replication: its id and offset, as Redis restores them).
      this.server.rdbAux.loaded(summary.aux);
      this.server.rdbFunctions.loaded(summary.functions);
    } finally {
      this.server.loading = false;
      this.progress = null;
    }
  }

  /** INFO persistence's loading_* fields while the dump loads (Redis prints them after the aof_* ones). */
  private loadingFields(): InfoFields {
    return this.progress === null ? [] : loadingInfoFields(this.progress);
  }


  /** SHUTDOWN (or a signal) with save points set, or SHUTDOWN SAVE: a failed save refuses it. */
  prepareShutdown(options: { save: boolean; nosave: boolean }): void {
    // A dump still loading is not the dataset: saving it now would cut the file short.
    if (options.save && !options.nosave && !this.server.loading) this.service.finalSave();
  }

  stop(): void {
    this.stopped = true;
    this.service.shutdown();
  }
}
