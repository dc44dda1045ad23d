import { inject, PersistenceProvider, TOKENS, type Logger, type PersistenceProviderApi, type ServerContext } from 'redix-server';
import { AofService } from './aof-service';

/**
 * The `aof` persistence provider (selected by default; replace it with `persistence: [...]` in the
 * config file). `load` checks the manifest before clients are accepted and claims the load when
 * `appendonly` is yes (RDB is then skipped, as in Redis); `start` replays the files while clients
 * get -LOADING, then appends every change.
 */
@PersistenceProvider('aof')
export class AofPersistence implements PersistenceProviderApi {
  private readonly service: AofService;

  constructor(@inject(TOKENS.Server) server: ServerContext, @inject(TOKENS.Logger) logger: Logger) {
    this.service = new AofService(server, logger);
  }

  load(): boolean {
    return this.service.load();
  }

  start(): Promise<void> {
    return this.service.start();
  }

  stop(): Promise<void> {
    return this.service.stop();
  }
}
