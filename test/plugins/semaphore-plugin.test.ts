import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type PropagatedArg, type RedixServer } from '../../src/index';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';

/**
 * The data-type plugin of README's guide (test/fixtures/semaphore-plugin), loaded through the
 * config as a third party's: its type, its blocking command on the kernel's blocking framework,
 * the key-modified signal for WATCH, DUMP/RESTORE, AOF rewrite and propagation.
 */
const fixture = resolve(__dirname, '../fixtures/semaphore-plugin/index.ts');

describe('a data-type plugin with a blocking command (README guide)', () => {
  let server: RedixServer;
  const published: string[] = [];
  const conns: RawConnection[] = [];
  const connect = async () => {
    const c = await RawConnection.connect(server.port);
    conns.push(c);
    return c;
  };
  const text = (b: Buffer) => b.toString('latin1');
  const blocked = async (n: number) => {
    for (let i = 0; i < 500 && server.kernel.blocking.blockedClients !== n; i++) await new Promise((r) => setTimeout(r, 2));
    expect(server.kernel.blocking.blockedClients).toBe(n);
  };

  beforeAll(async () => {
    server = await startServer({ port: 0, bind: '127.0.0.1', save: '', plugins: [fixture] }, { silent: true });
    server.keyspace.feed.subscribe((db, argv: readonly PropagatedArg[]) => published.push(argv.map(String).join(' ')));
  });
  afterAll(async () => {
    for (const c of conns) c.close();
    await server.shutdown();
  });

  it('serves blocked clients in the order they blocked, and propagates the non-blocking form', async () => {
    const [a, b, c, d] = [await connect(), await connect(), await connect(), await connect()];
    const cId = text(await c.command(['CLIENT', 'ID'])).slice(1, -2);
    expect(text(await d.command(['SEM.INIT', 's', '0']))).toBe('+OK\r\n');
    for (const x of [a, b, c]) {
      x.write(encodeCommand(['SEM.ACQUIRE', 's', '0']));
      // Blocked one at a time so the order is known.
      await blocked([a, b, c].indexOf(x) + 1);
    }
    published.length = 0;
    // Two permits in one command: the first two blocked are served, in order, before anything else runs.
    d.write(Buffer.concat([encodeCommand(['SEM.RELEASE', 's']), encodeCommand(['SEM.RELEASE', 's']), encodeCommand(['SEM.GET', 's'])]));
    expect((await d.readReplies(3)).map(text)).toEqual([':1\r\n', ':1\r\n', ':0\r\n']);
    expect(text((await a.readReplies(1))[0])).toBe(':0\r\n');
    expect(text((await b.readReplies(1))[0])).toBe(':0\r\n');
    expect(server.kernel.blocking.blockedClients).toBe(1);
    expect(published).toEqual(['SEM.RELEASE s', 'SEM.TRYACQUIRE s', 'SEM.RELEASE s', 'SEM.TRYACQUIRE s']);
    expect(text(await d.command(['CLIENT', 'UNBLOCK', cId, 'ERROR']))).toBe(':1\r\n');
    expect(text((await c.readReplies(1))[0])).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    expect(text(await d.command(['CLIENT', 'UNBLOCK', cId]))).toBe(':0\r\n');
  });

  it('times out with the timeout reply, keeps pipelined commands behind the block, and never blocks inside MULTI', async () => {
    const a = await connect();
    await a.command(['SEM.INIT', 't', '0']);
    const started = Date.now();
    a.write(Buffer.concat([encodeCommand(['SEM.ACQUIRE', 't', '0.05']), encodeCommand(['PING'])]));
    expect((await a.readReplies(2)).map(text)).toEqual(['$-1\r\n', '+PONG\r\n']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    a.write(Buffer.concat(['MULTI', 'SEM.ACQUIRE t 0', 'EXEC'].map((l) => encodeCommand(l.split(' ')))));
    expect((await a.readReplies(3)).map(text)).toEqual(['+OK\r\n', '+QUEUED\r\n', '*1\r\n$-1\r\n']);
    expect(text(await a.command(['SEM.ACQUIRE', 't', '-1']))).toBe('-ERR timeout is negative\r\n');
    expect(text(await a.command(['SEM.ACQUIRE', 't', 'soon']))).toBe('-ERR timeout is not a float or out of range\r\n');
    expect(server.kernel.blocking.blockedClients).toBe(0);
  });

  it('a client that disconnects while blocked is forgotten', async () => {
    const a = await connect();
    const b = await connect();
    await b.command(['SEM.INIT', 'u', '0']);
    a.write(encodeCommand(['SEM.ACQUIRE', 'u', '0']));
    await blocked(1);
    a.close();
    await blocked(0);
    expect(text(await b.command(['SEM.RELEASE', 'u']))).toBe(':1\r\n');
    expect(text(await b.command(['SEM.GET', 'u']))).toBe(':1\r\n');
  });

  it('an in-place change (markDirty) fails a WATCHing client\'s EXEC', async () => {
    const a = await connect();
    const b = await connect();
    await a.command(['SEM.INIT', 'w', '1']);
    await a.command(['WATCH', 'w']);
    await b.command(['SEM.RELEASE', 'w']);
    a.write(Buffer.concat([encodeCommand(['MULTI']), encodeCommand(['SEM.GET', 'w']), encodeCommand(['EXEC'])]));
    expect((await a.readReplies(3)).map(text)).toEqual(['+OK\r\n', '+QUEUED\r\n', '*-1\r\n']);
  });

  it('round-trips through DUMP/RESTORE and is rewritten into the AOF by its own command', async () => {
    const a = await connect();
    await a.command(['SEM.INIT', 'd', '7']);
    const dump = await a.command(['DUMP', 'd']);
    const payload = dump.subarray(dump.indexOf('\r\n') + 2, dump.length - 2);
    expect(text(await a.command(['RESTORE', 'd2', '0', payload]))).toBe('+OK\r\n');
    expect(text(await a.command(['SEM.GET', 'd2']))).toBe(':7\r\n');
    expect(text(await a.command(['TYPE', 'd2']))).toBe('+semaphore\r\n');
    const emitted: string[] = [];
    server.dataTypes.get('semaphore')!.rewrite('d2', server.keyspace.databases[0].peek('d2')!, (argv) => emitted.push(argv.join(' ')));
    expect(emitted).toEqual(['SEM.INIT d2 7']);
  });

  it('is the code README shows', () => {
    const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(readFileSync(fixture, 'utf8'));
  });
});
