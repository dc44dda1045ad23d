import os from 'node:os';
import type { RedixServer } from './server';
import type { InfoFields } from './info-registry';
import { REDIS_VERSION, REDIX_VERSION } from './version';
import { formatPercentile, parsePercentiles } from '../config/special-options';

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
      ['config_file', server.configFile],
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
    ['blocked_clients', server.kernel.blocking.blockedClients],
    ['tracking_clients', server.kernel.tracking.trackingClients],
    ['clients_in_timeout_table', server.kernel.blocking.withTimeout],
  ]);
  // The highest used_memory seen (sampled when INFO runs: there is no allocator hook to track it).
  let peak = 0;
  info.add('memory', () => {
    const m = process.memoryUsage();
    // used_memory is the accounting estimate eviction uses (memory-accounting.ts); the allocator_*
    // fields are V8's live figures (heap + external), garbage included.
    const memory = server.memory;
    const used = memory.used(true);
    const heap = m.heapUsed + m.external;
    const active = m.heapTotal + m.external;
    peak = Math.max(peak, used, server.startupMemory);
    const startup = memory.startup;
    const clientsMemory = memory.clientsMemory();
    const overhead = startup + memory.overheadBytes() + clientsMemory;
    const dataset = used - overhead;
    const maxmemory = server.config.get<number>('maxmemory');
    // Zero without the scripting plugin; it adds its own figures (they override these).
    return [
      ['used_memory', used],
      ['used_memory_human', humanBytes(used)],
      ['used_memory_rss', m.rss],
      ['used_memory_rss_human', humanBytes(m.rss)],
      ['used_memory_peak', peak],
      ['used_memory_peak_human', humanBytes(peak)],
      ['used_memory_peak_perc', `${percent(used, peak)}%`],
      ['used_memory_overhead', overhead],
      ['used_memory_startup', startup],
      ['used_memory_dataset', dataset],
      ['used_memory_dataset_perc', `${percent(dataset, used - startup)}%`],
      ['allocator_allocated', heap],
      ['allocator_active', active],
      ['allocator_resident', m.rss],
      ['total_system_memory', os.totalmem()],
      ['total_system_memory_human', humanBytes(os.totalmem())],
      ['used_memory_lua', 0],
      ['used_memory_vm_eval', 0],
      ['used_memory_lua_human', '0B'],
      ['used_memory_scripts_eval', 0],
      ['number_of_cached_scripts', 0],
      ['number_of_functions', 0],
      ['number_of_libraries', 0],
      ['used_memory_vm_functions', 0],
      ['used_memory_vm_total', 0],
      ['used_memory_vm_total_human', '0B'],
      ['used_memory_functions', 0],
      ['used_memory_scripts', 0],
      ['used_memory_scripts_human', '0B'],
      ['maxmemory', maxmemory],
      ['maxmemory_human', humanBytes(maxmemory)],
      ['maxmemory_policy', server.config.get<string>('maxmemory-policy')],
      ['allocator_frag_ratio', ratio(active, heap)],
      ['allocator_frag_bytes', active - heap],
      ['allocator_rss_ratio', ratio(m.rss, active)],
      ['allocator_rss_bytes', m.rss - active],
      ['rss_overhead_ratio', '1.00'],
      ['rss_overhead_bytes', 0],
      ['mem_fragmentation_ratio', ratio(m.rss, used)],
      ['mem_fragmentation_bytes', m.rss - used],
      ['mem_not_counted_for_evict', memory.notCountedForEvict],
      ['mem_replication_backlog', 0],
      ['mem_total_replication_buffers', 0],
      ['mem_clients_slaves', 0],
      ['mem_clients_normal', clientsMemory],
      ['mem_cluster_links', 0],
      ['mem_aof_buffer', 0],
      ['mem_allocator', 'v8'],
      ['active_defrag_running', 0],
      ['lazyfree_pending_objects', 0],
      ['lazyfreed_objects', server.stats.lazyfreedObjects],
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
    const exceeded = server.eviction.exceededTimes();
    return [
      ['total_connections_received', s.totalConnectionsReceived],
      ['total_commands_processed', s.totalCommandsProcessed],
      ['instantaneous_ops_per_sec', 0],
      ['total_net_input_bytes', s.totalNetInputBytes],
      ['total_net_output_bytes', s.totalNetOutputBytes],
      ['total_net_repl_input_bytes', 0],
      ['total_net_repl_output_bytes', 0],
      ['instantaneous_input_kbps', '0.00'],
      ['instantaneous_output_kbps', '0.00'],
      ['instantaneous_input_repl_kbps', '0.00'],
      ['instantaneous_output_repl_kbps', '0.00'],
      ['rejected_connections', s.rejectedConnections],
      ['sync_full', 0],
      ['sync_partial_ok', 0],
      ['sync_partial_err', 0],
      ['expired_keys', k.expiredKeys],
      ['expired_stale_perc', '0.00'],
      ['expired_time_cap_reached_count', 0],
      ['expire_cycle_cpu_milliseconds', 0],
      ['evicted_keys', k.evictedKeys],
      ['evicted_clients', 0],
      ['total_eviction_exceeded_time', exceeded[0]],
      ['current_eviction_exceeded_time', exceeded[1]],
      ['keyspace_hits', k.keyspaceHits],
      ['keyspace_misses', k.keyspaceMisses],
      ['pubsub_channels', server.kernel.pubsub.channelCount],
      ['pubsub_patterns', server.kernel.pubsub.patternCount],
      ['pubsubshard_channels', server.kernel.pubsub.shardChannelCount],
      ['latest_fork_usec', 0],
      ['total_forks', 0],
      ['migrate_cached_sockets', 0],
      ['slave_expires_tracked_keys', 0],
      ['active_defrag_hits', 0],
      ['active_defrag_misses', 0],
      ['active_defrag_key_hits', 0],
      ['active_defrag_key_misses', 0],
      ['total_active_defrag_time', 0],
      ['current_active_defrag_time', 0],
      ['tracking_total_keys', server.kernel.tracking.totalKeys],
      ['tracking_total_items', server.kernel.tracking.totalItems],
      ['tracking_total_prefixes', server.kernel.tracking.totalPrefixes],
      ['unexpected_error_replies', s.unexpectedErrorReplies],
      ['total_error_replies', s.totalErrorReplies],
      ['dump_payload_sanitizations', 0],
      ['total_reads_processed', 0],
      ['total_writes_processed', 0],
      ['io_threaded_reads_processed', 0],
      ['io_threaded_writes_processed', 0],
      ['reply_buffer_shrinks', server.replyBuffers.shrinks],
      ['reply_buffer_expands', server.replyBuffers.expands],
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
    const sys = (u.system / 1e6).toFixed(6);
    const user = (u.user / 1e6).toFixed(6);
    return [
      ['used_cpu_sys', sys],
      ['used_cpu_user', user],
      ['used_cpu_sys_children', '0.000000'],
      ['used_cpu_user_children', '0.000000'],
      // One thread serves every client, so the main thread's share is the process's.
      ['used_cpu_sys_main_thread', sys],
      ['used_cpu_user_main_thread', user],
    ];
  });
  info.add('modules', () => []);
  info.add('commandstats', () => {
    // usec is scaled from the timed calls (one in TIMED_CALL_EVERY, see command-table.ts).
    const fields: InfoFields = [];
    for (const e of server.commandTable.allEntries()) {
      const st = e.stats;
      if (st.calls === 0 && st.rejected === 0 && st.failed === 0) continue;
      const usec = st.timedCalls === 0 ? 0 : Math.round((st.timedUsec * st.calls) / st.timedCalls);
      const perCall = st.calls === 0 ? 0 : usec / st.calls;
      fields.push([`cmdstat_${e.fullName}`, `calls=${st.calls},usec=${usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${st.rejected},failed_calls=${st.failed}`]);
    }
    return fields;
  });
  info.add('errorstats', () => {
    // Redis keeps error codes in a radix tree: they come out sorted.
    return [...server.stats.errorCodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, count]) => [`errorstat_${code}`, `count=${count}`]);
  });
  info.add('latencystats', () => {
    if (!server.latencyTracking) return [];
    const percentiles = parsePercentiles(server.config.get<string>('latency-tracking-info-percentiles')) ?? [];
    const fields: InfoFields = [];
    for (const e of server.commandTable.allEntries()) {
      const histogram = e.stats.latency;
      if (histogram === null) continue;
      const values = percentiles.map((p) => `p${formatPercentile(p)}=${(histogram.valueAtPercentile(p) / 1000).toFixed(3)}`);
      fields.push([`latency_percentiles_usec_${e.fullName}`, values.join(',')]);
    }
    return fields;
  });
  info.add('cluster', () => [['cluster_enabled', 0]]);
  info.add('keyspace', () => {
    const fields: [string, string][] = [];
    for (const db of server.keyspace.databases) {
      if (db.size > 0) fields.push([`db${db.index}`, `keys=${db.size},expires=${db.expiresCount},avg_ttl=0`]);
    }
    return fields;
  });
}

/** Redis's bytesToHuman: "512B", "1.50K", "2.00M", ... */
function humanBytes(n: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P', 'E'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n}B` : `${v.toFixed(2)}${units[i]}`;
}

function percent(part: number, whole: number): string {
  return whole > 0 ? ((part * 100) / whole).toFixed(2) : '0.00';
}

function ratio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(2) : '0.00';
}
