/**
 * INFO fields as Prometheus samples, named as redis_exporter names them (the dashboards and alerts
 * written for it work unchanged): counters end in `_total`, sizes in `_bytes`, `db` and `cmd` are
 * labels. Everything is read from one INFO rendering per scrape.
 */
export interface MetricSample {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  labels: Record<string, string>;
  value: number;
}

/** INFO field → exporter metric (gauges unless marked counter). */
const FIELDS: readonly [field: string, metric: string, type: 'gauge' | 'counter', help: string][] = [
  ['uptime_in_seconds', 'redis_uptime_in_seconds', 'gauge', 'Seconds since the server started.'],
  ['connected_clients', 'redis_connected_clients', 'gauge', 'Client connections (replicas excluded).'],
  ['blocked_clients', 'redis_blocked_clients', 'gauge', 'Clients blocked on a blocking command.'],
  ['tracking_clients', 'redis_tracking_clients', 'gauge', 'Clients with CLIENT TRACKING on.'],
  ['maxclients', 'redis_config_maxclients', 'gauge', 'maxclients.'],
  ['used_memory', 'redis_memory_used_bytes', 'gauge', 'Memory used by the dataset and the server (an estimate from V8 figures).'],
  ['used_memory_rss', 'redis_memory_used_rss_bytes', 'gauge', 'Resident set size of the process.'],
  ['used_memory_peak', 'redis_memory_used_peak_bytes', 'gauge', 'Peak of used_memory.'],
  ['maxmemory', 'redis_memory_max_bytes', 'gauge', 'maxmemory (0: no limit).'],
  ['total_connections_received', 'redis_connections_received_total', 'counter', 'Connections accepted.'],
  ['total_commands_processed', 'redis_commands_processed_total', 'counter', 'Commands run.'],
  ['instantaneous_ops_per_sec', 'redis_instantaneous_ops_per_sec', 'gauge', 'Commands per second, recent.'],
  ['total_net_input_bytes', 'redis_net_input_bytes_total', 'counter', 'Bytes read from clients.'],
  ['total_net_output_bytes', 'redis_net_output_bytes_total', 'counter', 'Bytes written to clients.'],
  ['rejected_connections', 'redis_rejected_connections_total', 'counter', 'Connections refused (maxclients).'],
  ['expired_keys', 'redis_expired_keys_total', 'counter', 'Keys deleted by expiry.'],
  ['evicted_keys', 'redis_evicted_keys_total', 'counter', 'Keys evicted by maxmemory.'],
  ['keyspace_hits', 'redis_keyspace_hits_total', 'counter', 'Key lookups that found the key.'],
  ['keyspace_misses', 'redis_keyspace_misses_total', 'counter', 'Key lookups that did not.'],
  ['pubsub_channels', 'redis_pubsub_channels', 'gauge', 'Channels with subscribers.'],
  ['pubsub_patterns', 'redis_pubsub_patterns', 'gauge', 'Patterns with subscribers.'],
  ['total_error_replies', 'redis_errors_total', 'counter', 'Error replies sent.'],
  ['connected_slaves', 'redis_connected_slaves', 'gauge', 'Replicas connected.'],
  ['master_repl_offset', 'redis_master_repl_offset', 'gauge', 'Replication offset.'],
  ['rdb_changes_since_last_save', 'redis_rdb_changes_since_last_save', 'gauge', 'Writes since the last RDB save.'],
  ['rdb_last_save_time', 'redis_rdb_last_save_timestamp_seconds', 'gauge', 'Unix time of the last RDB save.'],
  ['rdb_bgsave_in_progress', 'redis_rdb_bgsave_in_progress', 'gauge', '1 while a BGSAVE runs.'],
  ['aof_enabled', 'redis_aof_enabled', 'gauge', '1 when appendonly is on.'],
  ['aof_rewrite_in_progress', 'redis_aof_rewrite_in_progress', 'gauge', '1 while an AOF rewrite runs.'],
  ['loading', 'redis_loading_dump_file', 'gauge', '1 while loading data at start.'],
];

/** Parses INFO's text into section → field → value. */
export function parseInfo(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line.startsWith('# ')) {
      current = new Map();
      sections.set(line.slice(2).toLowerCase(), current);
    } else if (line !== '') {
      const colon = line.indexOf(':');
      if (colon > 0) current.set(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  return sections;
}

/** `a=1,b=2` (keyspace and commandstats values) as a map. */
function pairs(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

export function infoToSamples(text: string): MetricSample[] {
  const sections = parseInfo(text);
  const flat = new Map<string, string>();
  for (const [name, fields] of sections) if (name !== 'keyspace' && name !== 'commandstats' && name !== 'errorstats') for (const [k, v] of fields) flat.set(k, v);
  const out: MetricSample[] = [];
  for (const [field, name, type, help] of FIELDS) {
    const raw = flat.get(field);
    if (raw === undefined) continue;
    const value = Number(raw);
    if (Number.isFinite(value)) out.push({ name, help, type, labels: {}, value });
  }
  for (const [db, value] of sections.get('keyspace') ?? []) {
    const p = pairs(value);
    out.push({ name: 'redis_db_keys', help: 'Keys in the database.', type: 'gauge', labels: { db }, value: Number(p.get('keys') ?? 0) });
    out.push({ name: 'redis_db_keys_expiring', help: 'Keys with a TTL in the database.', type: 'gauge', labels: { db }, value: Number(p.get('expires') ?? 0) });
  }
  for (const [field, value] of sections.get('commandstats') ?? []) {
    const cmd = field.replace(/^cmdstat_/, '');
    const p = pairs(value);
    out.push({ name: 'redis_commands_total', help: 'Calls of the command.', type: 'counter', labels: { cmd }, value: Number(p.get('calls') ?? 0) });
    out.push({ name: 'redis_commands_duration_seconds_total', help: 'Time spent in the command.', type: 'counter', labels: { cmd }, value: Number(p.get('usec') ?? 0) / 1e6 });
    out.push({ name: 'redis_commands_rejected_calls_total', help: 'Calls refused before running.', type: 'counter', labels: { cmd }, value: Number(p.get('rejected_calls') ?? 0) });
    out.push({ name: 'redis_commands_failed_calls_total', help: 'Calls that replied an error.', type: 'counter', labels: { cmd }, value: Number(p.get('failed_calls') ?? 0) });
  }
  for (const [field, value] of sections.get('errorstats') ?? []) {
    out.push({ name: 'redis_errors_by_prefix_total', help: 'Error replies by prefix.', type: 'counter', labels: { err: field.replace(/^errorstat_/, '') }, value: Number(pairs(value).get('count') ?? 0) });
  }
  return out;
}
