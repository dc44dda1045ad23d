import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/run-process';
import { hasRedisServer, REDIS_MISSING } from '../helpers/redis-server';
import { startRedix } from '../helpers/redix';
import { connect, dumpDataset, makeTempDir, removeDir, startRealRedis, waitFor, type Process } from './aof-test-support';

/** A mixed dataset: several databases, binary keys and values, hashes, TTLs, counters, deletes. */
async function writeDataset(client: Redis, tag: string): Promise<void> {
  await client.select(0);
  await client.set(`${tag}:plain`, 'hello world');
  await client.set(Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a]), Buffer.from([0xc3, 0x28, 0x0d, 0x0a, 0x00]));
  await client.set(`${tag}:ttl`, 'expiring', 'EX', 3600);
  await client.hset(`${tag}:hash`, 'f1', 'v1', 'f2', 'v2', 'empty', '');
  for (let i = 0; i < 50; i++) await client.incr(`${tag}:counter`);
  await client.rpush(`${tag}:list`, ...Array.from({ length: 150 }, (_, i) => `item${i}`));
  await client.lpop(`${tag}:list`);
  await client.lmove(`${tag}:list`, `${tag}:list2`, 'RIGHT', 'LEFT');
  await client.set(`${tag}:gone`, 'x');
  await client.del(`${tag}:gone`);
  await client.select(7);
  await client.set(`${tag}:db7`, 'seven');
  await client.hset(`${tag}:db7hash`, 'a', '1');
  await client.pexpire(`${tag}:db7hash`, 7_200_000);
  await client.select(0);
}

/** The dataset, a completed BGREWRITEAOF, then the dataset again (so the AOF has a base and an incr). */
async function writeAroundRewrite(client: Redis): Promise<void> {
  await writeDataset(client, 'before');
  expect(await client.bgrewriteaof()).toBe('Background append only file rewriting started');
  await waitFor(async () => (await client.info('persistence')).includes('aof_rewrite_in_progress:0'));
  await writeDataset(client, 'after');
}

