import { CORE_OPTIONS } from '../config/core-options';
import { camelCaseOf, ConfigValueError, parseOptionText, type ConfigOptionSpec } from '../config/option-types';
import { UserError } from '../kernel/errors';

export interface ParsedArgs {
  command: 'start' | 'help' | 'version';
  configPath?: string;
  /** Settings from flags, keyed like a config file (camelCase). */
  flags: Record<string, string>;
  /** Flags that are no core option: perhaps a plugin's, checked once plugins are loaded. */
  pluginFlags: string[];
}

function findSpec(name: string): ConfigOptionSpec | undefined {
  return CORE_OPTIONS.find((o) => o.name === name || (o.aliases ?? []).includes(name));
}

/**
 * `redix start [--option value ...] [--config file]`, where options are redis.conf directives.
 * As with redis-server, a value may span several words (`--replicaof 127.0.0.1 6379`), and
 * `--save ""` is an empty value.
 */
export function parseArgs(argv: string[]): ParsedArgs {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') return { command: 'help', flags: {}, pluginFlags: [] };
  if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') return { command: 'version', flags: {}, pluginFlags: [] };
  if (argv[0] !== 'start') throw new UserError(`unknown command "${argv[0]}" (try: redix start, redix create-plugin, redix --help)`);
  const flags: Record<string, string> = {};
  const pluginFlags: string[] = [];
  let configPath: string | undefined;
  let i = 1;
  while (i < argv.length) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { command: 'help', flags: {}, pluginFlags: [] };
    if (!arg.startsWith('--')) throw new UserError(`unexpected argument "${arg}" (options look like --port 6380)`);
    const name = arg.slice(2).toLowerCase();
    const words: string[] = [];
    i++;
    while (i < argv.length && !(argv[i].startsWith('--') && argv[i].length > 2)) words.push(argv[i++]);
    const value = words.join(' ');
    if (name === 'config') {
      if (value === '') throw new UserError('--config needs a file path');
      configPath = value;
      continue;
    }
    const spec = findSpec(name);
    if (spec === undefined) {
      // Not a core option: perhaps one a plugin defines; the server validates it after loading plugins.
      if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new UserError(`unknown option --${name} (see redix --help)`);
      flags[camelCaseOf(name)] = value;
      pluginFlags.push(name);
      continue;
    }
    if (words.length === 0 && spec.kind !== 'save' && spec.kind !== 'string' && spec.kind !== 'hostport') {
      throw new UserError(`--${name} needs a value`);
    }
    try {
      parseOptionText(spec, value);
    } catch (e) {
      if (e instanceof ConfigValueError) throw new UserError(`invalid value for --${name}: ${e.message} (got "${value}")`);
      throw e;
    }
    flags[camelCaseOf(spec.name)] = value;
  }
  return { command: 'start', configPath, flags, pluginFlags };
}

/** Settings from the environment (between the config file and flags in precedence). */
export function environmentSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  const map: [string, string][] = [['REDIX_PORT', 'port'], ['REDIX_CONNECTION_IDLE_TIMEOUT', 'timeout'], ['REDIX_LOG_LEVEL', 'loglevel']];
  for (const [variable, option] of map) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    try {
      parseOptionText(findSpec(option)!, value);
    } catch (e) {
      if (e instanceof ConfigValueError) throw new UserError(`invalid value for ${variable}: ${e.message} (got "${value}")`);
      throw e;
    }
    out[option] = value;
  }
  return out;
}
