import type { CommandDocs } from 'redix-server';

/**
 * Key specs, tips, history and argument trees of the set commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS (printed by test/tools/spec-from-redis.ts). Spread into each
 * command's `@Command` spec.
 */
export const SETS_DOCS = {
  sadd: {
    keySpecs: [
      { flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['2.4.0', 'Accepts multiple `member` arguments.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', multiple: true },
    ],
  },
  srem: {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['2.4.0', 'Accepts multiple `member` arguments.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', multiple: true },
    ],
  },
  smembers: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output_order'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  sismember: {
    keySpecs: [
      { flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string' },
    ],
  },
  smismember: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', multiple: true },
    ],
  },
  scard: {
    keySpecs: [
      { flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  spop: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output'],
    history: [
      ['3.2.0', 'Added the `count` argument.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', since: '3.2.0', optional: true },
    ],
  },
  srandmember: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output'],
    history: [
      ['2.6.0', 'Added the optional `count` argument.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', since: '2.6.0', optional: true },
    ],
  },
  smove: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      { name: 'member', type: 'string' },
    ],
  },
  sinter: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output_order'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    ],
  },
  sintercard: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'limit', type: 'integer', token: 'LIMIT', optional: true },
    ],
  },
  sinterstore: {
    keySpecs: [
      { flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'key', type: 'key', keySpecIndex: 1, multiple: true },
    ],
  },
  sunion: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output_order'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    ],
  },
  sunionstore: {
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'key', type: 'key', keySpecIndex: 1, multiple: true },
    ],
  },
  sdiff: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output_order'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    ],
  },
  sdiffstore: {
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'key', type: 'key', keySpecIndex: 1, multiple: true },
    ],
  },
  sscan: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'cursor', type: 'integer' },
      { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
  },
} satisfies Record<string, CommandDocs>;
