import type { CommandDocs } from '../command-spec';

/** FLUSHALL and FLUSHDB: the same tips, history and ASYNC|SYNC argument. */
const FLUSH_DOCS = {
  tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  history: [
    ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
    ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
  ],
  arguments: [
    { name: 'async', type: 'oneof', optional: true, arguments: [
      { name: 'async', type: 'pure-token', token: 'ASYNC', since: '4.0.0' },
      { name: 'sync', type: 'pure-token', token: 'SYNC', since: '6.2.0' },
    ] },
  ],
} satisfies CommandDocs;

/**
 * Key specs, tips, history and argument trees of the SERVER commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const SERVER_DOCS = {
  dbsize: {
    tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
  },
  flushall: FLUSH_DOCS,
  flushdb: FLUSH_DOCS,
  info: {
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
    history: [
      ['7.0.0', 'Added support for taking multiple section arguments.'],
    ],
    arguments: [
      { name: 'section', type: 'string', optional: true, multiple: true },
    ],
  },
  shutdown: {
    history: [
      ['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.'],
    ],
    arguments: [
      { name: 'nosave_save', type: 'oneof', optional: true, arguments: [
        { name: 'nosave', type: 'pure-token', token: 'NOSAVE' },
        { name: 'save', type: 'pure-token', token: 'SAVE' },
      ] },
      { name: 'now', type: 'pure-token', token: 'NOW', since: '7.0.0', optional: true },
      { name: 'force', type: 'pure-token', token: 'FORCE', since: '7.0.0', optional: true },
      { name: 'abort', type: 'pure-token', token: 'ABORT', since: '7.0.0', optional: true },
    ],
  },
  time: {
    tips: ['nondeterministic_output'],
  },
} satisfies Record<string, CommandDocs>;
