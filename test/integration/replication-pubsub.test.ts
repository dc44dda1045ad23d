import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasRedisServer } from '../helpers/redis-server';
import { connect, info, makeTempDir, removeDir, waitFor, waitInSync, replicationServers } from './replication-test-support';

/**
 * PUBLISH travels the replication stream as Redis propagates it (to replicas, not to the AOF), so
 * a replica's subscribers get the master's messages: a real redis-server replica of Redix, and a
 * Redix replica of a real redis-server.
 */
describe.skipIf(!hasRedisServer)('PUBLISH through replication', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());

  async function subscriberOn(port: number, channel: string): Promise<() => string[]> {
    const sub = connect(port);
    servers.defer(() => sub.disconnect());
    const got: string[] = [];
    sub.on('message', (ch: string, message: string) => got.push(`${ch}=${message}`));
    await sub.subscribe(channel);
    return () => got;
  }

  it('a redis-server replica of Redix delivers the master\'s publishes to its subscribers', async () => {
    const master = await servers.redix({ appendonly: 'no' });
    const replica = await servers.real(['--replicaof', '127.0.0.1', String(master.server.port)]);
    await waitInSync(master.client, replica.client);
    const messages = await subscriberOn(replica.proc.port, 'events');
    expect(await master.client.publish('events', 'from-redix')).toBe(0);
    await master.client.set('after', 'publish');
    await waitInSync(master.client, replica.client);
    await waitFor(() => messages().length === 1, 10_000, 'the message on the replica');
    expect(messages()).toEqual(['events=from-redix']);
    // The replica's offset counted the PUBLISH: both sides agree.
    expect((await info(replica.client, 'replication')).master_repl_offset).toBe((await info(master.client, 'replication')).master_repl_offset);
  });

  it('a Redix replica of redis-server delivers the master\'s publishes to its subscribers', async () => {
    const master = await servers.real();
    const replica = await servers.redix({ replicaof: `127.0.0.1 ${master.proc.port}` });
    await waitInSync(master.client, replica.client);
    const messages = await subscriberOn(replica.server.port, 'events');
    await master.client.publish('events', 'from-redis');
    await master.client.publish('events', 'second');
    await waitFor(() => messages().length === 2, 10_000, 'the messages on the replica');
    expect(messages()).toEqual(['events=from-redis', 'events=second']);
  });

  it('PUBLISH is propagated to replicas only: the AOF never gets it', async () => {
    const dir = makeTempDir('redix-publish-aof-');
    servers.defer(() => removeDir(dir));
    const master = await servers.redix({ appendonly: 'yes', appendfsync: 'always', dir });
    const published: string[] = [];
    master.server.keyspace.feed.subscribe((_db, argv, _source, replicasOnly) => published.push(`${argv.map(String).join(' ')}${replicasOnly === true ? ' (replicas only)' : ''}`));
    await master.client.publish('c', 'm');
    await master.client.set('k', 'v');
    expect(published).toEqual(['publish c m (replicas only)', 'set k v']);
    const aofDir = join(dir, 'appendonlydir');
    const incr = readdirSync(aofDir).find((f) => f.endsWith('.incr.aof'))!;
    const content = readFileSync(join(aofDir, incr), 'latin1');
    expect(content).toContain('$3\r\nset\r\n$1\r\nk\r\n');
    expect(content.toLowerCase()).not.toContain('publish');
  });
});
