import { afterEach, describe, expect, it } from 'vitest';
import {
  connect, datasetDifferences, dumpDataset, fill, hasBuiltCli, info, makeTempDir, removeDir, startRedixProcess, startWriter, waitFor, waitInSync, writeMixed,
  type Process,
} from './replication-test-support';

/**
 * The README's two commands, as processes of the built CLI: a master and a replica, each with
 * its own event loop (so the numbers below are what a deployment sees).
 */
describe.skipIf(!hasBuiltCli)('replication between Redix processes (built CLI)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  async function start(args: string[] = [], port?: number): Promise<Process> {
    const dir = makeTempDir('redix-repl-cli-');
    const proc = await startRedixProcess(dir, args, port);
    cleanups.push(async () => {
      await proc.kill();
      removeDir(dir);
    });
    return proc;
  }

  it('redix start --replicaof "host port" follows a master; data written before, during and after the sync match', async () => {
    const master = await start();
    const m = connect(master.port);
    cleanups.push(() => m.disconnect());
    const keys = 200_000;
    await fill(m, 'bulk', keys, 64);
    await writeMixed(m, 'before', 2000);
    // A client keeps pinging the master during the full sync: it must keep being served.
    const probe = connect(master.port);
    cleanups.push(() => probe.disconnect());
    let running = true;
    let pings = 0;
    let worst = 0;
    const pinger = (async () => {
      while (running) {
        const t = performance.now();
        await probe.ping();
        worst = Math.max(worst, performance.now() - t);
        pings++;
      }
    })();
    const writer = startWriter(connect(master.port), 'during');
    const started = Date.now();
    const replica = await start(['--replicaof', '127.0.0.1', String(master.port)]);
    const r = connect(replica.port);
    cleanups.push(() => r.disconnect());
    await waitFor(async () => (await info(r, 'replication')).master_link_status === 'up', 60_000, 'the link');
    const syncMs = Date.now() - started;
    running = false;
    await pinger;
    await writer.stop();
    await writeMixed(m, 'after', 2000);
    await waitInSync(m, r);
    const [a, b] = await Promise.all([dumpDataset(m), dumpDataset(r)]);
    expect(datasetDifferences(a, b)).toEqual([]);
    expect(a.size).toBeGreaterThan(keys);
    console.log(`full sync of ${a.size} keys between two Redix processes: ${syncMs} ms (process start included); master answered ${pings} PINGs meanwhile, slowest ${worst.toFixed(1)} ms`);
    expect(pings).toBeGreaterThan(10);
    expect(worst).toBeLessThan(1000);
    await expect(r.set('x', '1')).rejects.toThrow("READONLY You can't write against a read only replica.");
  });

  it('a replica whose master process is killed keeps its data, reports the link down, and resyncs when it is back', async () => {
    const master = await start();
    const m = connect(master.port);
    await writeMixed(m, 'before', 500);
    const replica = await start(['--replicaof', '127.0.0.1', String(master.port)]);
    const r = connect(replica.port);
    cleanups.push(() => r.disconnect());
    await waitInSync(m, r);
    const size = await r.dbsize();
    m.disconnect();
    await master.kill('SIGKILL');
    await waitFor(async () => (await info(r, 'replication')).master_link_status === 'down', 10_000, 'the link to drop');
    expect(await r.dbsize()).toBe(size);
    expect((await r.role())[3]).toMatch(/^(connect|connecting)$/);
    // A new (empty) master on the same port: its history differs, so the replica resyncs and empties.
    const again = await start([], master.port);
    const m2 = connect(again.port);
    cleanups.push(() => m2.disconnect());
    await m2.set('fresh', '1');
    await waitInSync(m2, r);
    expect(await r.dbsize()).toBe(1);
    expect((await info(m2, 'stats')).sync_full).toBe('1');
  });
});
