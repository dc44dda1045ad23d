import { keysAt, type CommandDocs } from 'redix-server';

/**
 * Key specs, tips, history and argument trees of the rdb plugin's commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const RDB_DOCS = {
  bgsave: {
    history: [
      ['3.2.2', 'Added the `SCHEDULE` option.'],
    ],
    arguments: [
      { name: 'schedule', type: 'pure-token', token: 'SCHEDULE', since: '3.2.2', optional: true },
    ],
  },
  dump: {
    keySpecs: [keysAt(1, ['RO', 'access'])],
    tips: ['nondeterministic_output'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  lastsave: {
    tips: ['nondeterministic_output'],
  },
  restore: {
    keySpecs: [keysAt(1, ['OW', 'update'])],
    history: [
      ['3.0.0', 'Added the `REPLACE` modifier.'],
      ['5.0.0', 'Added the `ABSTTL` modifier.'],
      ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.'],
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'ttl', type: 'integer' },
      { name: 'serialized-value', type: 'string' },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', since: '3.0.0', optional: true },
      { name: 'absttl', type: 'pure-token', token: 'ABSTTL', since: '5.0.0', optional: true },
      { name: 'seconds', type: 'integer', token: 'IDLETIME', since: '5.0.0', optional: true },
      { name: 'frequency', type: 'integer', token: 'FREQ', since: '5.0.0', optional: true },
    ],
  },
  migrate: {
    keySpecs: [
      { flags: ['RW', 'access', 'delete'], beginSearch: { index: 3 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RW', 'access', 'delete', 'incomplete'], beginSearch: { keyword: 'KEYS', startFrom: -2 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    tips: ['nondeterministic_output'],
    history: [
      ['3.0.0', 'Added the `COPY` and `REPLACE` options.'],
      ['3.0.6', 'Added the `KEYS` option.'],
      ['4.0.7', 'Added the `AUTH` option.'],
      ['6.0.0', 'Added the `AUTH2` option.'],
    ],
    arguments: [
      { name: 'host', type: 'string' },
      { name: 'port', type: 'integer' },
      { name: 'key_or_empty_string', type: 'oneof', arguments: [
        { name: 'key', type: 'key', keySpecIndex: 0 },
        { name: 'empty_string', type: 'pure-token', token: '' },
      ] },
      { name: 'destination-db', type: 'integer' },
      { name: 'timeout', type: 'integer' },
      { name: 'copy', type: 'pure-token', token: 'COPY', since: '3.0.0', optional: true },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', since: '3.0.0', optional: true },
      { name: 'authentication', type: 'oneof', optional: true, arguments: [
        { name: 'password', type: 'string', token: 'AUTH', since: '4.0.7', optional: true },
        { name: 'username_password', type: 'block', token: 'AUTH2', since: '6.0.0', optional: true, arguments: [
          { name: 'username', type: 'string' },
          { name: 'password', type: 'string' },
        ] },
      ] },
      { name: 'key', type: 'key', keySpecIndex: 1, token: 'KEYS', since: '3.0.6', optional: true, multiple: true },
    ],
  },
  'restore-asking': {
    keySpecs: [
      { flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    history: [
      ['3.0.0', 'Added the `REPLACE` modifier.'],
      ['5.0.0', 'Added the `ABSTTL` modifier.'],
      ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.'],
    ],
    docFlags: ['syscmd'],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'ttl', type: 'integer' },
      { name: 'serialized-value', type: 'string' },
      { name: 'replace', type: 'pure-token', token: 'REPLACE', since: '3.0.0', optional: true },
      { name: 'absttl', type: 'pure-token', token: 'ABSTTL', since: '5.0.0', optional: true },
      { name: 'seconds', type: 'integer', token: 'IDLETIME', since: '5.0.0', optional: true },
      { name: 'frequency', type: 'integer', token: 'FREQ', since: '5.0.0', optional: true },
    ],
  },
} satisfies Record<string, CommandDocs>;
