import { describe, expect, it } from 'vitest';
import { helpText } from '../../src/cli/help';
import { environmentSettings, parseArgs } from '../../src/cli/parse-args';
import { CORE_OPTIONS } from '../../src/config/core-options';
import { camelCaseOf } from '../../src/config/option-types';
import { UserError } from '../../src/kernel/errors';

describe('redix start flags', () => {
  it('accepts every core option, and every alias, by its redis.conf name with its default value', () => {
    for (const o of CORE_OPTIONS) {
      for (const name of [o.name, ...(o.aliases ?? [])]) {
        const parsed = parseArgs(['start', `--${name}`, ...(o.default === '' ? [] : o.default.split(' '))]);
        expect(parsed.flags, `--${name}`).toEqual({ [camelCaseOf(o.name)]: o.default });
        expect(parsed.pluginFlags).toEqual([]);
      }
    }
  });

  it('takes values of several words and empty values as redis-server does', () => {
    expect(parseArgs(['start', '--replicaof', '127.0.0.1', '6380', '--save', '', '--port', '7000']).flags)
      .toEqual({ replicaof: '127.0.0.1 6380', save: '', port: '7000' });
    expect(parseArgs(['start', '--config', 'x.json', '--port', '1']).configPath).toBe('x.json');
  });

  const refused: [string[], string][] = [
    [['start', '--port', 'abc'], 'invalid value for --port: argument couldn\'t be parsed into an integer (got "abc")'],
    [['start', '--port', '70000'], 'invalid value for --port: argument must be between 0 and 65535 inclusive (got "70000")'],
    [['start', '--appendonly'], '--appendonly needs a value'],
    [['start', '--appendfsync', 'sometimes'], 'invalid value for --appendfsync: argument(s) must be one of the following: everysec, always, no (got "sometimes")'],
    [['start', '--config'], '--config needs a file path'],
    [['start', 'port', '1'], 'unexpected argument "port" (options look like --port 6380)'],
    [['start', '--Bad_Name', '1'], 'unknown option --bad_name (see redix --help)'],
    [['stop'], 'unknown command "stop" (try: redix start, redix create-plugin, redix --help)'],
  ];
  for (const [argv, message] of refused) {
    it(`refuses ${argv.join(' ')} with one line naming it`, () => {
      expect(() => parseArgs(argv)).toThrow(new UserError(message));
    });
  }

  it('leaves other names to the plugins (checked once they are loaded)', () => {
    const parsed = parseArgs(['start', '--greeter-greeting', 'Hi', '--port', '0']);
    expect(parsed.flags).toEqual({ greeterGreeting: 'Hi', port: '0' });
    expect(parsed.pluginFlags).toEqual(['greeter-greeting']);
  });

  it('reads REDIX_PORT, REDIX_CONNECTION_IDLE_TIMEOUT and REDIX_LOG_LEVEL, validated', () => {
    expect(environmentSettings({ REDIX_PORT: '7001', REDIX_CONNECTION_IDLE_TIMEOUT: '30', REDIX_LOG_LEVEL: 'debug', OTHER: 'x' }))
      .toEqual({ port: '7001', timeout: '30', loglevel: 'debug' });
    expect(environmentSettings({ REDIX_PORT: '' })).toEqual({});
    expect(() => environmentSettings({ REDIX_LOG_LEVEL: 'loud' })).toThrow(/^invalid value for REDIX_LOG_LEVEL: argument\(s\) must be one of the following/);
  });
});

describe('redix --help', () => {
  const lines = helpText().split('\n');

  it('lists --config and every core option with its default', () => {
    const text = helpText();
    expect(text).toContain('  --config <file>');
    for (const o of CORE_OPTIONS) expect(text, o.name).toMatch(new RegExp(`\\n  --${o.name} <[^\\n]*(\\n +)?[^\\n]*\\[default: `));
  });

  it('aligns every description in one column', () => {
    // A flag row is "  --flag <arg>  Description"; a long flag has its description on the next line.
    const starts = new Set<number>();
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith('  --')) continue;
      const m = /^( {2}--\S+(?: <[^>]+>)?)( {2,})\S/.exec(lines[i]);
      if (m !== null) starts.add(m[1].length + m[2].length);
      else starts.add(/^ +/.exec(lines[i + 1])![0].length);
    }
    expect([...starts]).toHaveLength(1);
  });
});
