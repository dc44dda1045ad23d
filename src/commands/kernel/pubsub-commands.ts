import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import type { Client } from '../../network/client';
import { compileGlob } from '../../keyspace/glob';
import { writeHelp } from './help';
import { PUBSUB_DOCS } from './pubsub-docs';

const SUBSCRIBE = { group: 'pubsub', flags: ['pubsub', 'noscript', 'loading', 'stale'], aclCategories: ['@pubsub', '@slow'] } as const;
const PUBLISH = { group: 'pubsub', flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], aclCategories: ['@pubsub', '@fast'] } as const;
const INTROSPECT = { group: 'pubsub', flags: ['pubsub', 'loading', 'stale'], aclCategories: ['@pubsub', '@slow'] } as const;

const text = (b: Buffer) => b.latin1Slice(0, b.length);

/** A subscribe confirmation: [kind, channel or null, count], a push frame under RESP3. */
function confirm(c: Client, kind: string, channel: string | null, count: number): void {
  c.updateSubscribed();
  const r = c.reply;
  // A push, as Redis sends it: delivered even under CLIENT REPLY OFF.
  const muted = r.muted;
  if (c.socket !== null) r.muted = false;
  r.push(3);
  r.bulk(kind);
  if (channel === null) r.nullBulk();
  else r.bulk(channel);
  r.integer(count);
  r.muted = muted;
}

/**
 * Pub/Sub (Redis's pubsub.c): SUBSCRIBE and friends, PUBLISH, SPUBLISH, PUBSUB. Messages are
 * delivered by the kernel's registry; keyspace notifications are published through it too.
 */
@CommandModule({ containers: [{ name: 'pubsub', group: 'pubsub', since: '2.8.0', summary: 'A container for Pub/Sub commands', complexity: 'Depends on subcommand.', aclCategories: ['@slow'] }] })
export class PubSubCommands {
  /** SUBSCRIBE channel [channel ...] */
  @Command({ name: 'subscribe', arity: -2, ...SUBSCRIBE, since: '2.0.0', summary: 'Listen for messages published to the given channels', complexity: 'O(N) where N is the number of channels to subscribe to.', ...PUBSUB_DOCS.subscribe })
  subscribe(c: CommandContext, argv: Buffer[]): void {
    const client = c as Client;
    // A client that must get one reply per command cannot subscribe (inside MULTI it may, as in Redis).
    if (c.blockingDenied && client.multi === null && !client.inExec) {
      c.reply.error("ERR SUBSCRIBE isn't allowed for a DENY BLOCKING client");
      return;
    }
    const pubsub = client.kernel.pubsub;
    for (let i = 1; i < argv.length; i++) {
      const channel = text(argv[i]);
      pubsub.subscribe(client, 'channel', channel);
      confirm(client, 'subscribe', channel, client.subscriptionCount);
    }
  }

  /** UNSUBSCRIBE [channel [channel ...]] */
  @Command({ name: 'unsubscribe', arity: -1, ...SUBSCRIBE, since: '2.0.0', summary: 'Stop listening for messages posted to the given channels', complexity: 'O(N) where N is the number of clients already subscribed to a channel.', ...PUBSUB_DOCS.unsubscribe })
  unsubscribe(c: CommandContext, argv: Buffer[]): void {
    this.unsubscribeGeneric(c as Client, argv, 'channel', 'unsubscribe');
  }

  /** PSUBSCRIBE pattern [pattern ...] */
  @Command({ name: 'psubscribe', arity: -2, ...SUBSCRIBE, since: '2.0.0', summary: 'Listen for messages published to channels matching the given patterns', complexity: 'O(N) where N is the number of patterns the client is already subscribed to.', ...PUBSUB_DOCS.psubscribe })
  psubscribe(c: CommandContext, argv: Buffer[]): void {
    const client = c as Client;
    if (c.blockingDenied && client.multi === null && !client.inExec) {
      c.reply.error("ERR PSUBSCRIBE isn't allowed for a DENY BLOCKING client");
      return;
    }
    const pubsub = client.kernel.pubsub;
    for (let i = 1; i < argv.length; i++) {
      const pattern = text(argv[i]);
      pubsub.psubscribe(client, pattern);
      confirm(client, 'psubscribe', pattern, client.subscriptionCount);
    }
  }

