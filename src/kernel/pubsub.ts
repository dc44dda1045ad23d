import { compileGlob, type GlobMatcher } from '../keyspace/glob';

/** What Pub/Sub needs of a connection. */
export interface Subscriber {
  readonly id: number;
  /** Channels, patterns and shard channels it is subscribed to, in the order it subscribed (null: none yet). */
  channels: Set<string> | null;
  patterns: Set<string> | null;
  shardChannels: Set<string> | null;
  /** 2 or 3: the frame a message is sent in. */
  readonly protocol: number;
  /** Appends a pre-encoded push frame to its output, whatever its reply mode, and schedules the write. */
  deliver(frame: Buffer): void;
}

interface PatternEntry {
  readonly matcher: GlobMatcher;
  readonly clients: Set<Subscriber>;
}

/** The three Pub/Sub namespaces: channels (with patterns), and shard channels (no patterns). */
type Kind = 'channel' | 'shard';

/** A RESP bulk string of latin1 text (channels, patterns and messages are latin1 strings of their bytes). */
function bulk(s: string): string {
  return '$' + s.length + '\r\n' + s + '\r\n';
}

/**
 * The server's Pub/Sub registry (Redis's pubsub.c): who listens to which channel, pattern and
 * shard channel, in subscription order, and the fan-out of a message. A message is encoded once per
 * protocol in use, not per subscriber; each subscriber gets the same bytes appended to its output.
 */
export class PubSubRegistry {
  private readonly channels = new Map<string, Set<Subscriber>>();
  private readonly patterns = new Map<string, PatternEntry>();
  private readonly shardChannels = new Map<string, Set<Subscriber>>();

  /** Channels with subscribers (PUBSUB CHANNELS), or shard channels. */
  channelNames(kind: Kind): IterableIterator<string> {
    return (kind === 'channel' ? this.channels : this.shardChannels).keys();
  }

  /** Subscribers of a channel (PUBSUB NUMSUB / SHARDNUMSUB; patterns not counted). */
  subscriberCount(kind: Kind, channel: string): number {
    return (kind === 'channel' ? this.channels : this.shardChannels).get(channel)?.size ?? 0;
  }

  /** Patterns with subscribers (PUBSUB NUMPAT). */
  get patternCount(): number {
    return this.patterns.size;
  }

  /** Channel and pattern subscriptions of the whole server (INFO pubsub_channels ...). */
  get channelCount(): number {
    return this.channels.size;
  }

  get shardChannelCount(): number {
    return this.shardChannels.size;
  }

  /** Adds a subscription; false if the client already had it. */
  subscribe(c: Subscriber, kind: Kind, channel: string): boolean {
    const mine = kind === 'channel' ? (c.channels ??= new Set()) : (c.shardChannels ??= new Set());
    if (mine.has(channel)) return false;
    mine.add(channel);
    const all = kind === 'channel' ? this.channels : this.shardChannels;
    let clients = all.get(channel);
    if (clients === undefined) all.set(channel, (clients = new Set()));
    clients.add(c);
    return true;
  }

  unsubscribe(c: Subscriber, kind: Kind, channel: string): boolean {
    const mine = kind === 'channel' ? c.channels : c.shardChannels;
    if (mine === null || !mine.delete(channel)) return false;
    const all = kind === 'channel' ? this.channels : this.shardChannels;
    const clients = all.get(channel);
    if (clients !== undefined) {
      clients.delete(c);
      if (clients.size === 0) all.delete(channel);
    }
    return true;
  }

  psubscribe(c: Subscriber, pattern: string): boolean {
    const mine = (c.patterns ??= new Set());
    if (mine.has(pattern)) return false;
    mine.add(pattern);
    let entry = this.patterns.get(pattern);
    if (entry === undefined) this.patterns.set(pattern, (entry = { matcher: compileGlob(pattern), clients: new Set() }));
    entry.clients.add(c);
    return true;
  }

  punsubscribe(c: Subscriber, pattern: string): boolean {
    if (c.patterns === null || !c.patterns.delete(pattern)) return false;
    const entry = this.patterns.get(pattern);
    if (entry !== undefined) {
      entry.clients.delete(c);
      if (entry.clients.size === 0) this.patterns.delete(pattern);
    }
    return true;
  }

  /** Drops every subscription of a client that went away, without replying. */
  forget(c: Subscriber): void {
    for (const ch of c.channels ?? []) this.unsubscribe(c, 'channel', ch);
    for (const ch of c.shardChannels ?? []) this.unsubscribe(c, 'shard', ch);
    for (const p of c.patterns ?? []) this.punsubscribe(c, p);
  }

  /** PUBLISH: the message to the channel's subscribers, then to every matching pattern's; returns the receivers. */
  publish(channel: string, message: string | Buffer): number {
    return this.fanOut('channel', channel, message);
  }

  /** SPUBLISH: shard channels have no patterns. */
  spublish(channel: string, message: string | Buffer): number {
    return this.fanOut('shard', channel, message);
  }

  private fanOut(kind: Kind, channel: string, message: string | Buffer): number {
    let receivers = 0;
    // Frames are built as one latin1 string each and encoded once: a Buffer per piece and a concat
    // cost more than the message (two per write with keyspace events on).
    const text = typeof message === 'string' ? message : message.latin1Slice(0, message.length);
    const clients = (kind === 'channel' ? this.channels : this.shardChannels).get(channel);
    if (clients !== undefined) {
      receivers += this.send(clients, 3, (kind === 'channel' ? '$7\r\nmessage\r\n' : '$8\r\nsmessage\r\n') + bulk(channel) + bulk(text));
    }
    if (kind === 'shard' || this.patterns.size === 0) return receivers;
    let tail: string | null = null;
    for (const [pattern, entry] of this.patterns) {
      if (!entry.matcher(channel)) continue;
      tail ??= bulk(channel) + bulk(text);
      receivers += this.send(entry.clients, 4, '$8\r\npmessage\r\n' + bulk(pattern) + tail);
    }
    return receivers;
  }

  /** One frame per protocol, built only if a subscriber speaks it, the same bytes for all of them. */
  private send(clients: Set<Subscriber>, elements: number, body: string): number {
    let resp2: Buffer | null = null;
    let resp3: Buffer | null = null;
    for (const c of clients) {
      if (c.protocol === 3) c.deliver((resp3 ??= Buffer.from('>' + elements + '\r\n' + body, 'latin1')));
      else c.deliver((resp2 ??= Buffer.from('*' + elements + '\r\n' + body, 'latin1')));
    }
    return clients.size;
  }
}
