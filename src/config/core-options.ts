import { statSync } from 'node:fs';
import { LLONG_MAX, type ConfigOptionSpec } from './option-types';
import {
  displayKeyspaceEvents, normalizeKeyspaceEvents, normalizeOutputBufferLimits, normalizePercentiles, validateKeyspaceEvents, validateOutputBufferLimits,
  validatePercentiles, validateMemoryOrPercent, normalizeMemoryOrPercent, validateOomScoreValues, normalizeOomScoreValues,
} from './special-options';

/**
 * The redis.conf directives Redix understands, with Redis 7.0's defaults. Options for features
 * that a plugin implements (AOF, RDB, replication) live here too, so flags and config files are
 * validated the same way whichever plugins are loaded.
 */
export const CORE_OPTIONS: ConfigOptionSpec[] = [
  // network
  { name: 'port', kind: 'int', default: '6379', min: 0, max: 65535, mutable: true, description: 'TCP port to listen on (0 picks a free port).' },
  { name: 'bind', kind: 'string', default: '127.0.0.1 -::1', mutable: true, description: 'Addresses to listen on; a leading "-" means "skip if unavailable".' },
  { name: 'protected-mode', kind: 'bool', default: 'yes', mutable: true, description: 'Refuse clients not on the loopback interface while the default user has no password.' },
  { name: 'timeout', kind: 'int', default: '0', min: 0, max: 2147483647, mutable: true, description: 'Close a client idle for this many seconds (0: never).' },
  { name: 'tcp-keepalive', kind: 'int', default: '300', min: 0, max: 2147483647, mutable: true, description: 'TCP keepalive interval in seconds.' },
  { name: 'maxclients', kind: 'int', default: '10000', min: 1, max: 4294967295, mutable: true, description: 'Maximum simultaneous clients.' },
  { name: 'requirepass', kind: 'string', default: '', mutable: true, description: 'Password clients must AUTH with (empty: none).' },
  { name: 'proto-max-bulk-len', kind: 'memory', default: '512mb', min: 1024 * 1024, max: LLONG_MAX, mutable: true, description: 'Largest bulk string a client may send.' },
  { name: 'client-query-buffer-limit', kind: 'memory', default: '1gb', min: 1024 * 1024, max: LLONG_MAX, mutable: true, description: 'Largest pending request per client.' },
  { name: 'client-output-buffer-limit', kind: 'string', default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', mutable: true, validate: validateOutputBufferLimits, normalize: normalizeOutputBufferLimits, description: 'Output buffer limits per client class: hard, soft bytes and soft seconds.' },
  // general
  { name: 'databases', kind: 'int', default: '16', min: 1, max: 1024 * 1024, description: 'Number of databases.' },
  { name: 'loglevel', kind: 'enum', default: 'notice', values: ['debug', 'verbose', 'notice', 'warning'], mutable: true, description: 'Log verbosity.' },
  { name: 'logfile', kind: 'string', default: '', description: 'Log file path (empty: standard output).' },
  { name: 'hz', kind: 'int', default: '10', min: 0, max: 2147483647, clamp: [1, 500], mutable: true, description: 'Background task frequency (active expiry) per second.' },
  { name: 'daemonize', kind: 'bool', default: 'no', description: 'Accepted for compatibility; Redix always runs in the foreground.' },
  { name: 'maxmemory', kind: 'memory', default: '0', min: 0, max: LLONG_MAX, mutable: true, description: 'Memory limit (used_memory, see the README): before a denyoom command keys are evicted by maxmemory-policy, or the command is refused with -OOM (0: no limit).' },
  { name: 'maxmemory-clients', kind: 'string', default: '0', mutable: true, validate: validateMemoryOrPercent, normalize: normalizeMemoryOrPercent, description: 'Memory all clients together may use, in bytes or as a percentage of maxmemory (accepted; client eviction is not performed).' },
  { name: 'maxmemory-policy', kind: 'enum', default: 'noeviction', values: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'], mutable: true, description: 'Which keys eviction may remove: allkeys-* any key, volatile-* keys with a TTL; by approximated LRU, LFU, at random, or the nearest TTL; noeviction refuses writes.' },
  { name: 'maxmemory-samples', kind: 'int', default: '5', min: 1, max: 2147483647, mutable: true, description: 'Keys sampled per eviction pool refill (higher: closer to true LRU/LFU, slower).' },
  { name: 'maxmemory-eviction-tenacity', kind: 'int', default: '10', min: 0, max: 100, mutable: true, description: 'How long one eviction pass may run before the rest is left to a background timer (0: 0 us ... 100: unlimited).' },
  { name: 'lfu-log-factor', kind: 'int', default: '10', min: 0, max: 2147483647, mutable: true, description: 'How many hits it takes to raise an LFU counter (logarithmic).' },
  { name: 'lfu-decay-time', kind: 'int', default: '1', min: 0, max: 2147483647, mutable: true, description: 'Minutes after which an idle LFU counter is decremented (0: never decays).' },
  { name: 'lazyfree-lazy-eviction', kind: 'bool', default: 'no', mutable: true, description: 'Evicted keys propagate as UNLINK rather than DEL (values are always left to the garbage collector).' },
  { name: 'lazyfree-lazy-expire', kind: 'bool', default: 'no', mutable: true, description: 'Accepted for compatibility (values are always left to the garbage collector).' },
  { name: 'lazyfree-lazy-server-del', kind: 'bool', default: 'no', mutable: true, description: 'Accepted for compatibility (values are always left to the garbage collector).' },
  { name: 'replica-lazy-flush', aliases: ['slave-lazy-flush'], kind: 'bool', default: 'no', mutable: true, description: 'Accepted for compatibility (values are always left to the garbage collector).' },
  { name: 'replica-ignore-maxmemory', aliases: ['slave-ignore-maxmemory'], kind: 'bool', default: 'yes', mutable: true, description: "A replica does not evict on its own: the master's DELs arrive in the stream." },
  { name: 'slowlog-log-slower-than', kind: 'int', default: '10000', min: -1, max: LLONG_MAX, mutable: true, description: 'Commands that run at least this many microseconds go to the slow log (0: all, -1: none; while >= 0 every command is timed).' },
  { name: 'slowlog-max-len', kind: 'int', default: '128', min: 0, max: LLONG_MAX, mutable: true, description: 'Entries the slow log keeps (the oldest are dropped).' },
  { name: 'latency-monitor-threshold', kind: 'int', default: '0', min: 0, max: LLONG_MAX, mutable: true, description: 'LATENCY: record events (command, fast-command, expire-cycle, aof-write, aof-fsync-always, event-loop) that take at least this many ms; 0 disables.' },
  { name: 'latency-tracking', kind: 'bool', default: 'yes', mutable: true, description: 'Keep per-command latency histograms (INFO latencystats), from one call in 16.' },
  { name: 'latency-tracking-info-percentiles', kind: 'string', default: '50 99 99.9', mutable: true, validate: validatePercentiles, normalize: normalizePercentiles, description: 'Percentiles INFO latencystats shows, space-separated.' },
  { name: 'notify-keyspace-events', kind: 'string', default: '', mutable: true, validate: validateKeyspaceEvents, normalize: normalizeKeyspaceEvents, display: displayKeyspaceEvents, description: 'Keyspace event classes to publish (K, E, g, $, l, s, h, z, x, e, t, m, d, n; A: all but m and n) on __keyspace@<db>__ and __keyevent@<db>__ channels.' },
  { name: 'io-threads', kind: 'int', default: '1', min: 1, max: 128, description: 'Accepted for compatibility (Node serves from one thread).' },
  { name: 'lazyfree-lazy-user-del', kind: 'bool', default: 'no', mutable: true, description: 'DEL counts in INFO lazyfreed_objects as UNLINK does (values are always left to the garbage collector).' },
  { name: 'lazyfree-lazy-user-flush', kind: 'bool', default: 'no', mutable: true, description: 'FLUSHALL/FLUSHDB without SYNC count their keys in INFO lazyfreed_objects as ASYNC does (values are always left to the garbage collector).' },
  { name: 'activerehashing', kind: 'bool', default: 'yes', mutable: true, description: 'Accepted for compatibility.' },
  { name: 'tracking-table-max-keys', kind: 'int', default: '1000000', min: 0, max: LLONG_MAX, mutable: true, description: 'Keys the client-side caching table may remember; beyond that keys are invalidated early (0: no limit).' },
  { name: 'enable-protected-configs', kind: 'enum', default: 'no', values: ['no', 'yes', 'local'], description: 'Allow CONFIG SET of protected options (dir, dbfilename): yes, no, or local (loopback clients only).' },
  { name: 'enable-debug-command', kind: 'enum', default: 'no', values: ['no', 'yes', 'local'], description: 'Allow DEBUG: yes, no, or local (loopback clients only).' },
  { name: 'enable-module-command', kind: 'enum', default: 'no', values: ['no', 'yes', 'local'], description: 'Allow MODULE LOAD/LOADEX/UNLOAD: yes, no, or local (loopback clients only). Redix loads no Redis modules: LOAD fails as in Redis, MODULE LIST is empty.' },
  // encoding thresholds: stored and reported, used where Redix mirrors Redis's encoding names
  { name: 'hash-max-listpack-entries', aliases: ['hash-max-ziplist-entries'], kind: 'int', default: '512', min: 0, max: LLONG_MAX, mutable: true, description: 'Hashes up to this many fields keep the listpack encoding (one packed string); a write past it converts the hash to a hashtable for good.' },
  { name: 'hash-max-listpack-value', aliases: ['hash-max-ziplist-value'], kind: 'memory', default: '64', min: 0, max: LLONG_MAX, mutable: true, description: 'Writing a hash field or value longer than this converts the hash from listpack to hashtable for good.' },
  { name: 'list-max-listpack-size', aliases: ['list-max-ziplist-size'], kind: 'int', default: '-2', min: -2147483648, max: 2147483647, mutable: true, description: 'Largest list node: positive, a count of elements; -1 to -5, 4 to 64 kB (lists created after a change use it).' },
  { name: 'list-compress-depth', kind: 'int', default: '0', min: 0, max: 2147483647, mutable: true, description: 'List nodes more than this many from either end are saved LZF-compressed in RDB files and DUMP payloads, as Redis keeps them (Redix does not compress them in memory).' },
  { name: 'set-max-intset-entries', kind: 'int', default: '512', min: 0, max: LLONG_MAX, mutable: true, description: 'Accepted for compatibility.' },
  { name: 'zset-max-listpack-entries', aliases: ['zset-max-ziplist-entries'], kind: 'int', default: '128', min: 0, max: LLONG_MAX, mutable: true, description: 'Accepted for compatibility.' },
  { name: 'zset-max-listpack-value', aliases: ['zset-max-ziplist-value'], kind: 'memory', default: '64', min: 0, max: LLONG_MAX, mutable: true, description: 'Accepted for compatibility.' },
  { name: 'stream-node-max-bytes', kind: 'memory', default: '4096', min: 0, max: LLONG_MAX, mutable: true, description: 'A stream node (listpack) grows to at most this many bytes before a new one starts (0: no limit).' },
  { name: 'stream-node-max-entries', kind: 'int', default: '100', min: 0, max: LLONG_MAX, mutable: true, description: 'A stream node holds at most this many entries, deleted ones included (0: no limit).' },
  // RDB
  { name: 'dir', kind: 'string', default: '.', mutable: true, protected: true, validate: existingDirectory, description: 'Working directory for RDB and AOF files (must exist, as Redis chdirs to it).' },
  { name: 'dbfilename', kind: 'string', default: 'dump.rdb', mutable: true, protected: true, description: 'RDB snapshot file name.' },
  { name: 'save', kind: 'save', default: '3600 1 300 100 60 10000', mutable: true, description: 'Snapshot after N seconds if at least M changes ("" disables).' },
  { name: 'rdbcompression', kind: 'bool', default: 'yes', mutable: true, description: 'LZF-compress long strings in RDB files.' },
  { name: 'rdbchecksum', kind: 'bool', default: 'yes', description: 'Write and verify the RDB CRC-64 checksum.' },
  { name: 'stop-writes-on-bgsave-error', kind: 'bool', default: 'yes', mutable: true, description: 'Refuse writes after a failed background save.' },
  // AOF
  { name: 'appendonly', kind: 'bool', default: 'no', mutable: true, description: 'Enable the append-only file.' },
  { name: 'appendfilename', kind: 'string', default: 'appendonly.aof', description: 'Base name of AOF files.' },
  { name: 'appenddirname', kind: 'string', default: 'appendonlydir', description: 'Directory (inside dir) holding the AOF files and manifest.' },
  { name: 'appendfsync', kind: 'enum', default: 'everysec', values: ['everysec', 'always', 'no'], mutable: true, description: 'When to fsync the AOF: always, everysec or no.' },
  { name: 'auto-aof-rewrite-percentage', kind: 'int', default: '100', min: 0, max: 2147483647, mutable: true, description: 'Rewrite the AOF when it grew by this percentage (0 disables).' },
  { name: 'auto-aof-rewrite-min-size', kind: 'memory', default: '64mb', min: 0, max: LLONG_MAX, mutable: true, description: 'Minimum AOF size for an automatic rewrite.' },
  { name: 'aof-load-truncated', kind: 'bool', default: 'yes', mutable: true, description: 'Load an AOF whose last command is truncated (and cut it off).' },
  { name: 'aof-use-rdb-preamble', kind: 'bool', default: 'yes', mutable: true, description: 'Write the AOF base file in RDB format (compact, fast to load) rather than as commands.' },
  { name: 'aof-timestamp-enabled', kind: 'bool', default: 'no', mutable: true, description: 'Accepted for compatibility; ignored.' },
  { name: 'no-appendfsync-on-rewrite', kind: 'bool', default: 'no', mutable: true, description: 'Accepted for compatibility.' },
  { name: 'aof-rewrite-incremental-fsync', kind: 'bool', default: 'yes', mutable: true, description: 'Accepted for compatibility (a rewrite fsyncs its base once, at the end).' },
  { name: 'rdb-save-incremental-fsync', kind: 'bool', default: 'yes', mutable: true, description: 'Accepted for compatibility (a save fsyncs its file once, at the end).' },
  { name: 'rdb-del-sync-files', kind: 'bool', default: 'no', mutable: true, description: 'Accepted for compatibility.' },
  { name: 'sanitize-dump-payload', kind: 'enum', default: 'no', values: ['no', 'yes', 'clients'], mutable: true, description: 'Accepted for compatibility: RESTORE and loading always check payloads in full.' },
  { name: 'rdb-key-save-delay', kind: 'int', default: '0', min: -2147483648, max: 2147483647, mutable: true, hidden: true, description: 'Accepted for compatibility (a Redis debugging delay; Redix does not delay saves).' },
  { name: 'key-load-delay', kind: 'int', default: '0', min: -2147483648, max: 2147483647, mutable: true, hidden: true, description: 'Accepted for compatibility (a Redis debugging delay; Redix does not delay loading).' },
  // replication
  { name: 'replicaof', aliases: ['slaveof'], kind: 'hostport', default: '', description: 'Replicate from "host port" at start.' },
  { name: 'masterauth', kind: 'string', default: '', mutable: true, description: 'Password to authenticate with the master.' },
  { name: 'masteruser', kind: 'string', default: '', mutable: true, description: 'User to authenticate with the master.' },
  { name: 'oom-score-adj', kind: 'enum', default: 'no', values: ['no', 'yes', 'relative', 'absolute'], mutable: true, normalize: (v) => (v === 'relative' ? 'yes' : v), description: 'Set the process\'s Linux oom_score_adj from oom-score-adj-values: yes/relative adds to the score it had, absolute replaces it, no restores it.' },
  { name: 'oom-score-adj-values', kind: 'string', default: '0 200 800', mutable: true, validate: validateOomScoreValues, normalize: normalizeOomScoreValues, description: 'oom_score_adj for a master, a replica and a background child (-2000..2000 each).' },
  { name: 'bind-source-addr', kind: 'string', default: '', mutable: true, description: 'Local address a replica connects to its master from (empty: chosen by the system).' },
  { name: 'replica-read-only', aliases: ['slave-read-only'], kind: 'bool', default: 'yes', mutable: true, description: 'Refuse writes from clients on a replica.' },
  { name: 'replica-serve-stale-data', aliases: ['slave-serve-stale-data'], kind: 'bool', default: 'yes', mutable: true, description: 'Serve reads while the link to the master is down.' },
  { name: 'repl-backlog-size', kind: 'memory', default: '1mb', min: 1, max: LLONG_MAX, clamp: [16384, LLONG_MAX], mutable: true, description: 'Replication backlog size for partial resyncs.' },
  { name: 'repl-backlog-ttl', kind: 'int', default: '3600', min: 0, max: LLONG_MAX, mutable: true, description: 'Seconds without replicas before the backlog is freed.' },
  { name: 'repl-ping-replica-period', aliases: ['repl-ping-slave-period'], kind: 'int', default: '10', min: 1, max: 2147483647, mutable: true, description: 'Seconds between PINGs to replicas.' },
  { name: 'repl-timeout', kind: 'int', default: '60', min: 1, max: 2147483647, mutable: true, description: 'Replication link timeout in seconds.' },
  { name: 'repl-diskless-sync', kind: 'bool', default: 'yes', mutable: true, description: 'Stream full syncs to replicas without a file.' },
  { name: 'repl-diskless-sync-delay', kind: 'int', default: '5', min: 0, max: 2147483647, mutable: true, description: 'Seconds to wait for more replicas before a diskless sync.' },
  { name: 'repl-diskless-load', kind: 'enum', default: 'disabled', values: ['disabled', 'on-empty-db', 'swapdb'], mutable: true, description: 'How a replica loads a full sync.' },
  { name: 'min-replicas-to-write', aliases: ['min-slaves-to-write'], kind: 'int', default: '0', min: 0, max: 2147483647, mutable: true, description: 'Refuse writes with fewer good replicas than this (0: off).' },
  { name: 'min-replicas-max-lag', aliases: ['min-slaves-max-lag'], kind: 'int', default: '10', min: 0, max: 2147483647, mutable: true, description: 'Lag in seconds under which a replica counts as good.' },
  { name: 'replica-announce-ip', aliases: ['slave-announce-ip'], kind: 'string', default: '', mutable: true, description: 'IP a replica announces to its master.' },
  { name: 'replica-announce-port', aliases: ['slave-announce-port'], kind: 'int', default: '0', min: 0, max: 65535, mutable: true, description: 'Port a replica announces to its master.' },
  { name: 'replica-priority', aliases: ['slave-priority'], kind: 'int', default: '100', min: 0, max: 2147483647, mutable: true, description: 'Accepted for compatibility.' },
];

/** `dir`: Redis chdirs to it, so a path that is not an existing directory is refused with strerror's text. */
function existingDirectory(path: string): string | null {
  try {
    return statSync(path).isDirectory() ? null : 'Not a directory';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'No such file or directory';
    if (code === 'ENOTDIR') return 'Not a directory';
    if (code === 'EACCES') return 'Permission denied';
    return (e as Error).message;
  }
}
