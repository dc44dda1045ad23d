import { CORE_OPTIONS } from '../config/core-options';
import { REDIS_VERSION, REDIX_VERSION } from '../kernel/version';

export function helpText(): string {
  const options = CORE_OPTIONS.map((o) => {
    const flag = `  --${o.name} <${o.kind === 'bool' ? 'yes|no' : o.kind === 'enum' ? o.values!.join('|') : o.kind}>`;
    return `${flag.padEnd(52)} ${o.description} [default: ${o.default === '' ? '""' : o.default}]`;
  }).join('\n');
  return `Redix ${REDIX_VERSION}: a Redis ${REDIS_VERSION}-compatible server in TypeScript

Usage:
  redix start [--config <file>] [--<option> <value> ...]
  redix --help
  redix --version

Options take redis.conf directive names. Precedence: flags > environment
(REDIX_PORT, REDIX_CONNECTION_IDLE_TIMEOUT, REDIX_LOG_LEVEL) > config file > defaults.
The config file is found in the working directory (redix.config.ts/.js/.mjs/.cjs/.json,
.redixrc*, package.json "redix") unless --config names one.

  --config <file>                                      Config file to load instead of searching.
${options}

Examples:
  redix start --port 6380
  redix start --appendonly yes --appendfsync always --dir ./data
  redix start --port 6381 --replicaof "127.0.0.1 6380"
`;
}
