import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RdbFileEncoder } from '../../src/api/persistence';
import { MasterStreamParser } from '../../plugins/replication/master-stream-parser';
import { encodeCommand } from '../../plugins/replication/stream-encoding';
import { hasRedisServer } from '../helpers/redis-server';
import {
  connect, datasetDifferences, dumpDataset, info, waitFor, waitInSync, replicationServers,
} from './replication-test-support';

/**
 * Redis 7.0 masters wrap transactions and the effects of scripts in MULTI ... EXEC in the stream.
 * A Redix replica applies such a block at once (no client read sees part of it), counts its offset
 * when EXEC arrives, as Redis's replica does, and re-streams the same bytes to its own replicas.
 */
describe.skipIf(!hasRedisServer)('MULTI/EXEC in the replication stream', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());
  const redix = servers.redix;
  const real = (args: string[] = []) => servers.real(args);

  it('a Redix replica of redis-server applies each transaction whole; its redis-server replica gets the same stream', async () => {
    const master = await real();
    const middle = await redix({ replicaof: `127.0.0.1 ${master.proc.port}` });
    const bottom = await real(['--replicaof', '127.0.0.1', String(middle.server.port)]);
    await waitInSync(master.client, middle.client);
    await waitInSync(middle.client, bottom.client);

    // Reads on the Redix replica while big transactions stream in: tx:first and tx:last always agree.
    const reader = connect(middle.server.port);
    servers.defer(() => reader.disconnect());
    let reading = true;
    const seen: string[] = [];
    const polls = (async () => {
      while (reading) {
        const [first, last] = await reader.mget('tx:first', 'tx:last');
        seen.push(`${first}/${last}`);
      }
    })();
    const filler = 'f'.repeat(1000);
    await waitFor(() => seen.length > 0, 10_000, 'the first read');
    // At least 6 rounds, more (bounded) until reads have landed between several of them.
    for (let round = 1; round <= 6 || (round <= 40 && new Set(seen).size < 4); round++) {
      const tx = master.client.multi();
      tx.set('tx:first', String(round));
      for (let i = 0; i < 1500; i++) tx.set(`tx:fill:${i}`, `${round}:${filler}`);
      tx.set('tx:last', String(round));
      await tx.exec();
    }
    // A script's writes reach the replica as MULTI ... EXEC too.
    await master.client.eval("redis.call('set', KEYS[1], ARGV[1]); redis.call('set', KEYS[2], ARGV[1])", 2, 'tx:first', 'tx:last', 'script');
    await waitInSync(master.client, middle.client);
    reading = false;
    await polls;
    expect(await middle.client.mget('tx:first', 'tx:last')).toEqual(['script', 'script']);
    const torn = seen.filter((s) => s.split('/')[0] !== s.split('/')[1]);
    expect(torn).toEqual([]);
    // Polls did land while the transactions streamed in (the check above could have failed).
    expect(new Set(seen).size).toBeGreaterThan(2);

    await waitInSync(middle.client, bottom.client);
    const [m, r, b] = await Promise.all([info(master.client, 'replication'), info(middle.client, 'replication'), info(bottom.client, 'replication')]);
    expect(r.master_repl_offset).toBe(m.master_repl_offset);
    expect(b.master_repl_offset).toBe(m.master_repl_offset);
    const [dm, dr, db] = await Promise.all([dumpDataset(master.client), dumpDataset(middle.client), dumpDataset(bottom.client)]);
    expect(datasetDifferences(dm, dr)).toEqual([]);
    expect(datasetDifferences(dm, db)).toEqual([]);
  });

  it('a transaction cut by a lost link is not applied, and the next PSYNC asks for it again from MULTI', async () => {
    const rdb = new RdbFileEncoder({ compression: true, checksum: true });
    rdb.writeHeader([['redis-ver', '7.0.15']], [], null);
    const payload = rdb.finish();
    const replid = 'b'.repeat(40);
    const psyncs: string[] = [];
    const sockets: net.Socket[] = [];
    // A scripted master: a full sync of an empty dataset, then a transaction it never finishes.
    const fake = net.createServer((socket) => {
      sockets.push(socket);
      const parser = new MasterStreamParser();
      socket.on('data', (chunk) => parser.feed(chunk, (argv) => {
        const [name, sub] = argv.map((a) => a.toString('latin1').toUpperCase());
        if (name === 'PING') socket.write('+PONG\r\n');
        else if (name === 'REPLCONF' && sub !== 'ACK') socket.write('+OK\r\n');
        else if (name === 'PSYNC') {
          psyncs.push(argv.map((a) => a.toString('latin1')).join(' '));
          onPsync(socket, psyncs.length);
        }
      }));
    });
    const stream = Buffer.concat([
      encodeCommand(['SELECT', '0']),
      encodeCommand(['SET', 'before', '1']),
    ]);
    const multi = Buffer.concat([encodeCommand(['MULTI']), encodeCommand(['SET', 'a', '1']), encodeCommand(['SET', 'b', '1'])]);
    const rest = Buffer.concat([encodeCommand(['SET', 'c', '1']), encodeCommand(['EXEC'])]);
    const onPsync = (socket: net.Socket, n: number) => {
      if (n === 1) {
        socket.write(`+FULLRESYNC ${replid} 100\r\n$${payload.length}\r\n`);
        socket.write(payload);
        socket.write(Buffer.concat([stream, multi]));
        // The link drops in the middle of the transaction.
        setTimeout(() => socket.destroy(), 300);
      } else {
        socket.write(`+CONTINUE ${replid}\r\n`);
        socket.write(Buffer.concat([multi, rest]));
      }
    };
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    servers.defer(() => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      fake.close(() => resolve());
    }));
    const port = (fake.address() as net.AddressInfo).port;
    const replica = await redix({ replicaof: `127.0.0.1 ${port}` });
    await waitFor(async () => (await replica.client.get('before')) === '1', 10_000, 'the stream before MULTI');
    // Half a transaction is held, not applied, and not counted in the offset.
    expect(await replica.client.mget('a', 'b')).toEqual([null, null]);
    expect((await info(replica.client, 'replication')).master_repl_offset).toBe(String(100 + stream.length));
    await waitFor(() => psyncs.length === 2, 10_000, 'the second PSYNC');
    expect(psyncs[1]).toBe(`PSYNC ${replid} ${100 + stream.length + 1}`);
    await waitFor(async () => (await replica.client.get('c')) === '1', 10_000, 'the transaction');
    expect(await replica.client.mget('a', 'b', 'c')).toEqual(['1', '1', '1']);
    expect((await info(replica.client, 'replication')).master_repl_offset).toBe(String(100 + stream.length + multi.length + rest.length));
  });
});
