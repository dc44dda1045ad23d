import os from 'node:os';
import type { RedixServer } from './server';
import { REDIS_VERSION, REDIX_VERSION } from './version';

/** INFO sections the kernel owns, with Redis's field names. Plugins add or override fields. */
export function registerKernelInfo(server: RedixServer): void {
  const info = server.info;
  info.add('server', () => {
    const uptime = Math.floor((Date.now() - server.startedAt) / 1000);
    return [
      ['redis_version', REDIS_VERSION],
      ['redis_git_sha1', '00000000'],
      ['redis_git_dirty', 0],
      ['redis_build_id', '0'],
      ['redis_mode', 'standalone'],
      ['redix_version', REDIX_VERSION],
      ['os', `${os.type()} ${os.release()} ${os.arch()}`],
      ['arch_bits', 64],
      ['monotonic_clock', 'POSIX clock_gettime'],
      ['multiplexing_api', 'epoll'],
      ['atomicvar_api', 'c11-builtin'],
      ['gcc_version', '0.0.0'],
      ['process_id', process.pid],
      ['process_supervised', 'no'],
      ['run_id', server.runId],
      ['tcp_port', server.port],
      ['server_time_usec', Date.now() * 1000],
      ['uptime_in_seconds', uptime],
      ['uptime_in_days', Math.floor(uptime / 86400)],
      ['hz', server.config.get<number>('hz')],
      ['configured_hz', server.config.get<number>('hz')],
      ['lru_clock', Math.floor(Date.now() / 1000) & 0xffffff],
      ['executable', process.argv[1] ?? ''],
      ['config_file', ''],
      ['io_threads_active', 0],
      ['node_version', process.version],
    ];
  });
  info.add('clients', () => [
    ['connected_clients', server.clientMap.size],
    ['cluster_connections', 0],
    ['maxclients', server.config.get<number>('maxclients')],
    ['client_recent_max_input_buffer', 0],
    ['client_recent_max_output_buffer', 0],
    ['blocked_clients', 0],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', 0],
  ]);
  info.add('memory', () => {
    const m = process.memoryUsage();
    const used = m.heapUsed + m.external;
    return [
      ['used_memory', used],
      ['used_memory_human', humanBytes(used)],
      ['used_memory_rss', m.rss],
      ['used_memory_rss_human', humanBytes(m.rss)],
      ['used_memory_peak', Math.max(used, m.heapTotal)],
      ['used_memory_peak_human', humanBytes(Math.max(used, m.heapTotal))],
      ['used_memory_dataset', m.heapUsed],
      ['total_system_memory', os.totalmem()],
      ['total_system_memory_human', humanBytes(os.totalmem())],
      ['maxmemory', server.config.get<number>('maxmemory')],
      ['maxmemory_human', humanBytes(server.config.get<number>('maxmemory'))],
      ['maxmemory_policy', server.config.get<string>('maxmemory-policy')],
      ['mem_fragmentation_ratio', (m.rss / Math.max(1, used)).toFixed(2)],
      ['mem_allocator', 'v8'],
      ['lazyfree_pending_objects', 0],
    ];
  });
  info.add('persistence', () => [
    ['loading', server.loading ? 1 : 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', server.keyspace.dirty],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', Math.floor(server.startedAt / 1000)],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', -1],
    ['rdb_saves', 0],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', 0],
    ['rdb_last_load_keys_loaded', 0],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ]);
  info.add('stats', () => {
    const s = server.stats;
    const k = server.keyspace.stats;
    return [
      ['total_connections_received', s.totalConnectionsReceived],
      ['total_commands_processed', s.totalCommandsProcessed],
      ['instantaneous_ops_per_sec', 0],
      ['total_net_input_bytes', s.totalNetInputBytes],
      ['total_net_output_bytes', s.totalNetOutputBytes],
      ['rejected_connections', s.rejectedConnections],
      ['sync_full', 0],
      ['sync_partial_ok', 0],
      ['sync_partial_err', 0],
      ['expired_keys', k.expiredKeys],
      ['evicted_keys', 0],
      ['keyspace_hits', k.keyspaceHits],
      ['keyspace_misses', k.keyspaceMisses],
      ['pubsub_channels', 0],
      ['pubsub_patterns', 0],
      ['latest_fork_usec', 0],
      ['total_forks', 0],
      ['total_error_replies', s.totalErrorReplies],
      ['unexpected_error_replies', s.unexpectedErrorReplies],
    ];
  });
  info.add('replication', () => [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', server.runId],
    ['master_replid2', '0000000000000000000000000000000000000000'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', server.config.get<number>('repl-backlog-size')],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ]);
  info.add('cpu', () => {
    const u = process.cpuUsage();
    return [
      ['used_cpu_sys', (u.system / 1e6).toFixed(6)],
      ['used_cpu_user', (u.user / 1e6).toFixed(6)],
      ['used_cpu_sys_children', '0.000000'],
      ['used_cpu_user_children', '0.000000'],
    ];
  });
  info.add('modules', () => []);
  info.add('errorstats', () => []);
  info.add('cluster', () => [['cluster_enabled', 0]]);
  info.add('keyspace', () => {
    const fields: [string, string][] = [];
    for (const db of server.keyspace.databases) {
      if (db.size > 0) fields.push([`db${db.index}`, `keys=${db.size},expires=${db.expiresCount},avg_ttl=0`]);
    }
    return fields;
  });
}

function humanBytes(n: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n}B` : `${v.toFixed(2)}${units[i]}`;
}
