import type { CommandDocs } from 'redix-server';

/**
 * Key specs, tips, history and argument trees of the plugin's commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS (printed by test/tools/spec-from-redis.ts). Spread into each
 * command's `@Command` spec.
 */
export const ZSETS_DOCS = {
  zadd: {
    keySpecs: [
      { flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['2.4.0', 'Accepts multiple elements.'],
      ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'],
      ['6.2.0', 'Added the `GT` and `LT` options.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'condition', type: 'oneof', since: '3.0.2', optional: true, arguments: [
        { name: 'nx', type: 'pure-token', token: 'NX' },
        { name: 'xx', type: 'pure-token', token: 'XX' },
      ] },
      { name: 'comparison', type: 'oneof', since: '6.2.0', optional: true, arguments: [
        { name: 'gt', type: 'pure-token', token: 'GT' },
        { name: 'lt', type: 'pure-token', token: 'LT' },
      ] },
      { name: 'change', type: 'pure-token', token: 'CH', since: '3.0.2', optional: true },
      { name: 'increment', type: 'pure-token', token: 'INCR', since: '3.0.2', optional: true },
      { name: 'score_member', type: 'block', multiple: true, arguments: [
        { name: 'score', type: 'double' },
        { name: 'member', type: 'string' },
      ] },
    ],
  },
  zincrby: {
    keySpecs: [
      { flags: ['RW', 'access', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'increment', type: 'integer' },
      { name: 'member', type: 'string' },
    ],
  },
  zrem: {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['2.4.0', 'Accepts multiple elements.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', multiple: true },
    ],
  },
  zcard: {
    keySpecs: [
      { flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  zscore: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string' },
    ],
  },
  zmscore: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string', multiple: true },
    ],
  },
  zrank: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string' },
    ],
  },
  zrevrank: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'member', type: 'string' },
    ],
  },
  zcount: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'double' },
      { name: 'max', type: 'double' },
    ],
  },
  zlexcount: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
    ],
  },
  zrange: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'string' },
      { name: 'stop', type: 'string' },
      { name: 'sortby', type: 'oneof', since: '6.2.0', optional: true, arguments: [
        { name: 'byscore', type: 'pure-token', token: 'BYSCORE' },
        { name: 'bylex', type: 'pure-token', token: 'BYLEX' },
      ] },
      { name: 'rev', type: 'pure-token', token: 'REV', since: '6.2.0', optional: true },
      { name: 'offset_count', type: 'block', token: 'LIMIT', since: '6.2.0', optional: true, arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' },
      ] },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
    ],
  },
  zrangestore: {
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'dst', type: 'key', keySpecIndex: 0 },
      { name: 'src', type: 'key', keySpecIndex: 1 },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
      { name: 'sortby', type: 'oneof', optional: true, arguments: [
        { name: 'byscore', type: 'pure-token', token: 'BYSCORE' },
        { name: 'bylex', type: 'pure-token', token: 'BYLEX' },
      ] },
      { name: 'rev', type: 'pure-token', token: 'REV', optional: true },
      { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' },
      ] },
    ],
  },
  zrevrange: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` argument',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
    ],
  },
  zrangebyscore: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['2.0.0', 'Added the `WITHSCORES` modifier.'],
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYSCORE` argument',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'double' },
      { name: 'max', type: 'double' },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', since: '2.0.0', optional: true },
      { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' },
      ] },
    ],
  },
  zrevrangebyscore: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['2.1.6', '`min` and `max` can be exclusive.'],
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYSCORE` arguments',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'max', type: 'double' },
      { name: 'min', type: 'double' },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
      { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' },
      ] },
    ],
  },
  zrangebylex: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYLEX` argument',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
      { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' },
      ] },
    ],
  },
  zrevrangebylex: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYLEX` arguments',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'max', type: 'string' },
      { name: 'min', type: 'string' },
      { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' },
      ] },
    ],
  },
  zremrangebyrank: {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
    ],
  },
  zremrangebyscore: {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'double' },
      { name: 'max', type: 'double' },
    ],
  },
  zremrangebylex: {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'min', type: 'string' },
      { name: 'max', type: 'string' },
    ],
  },
  zpopmin: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', optional: true },
    ],
  },
  zpopmax: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', optional: true },
    ],
  },
  zmpop: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'where', type: 'oneof', arguments: [
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' },
      ] },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
  },
  bzpopmin: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: -2, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.0.0', '`timeout` is interpreted as a double instead of an integer.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'timeout', type: 'double' },
    ],
  },
  bzpopmax: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: -2, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.0.0', '`timeout` is interpreted as a double instead of an integer.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'timeout', type: 'double' },
    ],
  },
  bzmpop: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'timeout', type: 'double' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'where', type: 'oneof', arguments: [
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' },
      ] },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
  },
  zrandmember: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'options', type: 'block', optional: true, arguments: [
        { name: 'count', type: 'integer' },
        { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
      ] },
    ],
  },
  zunion: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
      { name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true, arguments: [
        { name: 'sum', type: 'pure-token', token: 'SUM' },
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' },
      ] },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
    ],
  },
  zinter: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
      { name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true, arguments: [
        { name: 'sum', type: 'pure-token', token: 'SUM' },
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' },
      ] },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
    ],
  },
  zdiff: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'withscores', type: 'pure-token', token: 'WITHSCORES', optional: true },
    ],
  },
  zunionstore: {
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 1, multiple: true },
      { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
      { name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true, arguments: [
        { name: 'sum', type: 'pure-token', token: 'SUM' },
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' },
      ] },
    ],
  },
  zinterstore: {
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 1, multiple: true },
      { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
      { name: 'aggregate', type: 'oneof', token: 'AGGREGATE', optional: true, arguments: [
        { name: 'sum', type: 'pure-token', token: 'SUM' },
        { name: 'min', type: 'pure-token', token: 'MIN' },
        { name: 'max', type: 'pure-token', token: 'MAX' },
      ] },
    ],
  },
  zdiffstore: {
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'destination', type: 'key', keySpecIndex: 0 },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 1, multiple: true },
    ],
  },
  zintercard: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'limit', type: 'integer', token: 'LIMIT', optional: true },
    ],
  },
  zscan: {
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
