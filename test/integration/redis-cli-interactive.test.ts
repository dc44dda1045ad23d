import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { hasRedisCli } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { runProcess } from '../helpers/run-process';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/**
 * redis-cli's interactive mode in a real terminal (tmux): it fetches COMMAND DOCS at start and
 * shows the argument hint while the user types, as it does against Redis 7.
 */
describe.skipIf(!hasRedisCli || !hasTmux)('redis-cli interactive mode', () => {
  let server: RedixServer;
  const session = `redix-cli-${process.pid}`;
  const tmux = (...args: string[]) => runProcess('tmux', args);
  const screen = async () => (await tmux('capture-pane', '-t', session, '-p')).stdout;

  async function waitFor(text: string): Promise<string> {
    const deadline = Date.now() + 10_000;
    let last = '';
    while (Date.now() < deadline) {
      last = await screen();
      if (last.includes(text)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`"${text}" never appeared; screen was:\n${last}`);
  }

  beforeAll(async () => {
    server = await startRedix();
    await tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '20', `redis-cli -p ${server.port}`);
    await waitFor(`127.0.0.1:${server.port}>`);
  });
  afterAll(async () => {
    await tmux('kill-session', '-t', session);
    await server?.shutdown();
  });

  it('shows command hints generated from the specs', async () => {
    await tmux('send-keys', '-t', session, 'SET mykey ');
    expect(await waitFor('SET mykey value')).toContain('SET mykey value [NX|XX] [GET]');
    await tmux('send-keys', '-t', session, 'C-u', 'CONFIG GET ');
    expect(await waitFor('parameter')).toContain('CONFIG GET parameter [parameter ...]');
  });

  it('runs commands and prints replies as against Redis', async () => {
    await tmux('send-keys', '-t', session, 'C-u', 'SET greeting "hello there"', 'Enter');
    await tmux('send-keys', '-t', session, 'GET greeting', 'Enter');
    expect(await waitFor('"hello there"')).toContain('"hello there"');
  });
});
