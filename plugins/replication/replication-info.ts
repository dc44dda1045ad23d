import { type CommandContext, type InfoFields } from 'redix-server';
import { loadingInfoFields } from 'redix-server/persistence';
import type { LoadProgress } from './replica-follower';
import type { ReplicationService } from './replication-service';

function secondsSince(ms: number, now: number): number {
  return Math.floor((now - ms) / 1000);
}

/** INFO persistence's loading_* fields while a full sync's RDB loads (none otherwise), as Redis prints them. */
export function fullSyncLoadingInfo(progress: LoadProgress | null): InfoFields {
  return progress === null ? [] : loadingInfoFields(progress);
}

/** INFO replication, field for field as Redis 7.0 lays it out for a master or a replica. */
export function replicationInfo(service: ReplicationService): InfoFields {
  const server = service.server;
  const config = server.config;
  const now = Date.now();
  const fields: InfoFields = [];
  const follower = service.follower;
  if (!service.isReplica) {
    fields.push(['role', 'master']);
  } else {
    const link = follower.link;
    const connected = follower.connected;
    const syncing = link !== null && link.state === 'sync';
    const readOffset = service.offset + (connected ? link!.unappliedBytes + follower.heldBytes : 0);
    fields.push(
      ['role', 'slave'],
      ['master_host', follower.masterHost!],
      ['master_port', follower.masterPort],
      ['master_link_status', connected ? 'up' : 'down'],
      ['master_last_io_seconds_ago', connected ? secondsSince(link!.lastIo, now) : -1],
      ['master_sync_in_progress', syncing ? 1 : 0],
      ['slave_read_repl_offset', readOffset],
      ['slave_repl_offset', service.offset],
    );
    if (syncing) {
      const total = link!.transferSize;
      const read = link!.transferRead;
      fields.push(
        ['master_sync_total_bytes', total],
        ['master_sync_read_bytes', read],
        ['master_sync_left_bytes', total - read],
        ['master_sync_perc', (total > 0 ? (read / total) * 100 : 0).toFixed(2)],
        ['master_sync_last_io_seconds_ago', secondsSince(link!.lastIo, now)],
      );
    }
    if (!connected) fields.push(['master_link_down_since_seconds', follower.linkDownSince > 0 ? secondsSince(follower.linkDownSince, now) : -1]);
    fields.push(
      ['slave_priority', config.get<number>('replica-priority')],
      ['slave_read_only', config.get<boolean>('replica-read-only') ? 1 : 0],
      ['replica_announced', 1],
    );
  }
  fields.push(['connected_slaves', service.replicas.length]);
  if (config.get<number>('min-replicas-to-write') > 0 && config.get<number>('min-replicas-max-lag') > 0) {
    fields.push(['min_slaves_good_slaves', service.goodReplicas]);
  }
  service.replicas.forEach((replica, i) => {
    const lag = secondsSince(replica.ackTime, now);
    fields.push([`slave${i}`, `ip=${replica.ip},port=${replica.settings.listeningPort},state=${replica.state},offset=${replica.ackOffset},lag=${lag}`]);
  });
  const backlog = service.backlog;
  fields.push(
    ['master_failover_state', 'no-failover'],
    ['master_replid', service.replid],
    ['master_replid2', service.replid2],
    ['master_repl_offset', service.offset],
    ['second_repl_offset', service.secondReplOffset],
    ['repl_backlog_active', backlog === null ? 0 : 1],
    ['repl_backlog_size', config.get<number>('repl-backlog-size')],
    ['repl_backlog_first_byte_offset', service.backlogFirstByte],
    ['repl_backlog_histlen', backlog === null ? 0 : backlog.histlen],
  );
  return fields;
}

/** INFO stats: the sync counters. */
export function replicationStats(service: ReplicationService): InfoFields {
  return [
    ['sync_full', service.stats.syncFull],
    ['sync_partial_ok', service.stats.syncPartialOk],
    ['sync_partial_err', service.stats.syncPartialErr],
  ];
}

/** ROLE: ["master", offset, [[ip, port, offset] ...]] or ["slave", host, port, state, offset]. */
export function writeRole(c: CommandContext, service: ReplicationService): void {
  const r = c.reply;
  if (!service.isReplica) {
    const online = service.replicas.filter((replica) => replica.state === 'online');
    r.array(3);
    r.bulk('master');
    r.integer(service.offset);
    r.array(online.length);
    for (const replica of online) {
      r.array(3);
      r.bulk(replica.ip);
      r.bulk(String(replica.settings.listeningPort));
      r.bulk(String(replica.ackOffset));
    }
    return;
  }
  const follower = service.follower;
  r.array(5);
  r.bulk('slave');
  r.bulk(follower.masterHost!);
  r.integer(follower.masterPort);
  r.bulk(follower.linkState);
  r.integer(follower.connected ? service.offset : -1);
}
