import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';
import { parseReply } from '../helpers/resp-tree';

/**
 * A plugin is Redix's module: COMMAND LIST FILTERBY MODULE names its commands, and commands whose
 * spec gives no ACL categories get those their flags imply, as Redis derives them.
 */
describe('plugin commands in COMMAND LIST and COMMAND INFO', () => {
  let server: RedixServer;
  let c: RawConnection;
  const list = async (...args: string[]) => {
    const node = parseReply(await c.command(['COMMAND', 'LIST', ...args]));
    return node.children!.map((n) => n.raw.toString('latin1').split('\r\n')[1]).sort();
  };
  const categories = async (name: string) => {
    const info = parseReply(await c.command(['COMMAND', 'INFO', name])).children![0];
    return info.children![6].children!.map((n) => n.raw.toString('latin1').slice(1, -2));
  };

  beforeAll(async () => {
    server = await startRedix({ plugins: [resolve(__dirname, '../fixtures/semaphore-plugin/index.ts'), resolve(__dirname, '../fixtures/greeter-plugin/index.ts')] });
    c = await RawConnection.connect(server.port);
  });
  afterAll(async () => {
    c.close();
    await server.shutdown();
  });

  it('FILTERBY MODULE lists a plugin\'s commands, and none for a name no plugin has', async () => {
    expect(await list('FILTERBY', 'MODULE', 'semaphore')).toEqual(['sem.acquire', 'sem.get', 'sem.init', 'sem.release', 'sem.tryacquire']);
    expect(await list('FILTERBY', 'MODULE', 'greeter')).toEqual(['greet']);
    expect(await list('FILTERBY', 'MODULE', 'no-such-plugin')).toEqual([]);
  });

  it('derives ACL categories from flags as Redis does (fast or slow, read, write, blocking)', async () => {
    expect(await categories('sem.get')).toEqual(['@read', '@fast']);
    expect(await categories('sem.release')).toEqual(['@write', '@fast']);
    expect(await categories('sem.acquire')).toEqual(['@write', '@slow', '@blocking']);
    expect(await categories('sem.init')).toEqual(['@write', '@slow']);
    expect(await list('FILTERBY', 'ACLCAT', 'blocking')).toContain('sem.acquire');
    // A spec's own aclCategories are kept as given (the built-ins carry Redis's).
    expect(await categories('get')).toEqual(['@read', '@string', '@fast']);
  });
});
