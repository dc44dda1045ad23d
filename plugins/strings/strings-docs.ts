import { keysAt, type CommandDocs } from 'redix-server';

/**
 * Key specs, tips, history and argument trees of the strings plugin's commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const STRINGS_DOCS = {
  append: {
    keySpecs: [keysAt(1, ['RW', 'insert'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'value', type: 'string' },
    ],
  },
  decr: {
    keySpecs: [keysAt(1, ['RW', 'access', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  decrby: {
    keySpecs: [keysAt(1, ['RW', 'access', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'decrement', type: 'integer' },
    ],
  },
  get: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  getdel: {
    keySpecs: [keysAt(1, ['RW', 'access', 'delete'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  getex: {
    keySpecs: [{ ...keysAt(1, ['RW', 'access', 'update']), notes: 'RW and UPDATE because it changes the TTL' }],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'expiration', type: 'oneof', optional: true, arguments: [
        { name: 'seconds', type: 'integer', token: 'EX' },
        { name: 'milliseconds', type: 'integer', token: 'PX' },
        { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
        { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
        { name: 'persist', type: 'pure-token', token: 'PERSIST' },
      ] },
    ],
  },
  getrange: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'integer' },
      { name: 'end', type: 'integer' },
    ],
  },
  getset: {
    keySpecs: [keysAt(1, ['RW', 'access', 'update'])],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`SET` with the `!GET` argument',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'value', type: 'string' },
    ],
  },
  incr: {
    keySpecs: [keysAt(1, ['RW', 'access', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  incrby: {
    keySpecs: [keysAt(1, ['RW', 'access', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'increment', type: 'integer' },
    ],
  },
  incrbyfloat: {
    keySpecs: [keysAt(1, ['RW', 'access', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'increment', type: 'double' },
    ],
  },
  lcs: {
    keySpecs: [keysAt(1, ['RO', 'access'], 1)],
    arguments: [
      { name: 'key1', type: 'key', keySpecIndex: 0 },
      { name: 'key2', type: 'key', keySpecIndex: 0 },
      { name: 'len', type: 'pure-token', token: 'LEN', optional: true },
      { name: 'idx', type: 'pure-token', token: 'IDX', optional: true },
      { name: 'len', type: 'integer', token: 'MINMATCHLEN', optional: true },
      { name: 'withmatchlen', type: 'pure-token', token: 'WITHMATCHLEN', optional: true },
    ],
  },
  mget: {
    keySpecs: [keysAt(1, ['RO', 'access'], -1)],
    tips: ['request_policy:multi_shard'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    ],
  },
  mset: {
    keySpecs: [keysAt(1, ['OW', 'update'], -1, 2)],
    tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
    arguments: [
      { name: 'key_value', type: 'block', multiple: true, arguments: [
        { name: 'key', type: 'key', keySpecIndex: 0 },
        { name: 'value', type: 'string' },
      ] },
    ],
  },
  msetnx: {
    keySpecs: [keysAt(1, ['OW', 'insert'], -1, 2)],
    tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
    arguments: [
      { name: 'key_value', type: 'block', multiple: true, arguments: [
        { name: 'key', type: 'key', keySpecIndex: 0 },
        { name: 'value', type: 'string' },
      ] },
    ],
  },
  psetex: {
    keySpecs: [keysAt(1, ['OW', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'milliseconds', type: 'integer' },
      { name: 'value', type: 'string' },
    ],
  },
  set: {
    keySpecs: [{ ...keysAt(1, ['RW', 'access', 'update', 'variable_flags']), notes: 'RW and ACCESS due to the optional `GET` argument' }],
    history: [
      ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
      ['6.0.0', 'Added the `KEEPTTL` option.'],
      ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
      ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'value', type: 'string' },
      { name: 'condition', type: 'oneof', since: '2.6.12', optional: true, arguments: [
        { name: 'nx', type: 'pure-token', token: 'NX' },
        { name: 'xx', type: 'pure-token', token: 'XX' },
      ] },
      { name: 'get', type: 'pure-token', token: 'GET', since: '6.2.0', optional: true },
      { name: 'expiration', type: 'oneof', optional: true, arguments: [
        { name: 'seconds', type: 'integer', token: 'EX', since: '2.6.12' },
        { name: 'milliseconds', type: 'integer', token: 'PX', since: '2.6.12' },
        { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT', since: '6.2.0' },
        { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT', since: '6.2.0' },
        { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL', since: '6.0.0' },
      ] },
    ],
  },
  setex: {
    keySpecs: [keysAt(1, ['OW', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'seconds', type: 'integer' },
      { name: 'value', type: 'string' },
    ],
  },
  setnx: {
    keySpecs: [keysAt(1, ['OW', 'insert'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'value', type: 'string' },
    ],
  },
  setrange: {
    keySpecs: [keysAt(1, ['RW', 'update'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'offset', type: 'integer' },
      { name: 'value', type: 'string' },
    ],
  },
  strlen: {
    keySpecs: [keysAt(1, ['RO'])],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  substr: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    docFlags: ['deprecated'],
    deprecatedSince: '2.0.0',
    replacedBy: '`GETRANGE`',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'integer' },
      { name: 'end', type: 'integer' },
    ],
  },
} satisfies Record<string, CommandDocs>;
