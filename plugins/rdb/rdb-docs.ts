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
} satisfies Record<string, CommandDocs>;
