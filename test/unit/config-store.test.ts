import { describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src/config/config-store';
import { CORE_OPTIONS } from '../../src/config/core-options';
import { KeyspaceNotifier, NOTIFY } from '../../src/kernel/notifications';

describe('ConfigStore', () => {
  it('starts from Redis 7.0 defaults in redis.conf text form', () => {
    const config = new ConfigStore(CORE_OPTIONS);
    expect(config.getText('save')).toBe('3600 1 300 100 60 10000');
    expect(config.getText('appendonly')).toBe('no');
    expect(config.getText('repl-backlog-size')).toBe('1048576');
    expect(config.getText('client-output-buffer-limit')).toBe('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
  });

  it('accepts typed values from files and text from flags, and refuses bad ones', () => {
    const config = new ConfigStore(CORE_OPTIONS);
    config.apply('appendonly', true);
    config.apply('repl-backlog-size', '2mb');
    config.apply('save', [[900, 1], [300, 10]]);
    config.apply('replicaof', '127.0.0.1 6380');
    expect(config.getText('appendonly')).toBe('yes');
    expect(config.get<number>('repl-backlog-size')).toBe(2 * 1024 * 1024);
    expect(config.getText('save')).toBe('900 1 300 10');
    expect(config.getText('replicaof')).toBe('127.0.0.1 6380');
    expect(() => config.apply('port', 'abc')).toThrow("argument couldn't be parsed into an integer");
    expect(() => config.apply('port', 70000)).toThrow('argument must be between 0 and 65535 inclusive');
    expect(() => config.apply('appendfsync', 'sometimes')).toThrow('argument(s) must be one of the following: everysec, always, no');
    expect(() => config.apply('save', '100')).toThrow('Invalid save parameters');
    expect(() => config.apply('nosuch', 1)).toThrow('unknown option');
  });

  it('matches CONFIG GET globs on names and aliases, and notifies listeners of CONFIG SET', () => {
    const config = new ConfigStore(CORE_OPTIONS);
    expect(config.match('hash-max-*').map(([n]) => n).sort()).toEqual([
      'hash-max-listpack-entries', 'hash-max-listpack-value', 'hash-max-ziplist-entries', 'hash-max-ziplist-value',
    ]);
    const seen: unknown[] = [];
    config.onChange('hz', (v) => seen.push(v));
    config.setAtRuntime('hz', '20');
    expect(seen).toEqual([20]);
    expect(() => config.setAtRuntime('databases', '4')).toThrow("can't set immutable config");
  });
});

describe('notify-keyspace-events', () => {
  it('shows Redis\'s text ("n" hidden after "A") but keeps every flag on', () => {
    const config = new ConfigStore(CORE_OPTIONS);
    const notifier = new KeyspaceNotifier(config);
    config.setAtRuntime('notify-keyspace-events', 'KEAmn');
    expect(config.getText('notify-keyspace-events')).toBe('AKEm');
    expect(notifier.enabled(NOTIFY.NEW)).toBe(true);
    expect(notifier.enabled(NOTIFY.KEY_MISS)).toBe(true);
    config.setAtRuntime('notify-keyspace-events', 'nE$');
    expect(config.getText('notify-keyspace-events')).toBe('$nE');
    expect(notifier.enabled(NOTIFY.NEW) && notifier.enabled(NOTIFY.STRING) && !notifier.enabled(NOTIFY.HASH)).toBe(true);
  });
});
