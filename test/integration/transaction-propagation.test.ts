import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasRedisServer } from '../helpers/redis-server';
import { compareScenario } from '../helpers/scenario';
import {
  connect, datasetDifferences, dumpDataset, makeTempDir, removeDir, replicationServers, waitInSync,
} from './replication-test-support';

/**
 * A transaction reaches the AOF and the replicas as one MULTI ... EXEC block of the commands that
 * wrote (one write alone, nothing for a read-only one), as Redis 7.0 propagates it; real replicas in
 * both directions end with the same data. And WAIT on the blocking framework, against redis-server.
 */
describe.skipIf(!hasRedisServer)('transaction propagation', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());

  /** The commands of the AOF's incremental file, one line each ("set a 1"). */
  function aofCommands(dir: string): string[] {
    const aofDir = join(dir, 'appendonlydir');
    const file = readdirSync(aofDir).find((f) => f.endsWith('.incr.aof'))!;
    const text = readFileSync(join(aofDir, file), 'latin1');
    const lines = text.split('\r\n');
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith('*')) continue;
      const n = Number(lines[i].slice(1));
      const args: string[] = [];
      for (let j = 0; j < n; j++) args.push(lines[i + 2 + j * 2]);
      out.push(args.join(' ').toLowerCase());
      i += n * 2;
    }
    return out;
  }

  it('the AOF gets MULTI ... EXEC around a transaction\'s writes only, one write alone, nothing for reads', async () => {
    const dir = makeTempDir('redix-tx-aof-');
    servers.defer(() => removeDir(dir));
    const { client } = await servers.redix({ appendonly: 'yes', appendfsync: 'always', dir });
    await client.multi().set('a', '1').incr('a').get('a').exec();
    await client.multi().set('b', '1').get('b').exec();
    await client.multi().get('a').get('b').exec();
    await client.multi().exec();
    await client.multi().select(2).set('c', 'x').select(0).exec();
    await client.multi().set('d', '1').hset('d', 'f', 'v').set('e', '2').exec();
    expect(aofCommands(dir).filter((c) => !c.startsWith('select'))).toEqual([
      'multi', 'set a 1', 'incr a', 'exec',
      'set b 1',
      'set c x',
      'multi', 'set d 1', 'set e 2', 'exec',
    ]);
    // The SET inside the transaction that used SELECT went to database 2.
    expect(await client.select(2).then(() => client.get('c'))).toBe('x');
  });

  it('a redis-server replica of Redix and a Redix replica of redis-server end identical under transactions', async () => {
    const master = await servers.redix();
    const realReplica = await servers.real(['--replicaof', '127.0.0.1', String(master.server.port)]);
    const realMaster = await servers.real();
    const redixReplica = await servers.redix({ replicaof: `127.0.0.1 ${realMaster.proc.port}` });
    await waitInSync(master.client, realReplica.client);
    await waitInSync(realMaster.client, redixReplica.client);
    for (const source of [master.client, realMaster.client]) {
      for (let i = 0; i < 50; i++) {
        const tx = source.multi().incr('counter').set(`k:${i}`, String(i)).hset('h', `f${i}`, String(i));
        if (i % 5 === 0) tx.del(`k:${i - 1}`).expire('counter', 1000);
        if (i % 7 === 0) tx.select(3).set(`db3:${i}`, 'x').select(0);
        await tx.exec();
      }
      // A watched transaction that fails propagates nothing.
      const watcher = connect(source === master.client ? master.server.port : realMaster.proc.port);
      servers.defer(() => watcher.disconnect());
      await watcher.watch('counter');
      await source.incr('counter');
      expect(await watcher.multi().set('never', '1').exec()).toBeNull();
    }
    await waitInSync(master.client, realReplica.client);
    await waitInSync(realMaster.client, redixReplica.client);
    expect(datasetDifferences(await dumpDataset(master.client), await dumpDataset(realReplica.client))).toEqual([]);
    expect(datasetDifferences(await dumpDataset(realMaster.client), await dumpDataset(redixReplica.client))).toEqual([]);
    expect(await realReplica.client.exists('never')).toBe(0);
  });

  it('WAIT blocks on the blocking framework: its timeout, CLIENT UNBLOCK TIMEOUT and ERROR, inside MULTI', async () => {
    const redix = await servers.redix();
    const real = await servers.real();
    const { redis: a, redix: b } = await compareScenario({ redis: real.proc.port, redix: redix.server.port }, async (s) => {
      await s.call(1, 'SET', 'k', 'v');
      await s.call(1, 'WAIT', '0', '0');
      await s.call(1, 'WAIT', '1', '50');
      await s.call(1, 'WAIT', '1', '-1');
      await s.call(1, 'WAIT', '1', 'x');
      const conn = await s.connection(1);
      const id = (await conn.command(['CLIENT', 'ID'])).toString().slice(1, -2);
      s.send(1, 'WAIT', '1', '0');
      await s.waitBlocked(1);
      await s.call(2, 'CLIENT', 'UNBLOCK', id);
      await s.reply(1);
      s.send(1, 'WAIT', '1', '0');
      s.send(1, 'PING');
      await s.waitBlocked(1);
      await s.call(2, 'CLIENT', 'UNBLOCK', id, 'ERROR');
      await s.reply(1);
      await s.reply(1);
      await s.call(2, 'CLIENT', 'UNBLOCK', id);
      await s.call(1, 'MULTI');
      await s.call(1, 'WAIT', '1', '0');
      await s.call(1, 'EXEC');
    });
    expect(b).toEqual(a);
  });
});