describe.skipIf(!hasRedisServer)('aof interop with redis-server 7.0 and redis-check-aof', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function dir(): string {
    const d = makeTempDir('redix-aof-interop-');
    cleanups.push(() => removeDir(d));
    return d;
  }

  function realRedis(d: string, args: string[]): Promise<Process> {
    return startRealRedis(d, args).then((p) => {
      cleanups.push(() => p.kill());
      return p;
    });
  }

  async function writeWithRedix(d: string, preamble = false): Promise<Record<string, string>> {
    const server = await startRedix({ dir: d, appendonly: 'yes', appendfsync: 'always', aofUseRdbPreamble: preamble ? 'yes' : 'no' });
    const client = connect(server.port);
    try {
      await writeAroundRewrite(client);
      await client.incrby('before:counter', 1000);
      return await dumpDataset(client);
    } finally {
      client.disconnect();
      await server.shutdown();
    }
  }

  it('redis-check-aof accepts the manifest and files Redix writes', async () => {
    const d = dir();
    await writeWithRedix(d);
    const manifest = join(d, 'appendonlydir', 'appendonly.aof.manifest');
    expect(readFileSync(manifest, 'utf8')).toBe('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    const result = await runProcess('redis-check-aof', [manifest]);
    expect(result.stdout).toContain('BASE AOF appendonly.aof.2.base.aof is valid');
    expect(result.stdout).toContain('INCR AOF appendonly.aof.2.incr.aof is valid');
    expect(result.stdout).toContain('All AOF files and manifest are valid');
    expect(result.code).toBe(0);
  });

  it.skipIf(!hasRedisServer)('a real redis-server 7.0 loads the directory Redix wrote and holds the same data', async () => {
    const d = dir();
    const written = await writeWithRedix(d);
    const real = await realRedis(d, ['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no']);
    const client = connect(real.port);
    cleanups.push(() => client.disconnect());
    expect(await dumpDataset(client)).toEqual(written);
    expect(Object.keys(written).length).toBe(17);
    expect(real.output()).toContain('DB loaded from append only file');
  });

  it.skipIf(!hasRedisServer)('Redix loads a directory written by a real redis-server 7.0 (SELECT, MULTI/EXEC, base + incr)', async () => {
    const d = dir();
    const real = await realRedis(d, ['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no', '--appendfsync', 'always']);
    const client = connect(real.port);
    cleanups.push(() => client.disconnect());
    await writeAroundRewrite(client);
    // A transaction with several writes is logged as MULTI ... EXEC.
    const tx = await client.multi().set('tx:a', '1').incr('tx:n').hset('tx:h', 'k', 'v').select(7).set('tx:db7', 'x').exec();
    expect(tx?.every(([err]) => err === null)).toBe(true);
    const expected = await dumpDataset(client);
    client.disconnect();
    await real.kill('SIGTERM');
    const files = readdirSync(join(d, 'appendonlydir')).sort();
    expect(files).toEqual(['appendonly.aof.2.base.aof', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    const incr = readFileSync(join(d, 'appendonlydir', 'appendonly.aof.2.incr.aof'), 'latin1');
    expect(incr).toContain('$5\r\nMULTI\r\n');
    expect(readFileSync(join(d, 'appendonlydir', 'appendonly.aof.2.base.aof'), 'latin1')).toContain('$6\r\nSELECT\r\n');

    const server = await startRedix({ dir: d, appendonly: 'yes' });
    const redix = connect(server.port);
    try {
      expect(await dumpDataset(redix)).toEqual(expected);
    } finally {
      redix.disconnect();
      await server.shutdown();
    }
  });

  it('with aof-use-rdb-preamble yes: redis-check-aof accepts the RDB base and redis-server 7.0 loads it', async () => {
    const d = dir();
    const written = await writeWithRedix(d, true);
    const manifest = join(d, 'appendonlydir', 'appendonly.aof.manifest');
    expect(readFileSync(manifest, 'utf8')).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    const check = await runProcess('redis-check-aof', [manifest]);
    expect(check.stdout).toContain('All AOF files and manifest are valid');
    const real = await realRedis(d, ['--appendonly', 'yes']);
    const client = connect(real.port);
    cleanups.push(() => client.disconnect());
    expect(await dumpDataset(client)).toEqual(written);
  });

  it('Redix loads a directory redis-server wrote with aof-timestamp-enabled yes, appends to it, and redis-server loads the result', async () => {
    const d = dir();
    const real = await realRedis(d, ['--appendonly', 'yes', '--aof-timestamp-enabled', 'yes']);
    const client = connect(real.port);
    cleanups.push(() => client.disconnect());
    await writeAroundRewrite(client);
    // Redis annotates the first write of each new second.
    await new Promise((r) => setTimeout(r, 1100));
    await client.set('late', 'write');
    client.disconnect();
    await real.kill('SIGTERM');
    const aofDir = join(d, 'appendonlydir');
    expect(readFileSync(join(aofDir, 'appendonly.aof.2.incr.aof'), 'latin1')).toMatch(/\r\n#TS:\d+\r\n\*2\r\n\$6\r\nSELECT\r\n\$1\r\n0\r\n\*3\r\n\$3\r\nset\r\n\$4\r\nlate\r\n/);

    const server = await startRedix({ dir: d, appendonly: 'yes', appendfsync: 'always' });
    const redix = connect(server.port);
    let expected: Record<string, string>;
    try {
      await redix.set('written:by', 'redix');
      await redix.hset('before:hash', 'f3', 'v3');
      expected = await dumpDataset(redix);
    } finally {
      redix.disconnect();
      await server.shutdown();
    }
    expect(Object.keys(expected)).toContain(`0:${Buffer.from('written:by').toString('hex')}`);
    const check = await runProcess('redis-check-aof', [join(aofDir, 'appendonly.aof.manifest')]);
    expect(check.stdout).toContain('All AOF files and manifest are valid');
    const again = await realRedis(d, ['--appendonly', 'yes']);
    const c2 = connect(again.port);
    cleanups.push(() => c2.disconnect());
    expect(await dumpDataset(c2)).toEqual(expected);
  });

  it('Redix loads a directory written by redis-server 7.0 with its default RDB base, and an old-style preamble AOF', async () => {
    const d = dir();
    const real = await realRedis(d, ['--appendonly', 'yes']);
    const client = connect(real.port);
    cleanups.push(() => client.disconnect());
    await writeAroundRewrite(client);
    const expected = await dumpDataset(client);
    client.disconnect();
    await real.kill('SIGTERM');
    const aofDir = join(d, 'appendonlydir');
    expect(readdirSync(aofDir).sort()).toEqual(['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);

    const server = await startRedix({ dir: d, appendonly: 'yes' });
    const redix = connect(server.port);
    try {
      expect(await dumpDataset(redix)).toEqual(expected);
    } finally {
      redix.disconnect();
      await server.shutdown();
    }

    // Redis 4-6 wrote one file: an RDB preamble followed by commands. It is migrated and loaded.
    const old = dir();
    const rdb = readFileSync(join(aofDir, 'appendonly.aof.2.base.rdb'));
    writeFileSync(join(old, 'appendonly.aof'), Buffer.concat([rdb, readFileSync(join(aofDir, 'appendonly.aof.2.incr.aof'))]));
    const migrated = await startRedix({ dir: old, appendonly: 'yes' });
    const redix2 = connect(migrated.port);
    try {
      expect(await dumpDataset(redix2)).toEqual(expected);
      expect(readFileSync(join(old, 'appendonlydir', 'appendonly.aof.manifest'), 'utf8')).toBe('file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    } finally {
      redix2.disconnect();
      await migrated.shutdown();
    }
  });
});

if (!hasRedisServer) console.warn(REDIS_MISSING);
