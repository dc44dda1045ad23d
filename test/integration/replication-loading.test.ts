import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCommand, RawConnection } from '../helpers/raw-connection';
import { hasRedisServer } from '../helpers/redis-server';
import {
  connect, datasetDifferences, dumpDataset, fill, info, makeTempDir, removeDir, startWriter, waitFor, waitInSync, replicationServers,
} from './replication-test-support';

const LOADING = '-LOADING Redis is loading the dataset in memory\r\n';

/**
 * A replica loads a full sync's RDB in slices, as Redis's answers while it loads: clients get
 * -LOADING, INFO says loading:1 with the loading_* fields, and the stream that follows the RDB is
 * applied once it is loaded.
 */
describe.skipIf(!hasRedisServer)('loading a full sync without holding the event loop', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());
  const redix = servers.redix;
  const real = (args: string[] = []) => servers.real(args);

  /** GET and INFO persistence in one write, repeated until INFO says loading:1 (both ran while loading). */
  async function probeWhileLoading(port: number): Promise<{ get: string; info: string; probes: number }> {
    let seen = { get: '', info: '', probes: 0 };
    await waitFor(async () => {
      const conn = await RawConnection.connect(port);
      try {
        conn.write(Buffer.concat([encodeCommand(['GET', 'bulk:1']), encodeCommand(['INFO', 'persistence'])]));
        const [get, text] = await conn.readReplies(2);
        seen = { get: get.toString('latin1'), info: text.toString('latin1'), probes: seen.probes + 1 };
      } finally {
        conn.close();
      }
      return seen.info.includes('loading:1\r\n');
    }, 30_000, 'loading:1');
    return seen;
  }

  const names = (text: string) => text.split('\r\n').filter((l) => l.includes(':') && !l.startsWith('$')).map((l) => l.slice(0, l.indexOf(':')));

  it('clients get -LOADING and INFO has the loading_* fields redis-server shows; the data then matches', async () => {
    // The reference: a real replica loading a sync slowed down by key-load-delay (µs per key).
    const smallMaster = await real();
    await fill(smallMaster.client, 'bulk', 20_000);
    // Redis answers clients between loading-process-events-interval-bytes of RDB (2 MB by default).
    const realReplica = await real(['--key-load-delay', '100', '--loading-process-events-interval-bytes', '1024', '--replicaof', '127.0.0.1', String(smallMaster.proc.port)]);
    const expected = await probeWhileLoading(realReplica.proc.port);
    expect(expected.get).toBe(LOADING);

    const master = await real();
    await fill(master.client, 'bulk', 150_000);
    const replica = await redix({ replicaof: `127.0.0.1 ${master.proc.port}` });
    const writer = startWriter(connect(master.proc.port), 'during');
    const ours = await probeWhileLoading(replica.server.port);
    expect(ours.get).toBe(LOADING);
    expect(names(ours.info)).toEqual(names(expected.info));
    const loaded = Number(/loading_loaded_bytes:(\d+)/.exec(ours.info)![1]);
    const total = Number(/loading_total_bytes:(\d+)/.exec(ours.info)![1]);
    expect(total).toBeGreaterThan(500_000);
    expect(loaded).toBeLessThanOrEqual(total);
    // Commands flagged `loading` are served meanwhile.
    await waitFor(async () => (await info(replica.client, 'replication')).master_link_status === 'up', 30_000, 'the link');
    expect((await info(replica.client, 'persistence')).loading).toBe('0');
    await writer.stop();
    await waitInSync(master.client, replica.client);
    const [dm, dr] = await Promise.all([dumpDataset(master.client), dumpDataset(replica.client)]);
    expect(datasetDifferences(dm, dr)).toEqual([]);
    expect(dr.size).toBeGreaterThan(150_000);
  });

  it('a link lost while the RDB loads: no PSYNC until the load completes, then it continues from it', async () => {
    // Enough keys that the load goes on long after the link is lost, far longer than the replica's
    // first retry delay (250 ms): a replica that reconnected meanwhile would send its PSYNC while
    // still loading, and with nothing cached yet that PSYNC (? -1) is a second full sync.
    const master = await real(['--enable-debug-command', 'yes']);
    expect(await master.client.call('DEBUG', 'POPULATE', '1500000', 'bulk', '32')).toBe('OK');
    const replica = await redix({ replicaof: `127.0.0.1 ${master.proc.port}` });
    await probeWhileLoading(replica.server.port);
    expect(await master.client.call('CLIENT', 'KILL', 'TYPE', 'replica')).toBe(1);
    const killedAt = Date.now();
    // The link was lost while loading (not after): the load alone makes the next PSYNC partial.
    expect(replica.server.loading).toBe(true);

    // While the replica still loads, the master sees no replica and no second sync. The master is
    // sampled first: a replica still loading afterwards was loading when the sample was taken.
    const probe = await RawConnection.connect(replica.server.port);
    servers.defer(() => probe.close());
    const whileLoading: Record<string, string>[] = [];
    let lastLoadingAt = 0;
    for (;;) {
      const [stats, replication] = await Promise.all([info(master.client, 'stats'), info(master.client, 'replication')]);
      const persistence = (await probe.command(['INFO', 'persistence'])).toString('latin1');
      if (!persistence.includes('loading:1\r\n')) break;
      lastLoadingAt = Date.now();
      whileLoading.push({
        sync_full: stats.sync_full, sync_partial_ok: stats.sync_partial_ok, sync_partial_err: stats.sync_partial_err,
        connected_slaves: replication.connected_slaves,
      });
      if (lastLoadingAt - killedAt > 30_000) throw new Error('the replica still loads 30 s after the kill');
      await new Promise((r) => setTimeout(r, 50));
    }
    // The premise: the load outlasted twice the retry delay (else the test could not tell).
    expect(lastLoadingAt - killedAt).toBeGreaterThan(500);
    expect(whileLoading.length).toBeGreaterThan(5);
    const quiet = { sync_full: '1', sync_partial_ok: '0', sync_partial_err: '0', connected_slaves: '0' };
    expect(whileLoading.filter((s) => JSON.stringify(s) !== JSON.stringify(quiet))).toEqual([]);

    // Then one PSYNC, which continues from the loaded RDB: no second full sync.
    await master.client.set('after-the-kill', '1');
    await waitInSync(master.client, replica.client);
    const stats = await info(master.client, 'stats');
    expect({ full: stats.sync_full, ok: stats.sync_partial_ok, err: stats.sync_partial_err }).toEqual({ full: '1', ok: '1', err: '0' });
    expect((await info(master.client, 'replication')).connected_slaves).toBe('1');
    expect(await replica.client.get('after-the-kill')).toBe('1');
    expect(await replica.client.dbsize()).toBe(1_500_001);
    expect(await master.client.dbsize()).toBe(1_500_001);
    const sample = ['bulk:0', 'bulk:1', 'bulk:749999', 'bulk:1499999'];
    expect(await replica.client.mgetBuffer(...sample)).toEqual(await master.client.mgetBuffer(...sample));
  });

  it("a Redix master keeps a replica that sends newlines while it loads, and drops a silent one (repl-timeout)", async () => {
    const master = await redix({ replTimeout: 1 });
    await fill(master.client, 'k', 100);
    // Two replicas that take the streamed RDB and never ACK it, as if loading it for long.
    const replicas = await Promise.all([0, 1].map(async () => {
      const conn = await RawConnection.connect(master.server.port);
      expect((await conn.command(['REPLCONF', 'capa', 'eof', 'capa', 'psync2'])).toString()).toBe('+OK\r\n');
      conn.write(encodeCommand(['PSYNC', '?', '-1']));
      await waitFor(() => /\$EOF:([0-9a-f]{40})\r\n[^]*\1/.test(conn.pending.toString('latin1')), 10_000, 'the streamed RDB');
      return conn;
    }));
    servers.defer(() => replicas.forEach((c) => c.close()));
    const [loading, silent] = replicas;
    const keepalive = setInterval(() => loading.write('\n'), 200);
    servers.defer(() => clearInterval(keepalive));
    await silent.waitClosed(6000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(loading.closed).toBe(false);
    expect((await info(master.client, 'replication')).connected_slaves).toBe('1');
  });

  it('a shutdown while the full sync loads stops the load and saves nothing', async () => {
    const master = await real();
    await fill(master.client, 'bulk', 400_000);
    const dir = makeTempDir('redix-repl-loading-save-');
    servers.defer(() => removeDir(dir));
    const replica = await redix({ replicaof: `127.0.0.1 ${master.proc.port}`, dir, save: '3600 1' });
    await probeWhileLoading(replica.server.port);
    await replica.server.shutdown();
    await waitFor(() => !replica.server.loading, 5000, 'the load to stop');
    expect(existsSync(join(dir, 'dump.rdb'))).toBe(false);
  });
});
