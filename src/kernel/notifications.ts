import type { ConfigStore } from '../config/config-store';

/**
 * Keyspace event classes, with Redis 7.0's bit values (server.h NOTIFY_*). A command emits its
 * events with one class; `notify-keyspace-events` selects the classes and the channels (K, E).
 */
export const NOTIFY = {
  /** K: `__keyspace@<db>__:<key>` channels. */
  KEYSPACE: 1 << 0,
  /** E: `__keyevent@<db>__:<event>` channels. */
  KEYEVENT: 1 << 1,
  /** g: generic commands (DEL, EXPIRE, RENAME, ...). */
  GENERIC: 1 << 2,
  /** $: string commands. */
  STRING: 1 << 3,
  /** l: list commands. */
  LIST: 1 << 4,
  /** s: set commands. */
  SET: 1 << 5,
  /** h: hash commands. */
  HASH: 1 << 6,
  /** z: sorted set commands. */
  ZSET: 1 << 7,
  /** x: a key expired. */
  EXPIRED: 1 << 8,
  /** e: a key was evicted (maxmemory). */
  EVICTED: 1 << 9,
  /** t: stream commands. */
  STREAM: 1 << 10,
  /** m: a key was read and missing. */
  KEY_MISS: 1 << 11,
  /** Loaded keys (Redis modules only; never a channel). */
  LOADED: 1 << 12,
  /** d: module (plugin) types. */
  MODULE: 1 << 13,
  /** n: a key was created. */
  NEW: 1 << 14,
} as const;

/** "A": every class but m and n. */
const NOTIFY_ALL = NOTIFY.GENERIC | NOTIFY.STRING | NOTIFY.LIST | NOTIFY.SET | NOTIFY.HASH | NOTIFY.ZSET |
  NOTIFY.EXPIRED | NOTIFY.EVICTED | NOTIFY.STREAM | NOTIFY.MODULE;

const LETTERS: Record<string, number> = {
  A: NOTIFY_ALL, g: NOTIFY.GENERIC, $: NOTIFY.STRING, l: NOTIFY.LIST, s: NOTIFY.SET, h: NOTIFY.HASH, z: NOTIFY.ZSET,
  x: NOTIFY.EXPIRED, e: NOTIFY.EVICTED, K: NOTIFY.KEYSPACE, E: NOTIFY.KEYEVENT, t: NOTIFY.STREAM, m: NOTIFY.KEY_MISS,
  d: NOTIFY.MODULE, n: NOTIFY.NEW,
};

/** The flags a `notify-keyspace-events` value selects (it was validated when set). */
export function keyspaceEventFlags(text: string): number {
  let flags = 0;
  for (const ch of text) flags |= LETTERS[ch] ?? 0;
  return flags;
}

/** Publishes a message to a Pub/Sub channel; returns how many clients received it. */
export type ChannelPublisher = (channel: string, message: string) => number;

/**
 * Emits keyspace events as Redis's notifyKeyspaceEvent does: nothing unless the event's class is
 * selected (one AND, so emitting costs nothing while notifications are off), else a message on
 * the keyspace channel and one on the keyevent channel, as selected.
 */
export class KeyspaceNotifier {
  private flags: number;
  /** Where messages go: the Pub/Sub registry, once the kernel has one (null: dropped). */
  publisher: ChannelPublisher | null = null;
  /** Observers of every event whatever the config (plugins, tests), or null. */
  private listeners: ((type: number, event: string, key: string, dbIndex: number) => void)[] | null = null;

  constructor(config: ConfigStore) {
    this.flags = keyspaceEventFlags(config.get<string>('notify-keyspace-events'));
    config.onChange('notify-keyspace-events', (value) => {
      this.flags = keyspaceEventFlags(String(value));
    });
  }

  /** True when events of `type` are published (a caller with costly arguments may check first). */
  enabled(type: number): boolean {
    return (this.flags & type) !== 0;
  }

  emit(type: number, event: string, key: string, dbIndex: number): void {
    const listeners = this.listeners;
    if (listeners !== null) for (const l of listeners) l(type, event, key, dbIndex);
    const flags = this.flags;
    if ((flags & type) === 0) return;
    const publish = this.publisher;
    if (publish === null) return;
    if ((flags & NOTIFY.KEYSPACE) !== 0) publish(`__keyspace@${dbIndex}__:${key}`, event);
    if ((flags & NOTIFY.KEYEVENT) !== 0) publish(`__keyevent@${dbIndex}__:${event}`, key);
  }

  /** Calls `listener` for every event emitted, selected by the config or not (as a module's subscription). */
  subscribe(listener: (type: number, event: string, key: string, dbIndex: number) => void): () => void {
    this.listeners = [...(this.listeners ?? []), listener];
    return () => {
      const rest = (this.listeners ?? []).filter((l) => l !== listener);
      this.listeners = rest.length === 0 ? null : rest;
    };
  }
}
