import type { CommandDocs } from 'redix-server';

/** Key specs, history and argument trees of the list commands, as Redis 7.0's COMMAND DOCS has them. */
export const LISTS_DOCS = {
  lpush: {
    keySpecs: [
      { flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['2.4.0', 'Accepts multiple `element` arguments.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string', multiple: true },
    ],
  },
  rpush: {
    keySpecs: [
      { flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['2.4.0', 'Accepts multiple `element` arguments.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string', multiple: true },
    ],
  },
  lpushx: {
    keySpecs: [
      { flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['4.0.0', 'Accepts multiple `element` arguments.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string', multiple: true },
    ],
  },
  rpushx: {
    keySpecs: [
      { flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['4.0.0', 'Accepts multiple `element` arguments.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string', multiple: true },
    ],
  },
  lpop: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.2.0', 'Added the `count` argument.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', since: '6.2.0', optional: true },
    ],
  },
  rpop: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.2.0', 'Added the `count` argument.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer', since: '6.2.0', optional: true },
    ],
  },
  llen: {
    keySpecs: [
      { flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  lindex: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'index', type: 'integer' },
    ],
  },
  lset: {
    keySpecs: [
      { flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'index', type: 'integer' },
      { name: 'element', type: 'string' },
    ],
  },
  lrange: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
    ],
  },
  ltrim: {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'integer' },
      { name: 'stop', type: 'integer' },
    ],
  },
  lrem: {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'count', type: 'integer' },
      { name: 'element', type: 'string' },
    ],
  },
  linsert: {
    keySpecs: [
      { flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'where', type: 'oneof', arguments: [
        { name: 'before', type: 'pure-token', token: 'BEFORE' },
        { name: 'after', type: 'pure-token', token: 'AFTER' },
      ] },
      { name: 'pivot', type: 'string' },
      { name: 'element', type: 'string' },
    ],
  },
  lpos: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string' },
      { name: 'rank', type: 'integer', token: 'RANK', optional: true },
      { name: 'num-matches', type: 'integer', token: 'COUNT', optional: true },
      { name: 'len', type: 'integer', token: 'MAXLEN', optional: true },
    ],
  },
  lmove: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      { name: 'wherefrom', type: 'oneof', arguments: [
        { name: 'left', type: 'pure-token', token: 'LEFT' },
        { name: 'right', type: 'pure-token', token: 'RIGHT' },
      ] },
      { name: 'whereto', type: 'oneof', arguments: [
        { name: 'left', type: 'pure-token', token: 'LEFT' },
        { name: 'right', type: 'pure-token', token: 'RIGHT' },
      ] },
    ],
  },
  rpoplpush: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
    arguments: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
    ],
  },
  lmpop: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'where', type: 'oneof', arguments: [
        { name: 'left', type: 'pure-token', token: 'LEFT' },
        { name: 'right', type: 'pure-token', token: 'RIGHT' },
      ] },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
  },
  blpop: {
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
  brpop: {
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
  blmove: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      { name: 'wherefrom', type: 'oneof', arguments: [
        { name: 'left', type: 'pure-token', token: 'LEFT' },
        { name: 'right', type: 'pure-token', token: 'RIGHT' },
      ] },
      { name: 'whereto', type: 'oneof', arguments: [
        { name: 'left', type: 'pure-token', token: 'LEFT' },
        { name: 'right', type: 'pure-token', token: 'RIGHT' },
      ] },
      { name: 'timeout', type: 'double' },
    ],
  },
  brpoplpush: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.0.0', '`timeout` is interpreted as a double instead of an integer.'],
    ],
    docFlags: ['deprecated'],
    deprecatedSince: '6.2.0',
    replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments',
    arguments: [
      { name: 'source', type: 'key', keySpecIndex: 0 },
      { name: 'destination', type: 'key', keySpecIndex: 1 },
      { name: 'timeout', type: 'double' },
    ],
  },
  blmpop: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 2 }, findKeys: { keyNumIndex: 0, firstKey: 1, keyStep: 1 } },
    ],
    arguments: [
      { name: 'timeout', type: 'double' },
      { name: 'numkeys', type: 'integer' },
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
      { name: 'where', type: 'oneof', arguments: [
        { name: 'left', type: 'pure-token', token: 'LEFT' },
        { name: 'right', type: 'pure-token', token: 'RIGHT' },
      ] },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
  },
} satisfies Record<string, CommandDocs>;
