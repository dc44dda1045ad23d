import type { CommandDocs } from '../command-spec';

/** Argument trees of CLIENT TRACKING and CLIENT CACHING, as Redis 7.0 describes them. */
export const CLIENT_TRACKING_DOCS = {
  'client|tracking': {
    arguments: [
      { name: 'status', type: 'oneof', arguments: [
        { name: 'on', type: 'pure-token', token: 'ON' },
        { name: 'off', type: 'pure-token', token: 'OFF' },
      ] },
      { name: 'client-id', type: 'integer', token: 'REDIRECT', optional: true },
      { name: 'prefix', type: 'string', token: 'PREFIX', optional: true, multiple: true, multipleToken: true },
      { name: 'bcast', type: 'pure-token', token: 'BCAST', optional: true },
      { name: 'optin', type: 'pure-token', token: 'OPTIN', optional: true },
      { name: 'optout', type: 'pure-token', token: 'OPTOUT', optional: true },
      { name: 'noloop', type: 'pure-token', token: 'NOLOOP', optional: true },
    ],
  },
  'client|caching': {
    arguments: [
      { name: 'mode', type: 'oneof', arguments: [
        { name: 'yes', type: 'pure-token', token: 'YES' },
        { name: 'no', type: 'pure-token', token: 'NO' },
      ] },
    ],
  },
  'client|reply': {
    arguments: [
      { name: 'on_off_skip', type: 'oneof', arguments: [
        { name: 'on', type: 'pure-token', token: 'ON' },
        { name: 'off', type: 'pure-token', token: 'OFF' },
        { name: 'skip', type: 'pure-token', token: 'SKIP' },
      ] },
    ],
  },
  'client|pause': {
    history: [
      ['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.'],
    ],
    arguments: [
      { name: 'timeout', type: 'integer' },
      { name: 'mode', type: 'oneof', since: '6.2.0', optional: true, arguments: [
        { name: 'write', type: 'pure-token', token: 'WRITE' },
        { name: 'all', type: 'pure-token', token: 'ALL' },
      ] },
    ],
  },
} satisfies Record<string, CommandDocs>;
