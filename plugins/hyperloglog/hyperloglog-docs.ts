import type { CommandDocs } from 'redix-server';

/**
 * Key specs, tips, history and argument trees of the hyperloglog plugin's commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const HYPERLOGLOG_DOCS = {
  pfadd: {
    keySpecs: [
      { flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'element', type: 'string', optional: true, multiple: true },
    ],
  },
  pfcount: {
    keySpecs: [
      { notes: 'RW because it may change the internal representation of the key, and propagate to replicas', flags: ['RW', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    ],
  },
  pfmerge: {
    keySpecs: [
      { flags: ['RW', 'access', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { flags: ['RO', 'access'], beginSearch: { index: 2 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } },
    ],
    arguments: [
      { name: 'destkey', type: 'key', keySpecIndex: 0 },
      { name: 'sourcekey', type: 'key', keySpecIndex: 1, multiple: true },
    ],
  },
  pfdebug: {
    keySpecs: [
      { flags: ['RW', 'access'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    ],
    docFlags: ['syscmd'],
    arguments: [
      { name: 'subcommand', type: 'string' },
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
  },
  pfselftest: {
    docFlags: ['syscmd'],
  },
} satisfies Record<string, CommandDocs>;