  /** PUNSUBSCRIBE [pattern [pattern ...]] */
  @Command({ name: 'punsubscribe', arity: -1, ...SUBSCRIBE, since: '2.0.0', summary: 'Stop listening for messages posted to channels matching the given patterns', complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).', ...PUBSUB_DOCS.punsubscribe })
  punsubscribe(c: CommandContext, argv: Buffer[]): void {
    const client = c as Client;
    const pubsub = client.kernel.pubsub;
    if (argv.length === 1) {
      const all = [...(client.patterns ?? [])];
      for (const pattern of all) {
        pubsub.punsubscribe(client, pattern);
        confirm(client, 'punsubscribe', pattern, client.subscriptionCount);
      }
      if (all.length === 0) confirm(client, 'punsubscribe', null, client.subscriptionCount);
      return;
    }
    for (let i = 1; i < argv.length; i++) {
      const pattern = text(argv[i]);
      pubsub.punsubscribe(client, pattern);
      confirm(client, 'punsubscribe', pattern, client.subscriptionCount);
    }
  }

  /** SSUBSCRIBE shardchannel [shardchannel ...] */
  @Command({ name: 'ssubscribe', arity: -2, ...SUBSCRIBE, firstKey: 1, lastKey: -1, keyStep: 1, since: '7.0.0', summary: 'Listen for messages published to the given shard channels', complexity: 'O(N) where N is the number of shard channels to subscribe to.', ...PUBSUB_DOCS.ssubscribe })
  ssubscribe(c: CommandContext, argv: Buffer[]): void {
    const client = c as Client;
    // Unlike SUBSCRIBE, refused inside MULTI too (Redis 7.0).
    if (c.blockingDenied) {
      c.reply.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
      return;
    }
    const pubsub = client.kernel.pubsub;
    for (let i = 1; i < argv.length; i++) {
      const channel = text(argv[i]);
      pubsub.subscribe(client, 'shard', channel);
      confirm(client, 'ssubscribe', channel, client.shardChannels?.size ?? 0);
    }
  }

  /** SUNSUBSCRIBE [shardchannel [shardchannel ...]] */
  @Command({ name: 'sunsubscribe', arity: -1, ...SUBSCRIBE, firstKey: 1, lastKey: -1, keyStep: 1, since: '7.0.0', summary: 'Stop listening for messages posted to the given shard channels', complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.', ...PUBSUB_DOCS.sunsubscribe })
  sunsubscribe(c: CommandContext, argv: Buffer[]): void {
    this.unsubscribeGeneric(c as Client, argv, 'shard', 'sunsubscribe');
  }

  private unsubscribeGeneric(client: Client, argv: Buffer[], kind: 'channel' | 'shard', name: string): void {
    const pubsub = client.kernel.pubsub;
    const count = () => (kind === 'channel' ? client.subscriptionCount : client.shardChannels?.size ?? 0);
    if (argv.length === 1) {
      const all = [...((kind === 'channel' ? client.channels : client.shardChannels) ?? [])];
      for (const channel of all) {
        pubsub.unsubscribe(client, kind, channel);
        confirm(client, name, channel, count());
      }
      if (all.length === 0) confirm(client, name, null, count());
      return;
    }
    for (let i = 1; i < argv.length; i++) {
      const channel = text(argv[i]);
      pubsub.unsubscribe(client, kind, channel);
      confirm(client, name, channel, count());
    }
  }

  /** PUBLISH channel message: delivered now; replicas get the PUBLISH too (the AOF does not). */
  @Command({ name: 'publish', arity: 3, ...PUBLISH, since: '2.0.0', summary: 'Post a message to a channel', complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).', ...PUBSUB_DOCS.publish })
  publish(c: CommandContext, argv: Buffer[]): void {
    const receivers = (c as Client).kernel.pubsub.publish(text(argv[1]), argv[2]);
    c.forcePropagation('replicas');
    c.reply.integer(receivers);
  }

  /** SPUBLISH shardchannel message */
  @Command({ name: 'spublish', arity: 3, ...PUBLISH, firstKey: 1, lastKey: 1, keyStep: 1, since: '7.0.0', summary: 'Post a message to a shard channel', complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.', ...PUBSUB_DOCS.spublish })
  spublish(c: CommandContext, argv: Buffer[]): void {
    const receivers = (c as Client).kernel.pubsub.spublish(text(argv[1]), argv[2]);
    c.forcePropagation('replicas');
    c.reply.integer(receivers);
  }

  /** PUBSUB CHANNELS [pattern] */
  @Command({ name: 'pubsub|channels', arity: -2, ...INTROSPECT, since: '2.8.0', summary: 'List active channels', complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)', ...PUBSUB_DOCS['pubsub|channels'] })
  channels(c: CommandContext, argv: Buffer[]): void {
    this.listChannels(c, argv, 'channel');
  }

  /** PUBSUB SHARDCHANNELS [pattern] */
  @Command({ name: 'pubsub|shardchannels', arity: -2, ...INTROSPECT, since: '7.0.0', summary: 'List active shard channels', complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).', ...PUBSUB_DOCS['pubsub|shardchannels'] })
  shardchannels(c: CommandContext, argv: Buffer[]): void {
    this.listChannels(c, argv, 'shard');
  }

  private listChannels(c: CommandContext, argv: Buffer[], kind: 'channel' | 'shard'): void {
    if (argv.length > 3) {
      syntaxError(c, argv);
      return;
    }
    const match = argv.length === 3 ? compileGlob(text(argv[2])) : null;
    const names = [...(c as Client).kernel.pubsub.channelNames(kind)].filter((n) => match === null || match(n));
    c.reply.bulkArray(names);
  }

  /** PUBSUB NUMSUB [channel ...] */
  @Command({ name: 'pubsub|numsub', arity: -2, ...INTROSPECT, since: '2.8.0', summary: 'Get the count of subscribers for channels', complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels', ...PUBSUB_DOCS['pubsub|numsub'] })
  numsub(c: CommandContext, argv: Buffer[]): void {
    this.countSubscribers(c, argv, 'channel');
  }

  /** PUBSUB SHARDNUMSUB [shardchannel ...] */
  @Command({ name: 'pubsub|shardnumsub', arity: -2, ...INTROSPECT, since: '7.0.0', summary: 'Get the count of subscribers for shard channels', complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels', ...PUBSUB_DOCS['pubsub|shardnumsub'] })
  shardnumsub(c: CommandContext, argv: Buffer[]): void {
    this.countSubscribers(c, argv, 'shard');
  }

  private countSubscribers(c: CommandContext, argv: Buffer[], kind: 'channel' | 'shard'): void {
    const pubsub = (c as Client).kernel.pubsub;
    // A flat array in both protocols, as Redis replies.
    c.reply.array((argv.length - 2) * 2);
    for (let i = 2; i < argv.length; i++) {
      c.reply.bulkBuffer(argv[i]);
      c.reply.integer(pubsub.subscriberCount(kind, text(argv[i])));
    }
  }

  /** PUBSUB NUMPAT */
  @Command({ name: 'pubsub|numpat', arity: 2, ...INTROSPECT, since: '2.8.0', summary: 'Get the count of unique patterns pattern subscriptions', complexity: 'O(1)' })
  numpat(c: CommandContext): void {
    c.reply.integer((c as Client).kernel.pubsub.patternCount);
  }

  /** PUBSUB HELP */
  @Command({ name: 'pubsub|help', arity: 2, group: 'pubsub', flags: ['loading', 'stale'], since: '6.2.0', summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', aclCategories: ['@slow'] })
  help(c: CommandContext): void {
    writeHelp(c, 'PUBSUB', [
      'CHANNELS [<pattern>]',
      "    Return the currently active channels matching a <pattern> (default: '*').",
      'NUMPAT',
      '    Return number of subscriptions to patterns.',
      'NUMSUB [<channel> ...]',
      '    Return the number of subscribers for the specified channels, excluding',
      '    pattern subscriptions(default: no channels).',
      'SHARDCHANNELS [<pattern>]',
      "    Return the currently active shard level channels matching a <pattern> (default: '*').",
      'SHARDNUMSUB [<shardchannel> ...]',
      '    Return the number of subscribers for the specified shard level channel(s)',
    ]);
  }

}

function syntaxError(c: CommandContext, argv: Buffer[]): void {
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${text(argv[1]).slice(0, 128)}'. Try PUBSUB HELP.`);
}
