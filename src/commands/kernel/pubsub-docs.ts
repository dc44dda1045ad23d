import type { CommandDocs } from '../command-spec';

const SHARD_KEYS = [{ flags: ['not_key'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } }] as const;

/** Key specs and argument trees of the Pub/Sub commands, as Redis 7.0 describes them. */
export const PUBSUB_DOCS = {
  subscribe: {
    arguments: [{ name: 'channel', type: 'string', multiple: true }],
  },
  unsubscribe: {
    arguments: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
  },
  psubscribe: {
    arguments: [
      { name: 'pattern', type: 'block', multiple: true, arguments: [
        { name: 'pattern', type: 'pattern' },
      ] },
    ],
  },
  punsubscribe: {
    arguments: [{ name: 'pattern', type: 'pattern', optional: true, multiple: true }],
  },
  publish: {
    arguments: [
      { name: 'channel', type: 'string' },
      { name: 'message', type: 'string' },
    ],
  },
  ssubscribe: {
    keySpecs: SHARD_KEYS,
    arguments: [{ name: 'shardchannel', type: 'string', multiple: true }],
  },
  sunsubscribe: {
    keySpecs: SHARD_KEYS,
    arguments: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
  },
  spublish: {
    keySpecs: [{ flags: ['not_key'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
    arguments: [
      { name: 'shardchannel', type: 'string' },
      { name: 'message', type: 'string' },
    ],
  },
  'pubsub|channels': {
    arguments: [{ name: 'pattern', type: 'pattern', optional: true }],
  },
  'pubsub|numsub': {
    arguments: [{ name: 'channel', type: 'string', optional: true, multiple: true }],
  },
  'pubsub|shardchannels': {
    arguments: [{ name: 'pattern', type: 'pattern', optional: true }],
  },
  'pubsub|shardnumsub': {
    arguments: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }],
  },
} satisfies Record<string, CommandDocs>;
