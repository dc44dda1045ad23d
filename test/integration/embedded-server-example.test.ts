import { resolve } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RedixServer } from 'redix-server';

let server: RedixServer;
beforeAll(async () => {
  // port 0: a free port, read back as server.port. Plugins go in the config object, as in a config file.
  const plugin = resolve(__dirname, '../fixtures/greeter-plugin/index.ts');
  server = await startServer({ port: 0, bind: '127.0.0.1', save: '', plugins: [plugin] }, { silent: true });
});
afterAll(() => server.shutdown()); // closes clients and listeners; resolves once stopped

it('serves any client, with the plugin loaded', async () => {
  const redis = new Redis(server.port);
  await redis.set('k', 'v');
  expect(await redis.get('k')).toBe('v');
  expect(await redis.call('GREET', 'tests')).toBe('Hello, tests!');
  redis.disconnect();
});

it('is the code README shows', async () => {
  const { readFileSync } = await import('node:fs');
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const self = readFileSync(__filename, 'utf8');
  expect(readme).toContain(self.slice(0, self.indexOf("\nit('is the code README shows'")));
});
