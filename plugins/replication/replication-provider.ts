import { ReplicationProvider, TOKENS, inject, type ReplicationProviderApi, type ServerContext } from 'redix-server';
import { ReplicationService } from './replication-service';

/** Redis-compatible master/replica replication (the default provider, `replication: 'redis'`). */
@ReplicationProvider('redis')
export class RedisReplicationProvider implements ReplicationProviderApi {
  constructor(@inject(TOKENS.Server) private readonly server: ServerContext) {}

  start(): void {
    ReplicationService.of(this.server).start();
  }

  prepareShutdown(): Promise<void> {
    return ReplicationService.of(this.server).prepareShutdown();
  }

  stop(): Promise<void> {
    return ReplicationService.of(this.server).stop();
  }

  killMasterLink(): number {
    return ReplicationService.of(this.server).follower.killLink();
  }
}
