import type { CommandDocs } from 'redix-server';

/**
 * Key specs, tips, history and argument trees of the SORT and SORT_RO, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS (printed by test/tools/spec-from-redis.ts). Spread into each
 * command's `@Command` spec.
 */
export const SORT_DOCS = {
  sort: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { notes: 'For the optional BY/GET keyword. It is marked \'unknown\' because the key names derive from the content of the key we sort', flags: ['RO', 'access'], beginSearch: 'unknown', findKeys: 'unknown' },
      { notes: 'For the optional STORE keyword. It is marked \'unknown\' because the keyword can appear anywhere in the argument array', flags: ['OW', 'update'], beginSearch: 'unknown', findKeys: 'unknown' },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'pattern', type: 'pattern', keySpecIndex: 1, token: 'BY', optional: true },
      { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' },
      ] },
      { name: 'pattern', type: 'pattern', keySpecIndex: 1, token: 'GET', optional: true, multiple: true, multipleToken: true },
      { name: 'order', type: 'oneof', optional: true, arguments: [
        { name: 'asc', type: 'pure-token', token: 'ASC' },
        { name: 'desc', type: 'pure-token', token: 'DESC' },
      ] },
      { name: 'sorting', type: 'pure-token', token: 'ALPHA', optional: true },
      { name: 'destination', type: 'key', keySpecIndex: 2, token: 'STORE', optional: true },
    ],
  },
  sort_ro: {
    keySpecs: [
      { flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
      { notes: 'For the optional BY/GET keyword. It is marked \'unknown\' because the key names derive from the content of the key we sort', flags: ['RO', 'access'], beginSearch: 'unknown', findKeys: 'unknown' },
    ],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: 'pattern', type: 'pattern', keySpecIndex: 1, token: 'BY', optional: true },
      { name: 'offset_count', type: 'block', token: 'LIMIT', optional: true, arguments: [
        { name: 'offset', type: 'integer' },
        { name: 'count', type: 'integer' },
      ] },
      { name: 'pattern', type: 'pattern', keySpecIndex: 1, token: 'GET', optional: true, multiple: true, multipleToken: true },
      { name: 'order', type: 'oneof', optional: true, arguments: [
        { name: 'asc', type: 'pure-token', token: 'ASC' },
        { name: 'desc', type: 'pure-token', token: 'DESC' },
      ] },
      { name: 'sorting', type: 'pure-token', token: 'ALPHA', optional: true },
    ],
  },
} satisfies Record<string, CommandDocs>;
