import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { hasRedisServer, REDIS_MISSING, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';
import { parseReply, type RespNode } from '../helpers/resp-tree';

/** A RESP2 reply as plain values: arrays, strings, numbers, null. */
type Value = string | number | null | Value[];

function toValue(node: RespNode): Value {
  const raw = node.raw.toString('latin1');
  switch (node.type) {
    case '*':
      return node.children === null ? null : node.children.map(toValue);
    case ':':
      return Number(raw.slice(1, -2));
    case '+':
      return raw.slice(1, -2);
    case '$':
      return raw.startsWith('$-1') ? null : raw.slice(raw.indexOf('\r\n') + 2, -2);
    default:
      throw new Error(`unexpected reply ${raw}`);
  }
}

const COMMANDS = [
  'del', 'unlink', 'exists', 'type', 'keys', 'scan', 'randomkey', 'rename', 'renamenx', 'copy', 'move',
  'swapdb', 'touch', 'expire', 'pexpire', 'expireat', 'pexpireat', 'ttl', 'pttl', 'persist',
  'expiretime', 'pexpiretime',
];
const SUBCOMMANDS = [
  'object|encoding', 'object|refcount', 'object|idletime', 'object|freq', 'object|help',
  'memory|usage', 'memory|stats', 'memory|doctor', 'memory|help', 'memory|malloc-stats', 'memory|purge',
  'function|list', 'function|flush', 'function|delete', 'function|dump', 'function|kill', 'function|stats', 'function|help',
];

if (!hasRedisServer) console.warn(`command spec comparison skipped: ${REDIS_MISSING}`);

/**
 * The keyspace-ttl command specs against redis-server 7.0's own: name, arity, flags, key positions
 * and ACL categories from COMMAND INFO; summary, since, group and complexity from COMMAND DOCS.
 */
describe.skipIf(!hasRedisServer)('keyspace-ttl: command specs match redis-server', () => {
  let redis: RealRedis;
  let redix: RedixServer;
  let a: RawConnection;
  let b: RawConnection;

  beforeAll(async () => {
    redis = await startRedisServer();
    redix = await startRedix();
    a = await RawConnection.connect(redis.port);
    b = await RawConnection.connect(redix.port);
  });

  afterAll(async () => {
    a?.close();
    b?.close();
    await redix?.shutdown();
    await redis?.stop();
  });

  const info = async (conn: RawConnection, name: string): Promise<Value[]> => {
    const [entry] = toValue(parseReply(await conn.command(['COMMAND', 'INFO', name]))) as Value[][];
    expect(entry, name).not.toBeNull();
    // name, arity, flags, first key, last key, step, ACL categories
    return entry.slice(0, 7).map((v) => (Array.isArray(v) ? [...v].sort() : v));
  };

  const docs = async (conn: RawConnection, name: string): Promise<Record<string, Value>> => {
    const [, doc] = toValue(parseReply(await conn.command(['COMMAND', 'DOCS', name]))) as Value[];
    const fields = doc as Value[];
    const out: Record<string, Value> = {};
    for (let i = 0; i < fields.length; i += 2) {
      if (['summary', 'since', 'group', 'complexity'].includes(fields[i] as string)) out[fields[i] as string] = fields[i + 1];
    }
    return out;
  };

  for (const name of [...COMMANDS, ...SUBCOMMANDS]) {
    it(`${name}: COMMAND INFO and DOCS`, async () => {
      expect(await info(b, name)).toEqual(await info(a, name));
      expect(await docs(b, name)).toEqual(await docs(a, name));
    });
  }
});
