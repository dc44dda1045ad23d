import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load-config';
import { startServer, type RedixServer } from '../../src/index';
import { freePort } from '../helpers/free-port';
import { waitForPort } from '../helpers/redis-server';
import { runProcess } from '../helpers/run-process';
import { spawn } from 'node:child_process';

const fixture = resolve(__dirname, '../fixtures/greeter-plugin/index.ts');
const repoRoot = resolve(__dirname, '../..');

function writeConfig(dir: string, port: number): string {
  const file = join(dir, 'redix.config.json');
  writeFileSync(file, JSON.stringify({
    port, bind: '127.0.0.1', save: '', loglevel: 'warning',
    greeterGreeting: 'Howdy',
    plugins: [[fixture, { punctuation: '?!' }]],
  }));
  return file;
}

describe('a third-party plugin loaded through the config file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'redix-plugin-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds a working command, config option and INFO section (in process)', async () => {
    const { config, file } = await loadConfigFile(dir, writeConfig(dir, 0));
    const server: RedixServer = await startServer(config, { configFile: file, silent: true });
    const client = new Redis({ port: server.port, host: '127.0.0.1' });
    try {
      expect(await client.call('GREET', 'Ada')).toBe('Howdy, Ada?!');
      expect(await client.call('CONFIG', 'SET', 'greeter-greeting', 'Hi')).toBe('OK');
      expect(await client.call('GREET')).toBe('Hi, world?!');
      expect(await client.call('GET', 'greeter:count')).toBe('2');
      expect(await client.call('INFO', 'greeter')).toContain('greeter_loaded:1');
      const docs = (await client.call('COMMAND', 'DOCS', 'greet')) as unknown[];
      expect(docs[0]).toBe('greet');
    } finally {
      client.disconnect();
      await server.shutdown();
    }
  });

  it('works the same from the built CLI (TypeScript plugin compiled at load time)', async () => {
    const port = await freePort();
    const file = writeConfig(dir, port);
    const child = spawn(process.execPath, [join(repoRoot, 'dist/src/cli/main.js'), 'start', '--config', file], { cwd: dir, stdio: 'ignore' });
    try {
      await waitForPort(port, 15_000);
      const out = await runProcess('redis-cli', ['-p', String(port), 'GREET', 'Grace']);
      expect(out.stdout).toBe('Howdy, Grace?!\n');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
