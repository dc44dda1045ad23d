import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load-config';
import { startServer } from '../../src/index';
import { memoryLog } from '../fixtures/memory-log-provider/index';

const FIXTURE = resolve(__dirname, '../fixtures/memory-log-provider/index.ts');

/** The persistence provider is a public plugin interface: a config file swaps AOF for another. */
describe('swappable persistence provider', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function startFromConfigFile(dir: string) {
    const { config, file } = await loadConfigFile(dir);
    const server = await startServer(config, { configFile: file, silent: true });
    const client = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true });
    await client.connect();
    const stop = async () => {
      client.disconnect();
      await server.shutdown();
    };
    cleanups.push(stop);
    return { server, client, stop };
  }

  it('persistence: ["memory-log"] in a config file replaces AOF, which then writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redix-provider-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'redix.config.json'), JSON.stringify({
      port: 0, bind: '127.0.0.1', save: '', dir, appendonly: 'yes',
      plugins: [[FIXTURE, { name: 'provider-test' }]],
      persistence: ['memory-log'],
    }));

    const first = await startFromConfigFile(dir);
    await first.client.set('k', 'v');
    await first.client.hset('h', 'f', '1');
    await first.client.select(4);
    await first.client.incr('counter');
    await first.client.incr('counter');
    await expect(first.client.bgrewriteaof()).rejects.toThrow("ERR AOF is not available: the 'aof' persistence provider is not selected in this server's config");
    expect(await first.client.info('persistence')).toContain('aof_enabled:0');
    await first.stop();
    expect(memoryLog('provider-test').length).toBe(4);
    expect(existsSync(join(dir, 'appendonlydir'))).toBe(false);

    const second = await startFromConfigFile(dir);
    expect(await second.client.get('k')).toBe('v');
    expect(await second.client.hget('h', 'f')).toBe('1');
    await second.client.select(4);
    expect(await second.client.get('counter')).toBe('2');
    expect(await second.client.info('memorylog')).toContain('memorylog_loaded:4');
    expect(existsSync(join(dir, 'appendonlydir'))).toBe(false);
  });
});
