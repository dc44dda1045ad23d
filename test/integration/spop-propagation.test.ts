import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { hasRedisServer } from '../helpers/redis-server';
import { makeTempDir, removeDir, replicationServers } from './replication-test-support';

/** The commands of an AOF directory's incremental file, each as its arguments. */
function aofCommands(dir: string): string[][] {
  const aofDir = join(dir, 'appendonlydir');
  const file = readdirSync(aofDir).find((f) => f.endsWith('.incr.aof'))!;
  const lines = readFileSync(join(aofDir, file), 'latin1').split('\r\n');
  const out: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('*')) continue;
    const n = Number(lines[i].slice(1));
    const args: string[] = [];
    for (let j = 0; j < n; j++) args.push(lines[i + 2 + j * 2]);
    out.push(args);
    i += n * 2;
  }
  return out;
}

/**
 * SPOP's draws are random, so the members differ between servers; the AOF's shape must not. Each
 * SREM's member is checked against what that SPOP replied, then written as "<m>".
 */
async function spopScript(client: Redis): Promise<{ popped: string[][]; aofShape: (dir: string) => string[] }> {
  const popped: string[][] = [];
  const pop = async (...args: (string | number)[]) => {
    const reply = (await client.call('SPOP', ...args)) as string | string[] | null;
    popped.push(reply === null ? [] : Array.isArray(reply) ? reply : [reply]);
  };
  await client.sadd('ints', ...Array.from({ length: 20 }, (_, i) => i));
  await client.sadd('words', ...Array.from({ length: 30 }, (_, i) => `w${i}`));
  await pop('ints');
  await pop('ints', 3); // a few of many: drawn one by one
  await pop('words', 1);
  await pop('words', 25); // most of the set: Redis builds the survivors instead
  await pop('ints', 0);
  await pop('missing', 4);
  await pop('words', 10); // the whole rest: DEL
  const tx = await client.multi().call('SPOP', 'ints', '2').sadd('other', 'x').exec();
  popped.push(tx![0][1] as string[]);
  await pop('ints', 100);
  return {
    popped,
    aofShape(dir) {
      const drawn = new Set(popped.flat());
      return aofCommands(dir).filter((argv) => argv[0].toLowerCase() !== 'select').map((argv) => {
        if (argv[0].toLowerCase() !== 'srem') return argv.join(' ').toLowerCase();
        expect(argv).toHaveLength(3);
        expect(drawn.delete(argv[2])).toBe(true); // each drawn member removed exactly once
        return `srem ${argv[1]} <m>`;
      });
    },
  };
}

describe.skipIf(!hasRedisServer)('SPOP with a count: AOF and replicas get what redis-server 7.0 sends', () => {
  const servers = replicationServers();
  afterEach(() => servers.stopAll());

  it('one SREM per popped member (MULTI/EXEC around several), DEL when the set goes, nothing for 0', async () => {
    const ourDir = makeTempDir('redix-spop-aof-');
    const theirDir = makeTempDir('redix-spop-aof-real-');
    servers.defer(() => removeDir(ourDir));
    servers.defer(() => removeDir(theirDir));
    const ours = await servers.redix({ appendonly: 'yes', appendfsync: 'always', dir: ourDir });
    const theirs = await servers.real(['--appendonly', 'yes', '--appendfsync', 'always'], { dir: theirDir });
    const [a, b] = [await spopScript(theirs.client), await spopScript(ours.client)];
    expect(b.popped.map((p) => p.length)).toEqual(a.popped.map((p) => p.length));
    const expected = a.aofShape(theirDir);
    expect(expected).toContain('del words');
    expect(expected.filter((c) => c === 'multi').length).toBeGreaterThan(2);
    expect(b.aofShape(ourDir)).toEqual(expected);
  });
});
