import type { CommandDocs } from '../command-spec';

/**
 * Key specs, tips, history and argument trees of the CONFIG command, as Redis 7.0 describes
 * them in COMMAND INFO and COMMAND DOCS. Spread into each command's `@Command` spec.
 */
export const CONFIG_DOCS = {
  'config|get': {
    history: [
      ['7.0.0', 'Added the ability to pass multiple pattern parameters in one call'],
    ],
    arguments: [
      { name: 'parameter', type: 'block', multiple: true, arguments: [
        { name: 'parameter', type: 'string' },
      ] },
    ],
  },
  'config|set': {
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    history: [
      ['7.0.0', 'Added the ability to set multiple parameters in one call.'],
    ],
    arguments: [
      { name: 'parameter_value', type: 'block', multiple: true, arguments: [
        { name: 'parameter', type: 'string' },
        { name: 'value', type: 'string' },
      ] },
    ],
  },
} satisfies Record<string, CommandDocs>;
