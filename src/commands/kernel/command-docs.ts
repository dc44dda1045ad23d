import type { CommandDocs } from '../command-spec';

/**
 * Key specs, tips, history and argument trees of the COMMAND command, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const COMMAND_DOCS = {
  command: {
    tips: ['nondeterministic_output_order'],
  },
  'command|docs': {
    tips: ['nondeterministic_output_order'],
    arguments: [
      { name: 'command-name', type: 'string', optional: true, multiple: true },
    ],
  },
  'command|info': {
    tips: ['nondeterministic_output_order'],
    history: [
      ['7.0.0', 'Allowed to be called with no argument to get info on all commands.'],
    ],
    arguments: [
      { name: 'command-name', type: 'string', optional: true, multiple: true },
    ],
  },
  'command|list': {
    tips: ['nondeterministic_output_order'],
    arguments: [
      { name: 'filterby', type: 'oneof', token: 'FILTERBY', optional: true, arguments: [
        { name: 'module-name', type: 'string', token: 'MODULE' },
        { name: 'category', type: 'string', token: 'ACLCAT' },
        { name: 'pattern', type: 'pattern', token: 'PATTERN' },
      ] },
    ],
  },
} satisfies Record<string, CommandDocs>;
