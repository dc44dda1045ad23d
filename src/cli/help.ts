import { CORE_OPTIONS } from '../config/core-options';
import type { ConfigOptionSpec } from '../config/option-types';
import { REDIS_VERSION, REDIX_VERSION } from '../kernel/version';

/** Flags longer than this get their description on the next line. */
const FLAG_COLUMN = 42;

/** `<yes|no>`, `<int>`, or for a long list of values `<value>` (the values go in the description). */
function placeholder(o: ConfigOptionSpec): { arg: string; values: string } {
  if (o.kind === 'bool') return { arg: '<yes|no>', values: '' };
  if (o.kind === 'enum') {
    const list = o.values!.join('|');
    return list.length <= 30 ? { arg: `<${list}>`, values: '' } : { arg: '<value>', values: ` One of: ${o.values!.join(', ')}.` };
  }
  return { arg: `<${o.kind === 'hostport' ? 'host port' : o.kind}>`, values: '' };
}

/** Rows of `flag  description`, the descriptions aligned in one column. */
function formatRows(rows: [string, string][]): string {
  const width = Math.min(FLAG_COLUMN, Math.max(...rows.map(([flag]) => flag.length)));
  return rows.map(([flag, text]) => (flag.length <= width
    ? `  ${flag.padEnd(width)}  ${text}`
    : `  ${flag}\n  ${' '.repeat(width)}  ${text}`)).join('\n');
}

export function helpText(): string {
  const rows: [string, string][] = [['--config <file>', 'Config file to load instead of searching the working directory.']];
  for (const o of CORE_OPTIONS) {
    const { arg, values } = placeholder(o);
    const aliases = (o.aliases ?? []).length > 0 ? ` Also --${o.aliases!.join(', --')}.` : '';
    rows.push([`--${o.name} ${arg}`, `${o.description}${values}${aliases} [default: ${o.default === '' ? '""' : o.default}]`]);
  }
  return `Redix ${REDIX_VERSION}: a Redis ${REDIS_VERSION}-compatible server in TypeScript

Usage:
  redix start [--config <file>] [--<option> <value> ...]
  redix create-plugin <name> [--dir <folder>]   (a plugin folder with tests)
  redix --help
  redix --version

Options take redis.conf directive names. Precedence: flags > environment
(REDIX_PORT, REDIX_CONNECTION_IDLE_TIMEOUT, REDIX_LOG_LEVEL) > config file > defaults.
The config file is found in the working directory (redix.config.ts/.js/.mjs/.cjs/.json,
.redixrc*, package.json "redix") unless --config names one. Options that plugins define
are accepted as flags too.

${formatRows(rows)}

Examples:
  redix start --port 6380
  redix start --appendonly yes --appendfsync always --dir ./data
  redix start --port 6381 --replicaof "127.0.0.1 6380"
`;
}
