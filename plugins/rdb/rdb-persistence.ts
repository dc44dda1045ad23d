import { PersistenceProvider, TOKENS, inject, type PersistenceProviderApi, type ServerContext } from 'redix';
import { loadDumpFile } from './dump-loader';
import { RdbService } from './rdb-service';

/**
 * RDB persistence: loads `dir`/`dbfilename` at start, saves on the `save` points (BGSAVE), and
 * saves on SHUTDOWN when save points are set (unless NOSAVE) or SHUTDOWN SAVE asks.
 */
@PersistenceProvider('rdb')
export class RdbPersistence implements PersistenceProviderApi {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  private get service(): RdbService {
    return RdbService.of(this.server);
  }

  load(): boolean {
    const service = this.service;
    const path = service.dumpPath;
    const started = Date.now();
    this.server.loading = true;
    try {
      const summary = loadDumpFile(path, this.server);
      if (summary === null) return false;
      const redisVersion = summary.aux.find(([k]) => k === 'redis-ver')?.[1];
      if (redisVersion !== undefined) service.logger.notice(`Loading RDB produced by version ${redisVersion}`);
      if (summary.emptyKeysSkipped > 0) service.logger.warning(`Skipped ${summary.emptyKeysSkipped} empty keys`);
      service.logger.notice(`Done loading RDB, keys loaded: ${summary.keysLoaded}, keys expired: ${summary.keysExpired}.`);
      service.logger.notice(`DB loaded from disk: ${((Date.now() - started) / 1000).toFixed(3)} seconds`);
      service.lastLoad = { loaded: summary.keysLoaded, expired: summary.keysExpired };
      service.markSaved();
      // Other plugins read their fields back (replication: its id and offset, as Redis restores them).
      this.server.rdbAux.loaded(summary.aux);
      return true;
    } finally {
      this.server.loading = false;
    }
  }

  start(): void {
    // Redis considers the data saved at start, whether or not a dump was loaded.
    this.service.markSaved();
    this.service.startAutomaticSaves();
  }

  stop(options: { save: boolean; nosave: boolean }): void {
    this.service.shutdown(options.save && !options.nosave);
  }
}
