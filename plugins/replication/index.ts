import { definePlugin } from 'redix-server';
import { parseReplicationAux, replicationAuxFields } from './rdb-replication-info';
import { ReplicationCommands } from './replication-commands';
import { fullSyncLoadingInfo, replicationInfo, replicationStats } from './replication-info';
import { RedisReplicationProvider } from './replication-provider';
import { ReplicationService } from './replication-service';

/**
 * Master/replica replication, interchangeable with Redis 7.0 servers: PSYNC/SYNC with full
 * (on-disk format or diskless EOF-marked) and partial resynchronization from a backlog, REPLICAOF,
 * WAIT, ROLE, INFO replication. See README.md.
 */
export default definePlugin({
  name: 'replication',
  commands: [ReplicationCommands],
  providers: [RedisReplicationProvider],
  configOptions: [
    { name: 'shutdown-timeout', kind: 'int', default: '10', min: 0, mutable: true, description: 'Seconds a master waits at shutdown for its replicas to acknowledge the last writes.' },
  ],
  setup({ server }) {
    const service = ReplicationService.of(server);
    // The replication id and offset live in dump.rdb, as Redis keeps them (see rdb-replication-info.ts).
    server.rdbAux.contribute(() => {
      const saved = service.savedInfo();
      return saved === null ? [] : replicationAuxFields(saved);
    });
    server.rdbAux.onLoad((aux) => {
      const saved = parseReplicationAux(aux);
      if (saved !== null) service.restoreFromDump(saved);
    });
    server.info.replace('replication', () => replicationInfo(service));
    // DEBUG CHANGE-REPL-ID: a new history id and no previous one (replicas then need a full sync).
    server.debug.add({
      name: 'change-repl-id',
      arity: 2,
      run(c) {
        server.logger.warning('Changing replication IDs after receiving DEBUG change-repl-id');
        service.changeReplid();
        service.clearReplid2();
        c.reply.ok();
      },
    });
    server.info.add('stats', () => replicationStats(service));
    server.info.add('persistence', () => fullSyncLoadingInfo(service.follower.loadProgress));
    // Redis counts replicas apart from clients, and its link to its master as one.
    server.info.add('clients', () => [['connected_clients', server.clients.size - service.replicas.length + (service.follower.connected ? 1 : 0)]]);
  },
});
