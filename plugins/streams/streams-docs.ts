import type { CommandDocs } from 'redix-server';

/**
 * Key specs, tips, history and argument trees of the streams plugin's commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS (printed by test/tools/spec-from-redis.ts). Spread into each
 * command's `@Command` spec.
 */
export const STREAMS_DOCS = {
  xadd: {
    keySpecs: [
      { notes: 'UPDATE instead of INSERT because of the optional trimming feature', flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output'],
    history: [
      ['6.2.0', 'Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option.'],
      ['7.0.0', 'Added support for the `<ms>-*` explicit ID form.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'nomkstream', type: 'pure-token', token: 'NOMKSTREAM', since: '6.2.0', optional: true },
      { name: 'trim', type: 'block', optional: true, arguments: [
        { name: 'strategy', type: 'oneof', arguments: [
          { name: 'maxlen', type: 'pure-token', token: 'MAXLEN' },
          { name: 'minid', type: 'pure-token', token: 'MINID', since: '6.2.0' },
        ] },
        { name: 'operator', type: 'oneof', optional: true, arguments: [
          { name: 'equal', type: 'pure-token', token: '=' },
          { name: 'approximately', type: 'pure-token', token: '~' },
        ] },
        { name: 'threshold', type: 'string' },
        { name: 'count', type: 'integer', token: 'LIMIT', since: '6.2.0', optional: true },
      ] },
      { name: 'id_or_auto', type: 'oneof', arguments: [
        { name: 'auto_id', type: 'pure-token', token: '*' },
        { name: 'id', type: 'string' },
      ] },
      { name: 'field_value', type: 'block', multiple: true, arguments: [
        { name: 'field', type: 'string' },
        { name: 'value', type: 'string' },
      ] },
    ],
  },
  xlen: {
    keySpecs: [
      { flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  xrange: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.2.0', 'Added exclusive ranges.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'start', type: 'string' },
      { name: 'end', type: 'string' },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
  },
  xrevrange: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.2.0', 'Added exclusive ranges.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'end', type: 'string' },
      { name: 'start', type: 'string' },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
  },
  xdel: {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'id', type: 'string', multiple: true },
    ],
  },
  xtrim: {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output'],
    history: [
      ['6.2.0', 'Added the `MINID` trimming strategy and the `LIMIT` option.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'trim', type: 'block', arguments: [
        { name: 'strategy', type: 'oneof', arguments: [
          { name: 'maxlen', type: 'pure-token', token: 'MAXLEN' },
          { name: 'minid', type: 'pure-token', token: 'MINID', since: '6.2.0' },
        ] },
        { name: 'operator', type: 'oneof', optional: true, arguments: [
          { name: 'equal', type: 'pure-token', token: '=' },
          { name: 'approximately', type: 'pure-token', token: '~' },
        ] },
        { name: 'threshold', type: 'string' },
        { name: 'count', type: 'integer', token: 'LIMIT', since: '6.2.0', optional: true },
      ] },
    ],
  },
  xread: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { keyword: 'STREAMS', startFrom: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 2 } },
    ],
    arguments: [
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
      { name: 'streams', type: 'block', token: 'STREAMS', arguments: [
        { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
        { name: 'id', type: 'string', multiple: true },
      ] },
    ],
  },
  xreadgroup: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { keyword: 'STREAMS', startFrom: 4 }, findKeys: { lastKey: -1, keyStep: 1, limit: 2 } },
    ],
    arguments: [
      { name: 'group_consumer', type: 'block', token: 'GROUP', arguments: [
        { name: 'group', type: 'string' },
        { name: 'consumer', type: 'string' },
      ] },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
      { name: 'noack', type: 'pure-token', token: 'NOACK', optional: true },
      { name: 'streams', type: 'block', token: 'STREAMS', arguments: [
        { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
        { name: 'id', type: 'string', multiple: true },
      ] },
    ],
  },
  xack: {
    keySpecs: [
      { flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'group', type: 'string' },
      { name: 'id', type: 'string', multiple: true },
    ],
  },
  xpending: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output'],
    history: [
      ['6.2.0', 'Added the `IDLE` option and exclusive range intervals.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'group', type: 'string' },
      { name: 'filters', type: 'block', optional: true, arguments: [
        { name: 'min-idle-time', type: 'integer', token: 'IDLE', since: '6.2.0', optional: true },
        { name: 'start', type: 'string' },
        { name: 'end', type: 'string' },
        { name: 'count', type: 'integer' },
        { name: 'consumer', type: 'string', optional: true },
      ] },
    ],
  },
  xclaim: {
    keySpecs: [
      { flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'group', type: 'string' },
      { name: 'consumer', type: 'string' },
      { name: 'min-idle-time', type: 'string' },
      { name: 'id', type: 'string', multiple: true },
      { name: 'ms', type: 'integer', token: 'IDLE', optional: true },
      { name: 'unix-time-milliseconds', type: 'unix-time', token: 'TIME', optional: true },
      { name: 'count', type: 'integer', token: 'RETRYCOUNT', optional: true },
      { name: 'force', type: 'pure-token', token: 'FORCE', optional: true },
      { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true },
      { name: 'id', type: 'string', token: 'LASTID', optional: true },
    ],
  },
  xautoclaim: {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output'],
    history: [
      ['7.0.0', 'Added an element to the reply array, containing deleted entries the command cleared from the PEL'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'group', type: 'string' },
      { name: 'consumer', type: 'string' },
      { name: 'min-idle-time', type: 'string' },
      { name: 'start', type: 'string' },
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      { name: 'justid', type: 'pure-token', token: 'JUSTID', optional: true },
    ],
  },
  xsetid: {
    keySpecs: [
      { flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['7.0.0', 'Added the `entries_added` and `max_deleted_entry_id` arguments.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'last-id', type: 'string' },
      { name: 'entries_added', type: 'integer', token: 'ENTRIESADDED', since: '7.0.0', optional: true },
      { name: 'max_deleted_entry_id', type: 'string', token: 'MAXDELETEDID', since: '7.0.0', optional: true },
    ],
  },
  'xgroup|create': {
    keySpecs: [
      { flags: ['RW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['7.0.0', 'Added the `entries_read` named argument.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'groupname', type: 'string' },
      { name: 'id', type: 'oneof', arguments: [
        { name: 'id', type: 'string' },
        { name: 'new_id', type: 'pure-token', token: '$' },
      ] },
      { name: 'mkstream', type: 'pure-token', token: 'MKSTREAM', optional: true },
      { name: 'entries_read', type: 'integer', token: 'ENTRIESREAD', optional: true },
    ],
  },
  'xgroup|setid': {
    keySpecs: [
      { flags: ['RW', 'update'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['7.0.0', 'Added the optional `entries_read` argument.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'groupname', type: 'string' },
      { name: 'id', type: 'oneof', arguments: [
        { name: 'id', type: 'string' },
        { name: 'new_id', type: 'pure-token', token: '$' },
      ] },
      { name: 'entries_read', type: 'integer', token: 'ENTRIESREAD', optional: true },
    ],
  },
  'xgroup|destroy': {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'groupname', type: 'string' },
    ],
  },
  'xgroup|createconsumer': {
    keySpecs: [
      { flags: ['RW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'groupname', type: 'string' },
      { name: 'consumername', type: 'string' },
    ],
  },
  'xgroup|delconsumer': {
    keySpecs: [
      { flags: ['RW', 'delete'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'groupname', type: 'string' },
      { name: 'consumername', type: 'string' },
    ],
  },
  'xgroup|help': {

  },
  'xinfo|stream': {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['6.0.0', 'Added the `FULL` modifier.'],
      ['7.0.0', 'Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'full', type: 'block', token: 'FULL', optional: true, arguments: [
        { name: 'count', type: 'integer', token: 'COUNT', optional: true },
      ] },
    ],
  },
  'xinfo|groups': {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['7.0.0', 'Added the `entries-read` and `lag` fields'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  'xinfo|consumers': {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'groupname', type: 'string' },
    ],
  },
  'xinfo|help': {

  },
  xgroup: {

  },
  xinfo: {

  },
} satisfies Record<string, CommandDocs>;
