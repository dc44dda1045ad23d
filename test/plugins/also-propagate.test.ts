import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type PropagatedArg, type RedixServer } from '../../src/index';
import { RawConnection } from '../helpers/raw-connection';

/** CommandContext.alsoPropagate: extra commands published with a command's own, as Redis's alsoPropagate. */
const fixture = resolve(__dirname, '../fixtures/also-propagate-plugin/index.ts');

describe('alsoPropagate', () => {
  let server: RedixServer;
  let conn: RawConnection;
  let published: string[] = [];

  beforeAll(async () => {
    server = await startServer({ port: 0, bind: '127.0.0.1', save: '', plugins: [fixture] }, { silent: true });
    server.keyspace.feed.subscribe((_db, argv: readonly PropagatedArg[]) => published.push(argv.map(String).join(' ')));
    conn = await RawConnection.connect(server.port);
  });
  afterAll(async () => {
    conn.close();
    await server.shutdown();
  });
  beforeEach(() => {
    published = [];
  });

  it('publishes a command alone when it adds nothing', async () => {
    await conn.command(['ALSO.TOUCH', 'k']);
    expect(published).toEqual(['ALSO.TOUCH k']);
  });

  it('wraps the command and its extras in MULTI/EXEC', async () => {
    await conn.command(['ALSO.TOUCH', 'k', 'a', 'b']);
    expect(published).toEqual(['MULTI', 'ALSO.TOUCH k a b', 'ALSO.NOTE a', 'ALSO.NOTE b', 'EXEC']);
  });

  it('publishes the extras of a command that prevented its own propagation', async () => {
    await conn.command(['ALSO.ONLY', 'k', 'a']);
    expect(published).toEqual(['ALSO.NOTE a']);
    published = [];
    await conn.command(['ALSO.ONLY', 'k']);
    expect(published).toEqual([]);
  });

  it('keeps one MULTI/EXEC around a transaction', async () => {
    await conn.command(['MULTI']);
    await conn.command(['ALSO.ONLY', 'k', 'a']);
    await conn.command(['ALSO.TOUCH', 'k', 'b']);
    await conn.command(['EXEC']);
    expect(published).toEqual(['MULTI', 'ALSO.NOTE a', 'ALSO.TOUCH k b', 'ALSO.NOTE b', 'EXEC']);
  });
});
