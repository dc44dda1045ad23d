import type { CommandDocs } from '../command-spec';

/**
 * Key specs, tips, history and argument trees of the CONNECTION commands, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const CONNECTION_DOCS = {
  auth: {
    history: [
      ['6.0.0', 'Added ACL style (username and password).'],
    ],
    arguments: [
      { name: 'username', type: 'string', since: '6.0.0', optional: true },
      { name: 'password', type: 'string' },
    ],
  },
  echo: {
    arguments: [
      { name: 'message', type: 'string' },
    ],
  },
  hello: {
    history: [
      ['6.2.0', '`protover` made optional; when called without arguments the command reports the current connection\'s context.'],
    ],
    arguments: [
      { name: 'arguments', type: 'block', optional: true, arguments: [
        { name: 'protover', type: 'integer' },
        { name: 'username_password', type: 'block', token: 'AUTH', optional: true, arguments: [
          { name: 'username', type: 'string' },
          { name: 'password', type: 'string' },
        ] },
        { name: 'clientname', type: 'string', token: 'SETNAME', optional: true },
      ] },
    ],
  },
  ping: {
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    arguments: [
      { name: 'message', type: 'string', optional: true },
    ],
  },
  select: {
    arguments: [
      { name: 'index', type: 'integer' },
    ],
  },
} satisfies Record<string, CommandDocs>;
