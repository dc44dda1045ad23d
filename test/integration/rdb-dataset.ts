/**
 * Helpers for the RDB interop tests: fill a server with a dataset covering the encodings Redis
 * uses, and read a whole dataset back through commands so two servers can be compared.
 */
import { createHash } from 'node:crypto';
import { RawConnection, encodeCommand } from '../helpers/raw-connection';
import { parseReply, type RespNode } from '../helpers/resp-tree';

type Arg = string | Buffer;

/** The payload of a bulk reply, or null for a null reply. */
export function bulk(node: RespNode): Buffer | null {
  const raw = node.raw;
  if (raw[0] === 0x5f || raw.latin1Slice(0, 3) === '$-1') return null;
  if (raw[0] !== 0x24) throw new Error(`not a bulk reply: ${raw.toString('latin1')}`);
  const lineEnd = raw.indexOf('\r\n');
  return raw.subarray(lineEnd + 2, raw.length - 2);
}

export function integer(node: RespNode): number {
  const text = node.raw.latin1Slice(1, node.raw.length - 2);
  if (node.raw[0] !== 0x3a) throw new Error(`not an integer reply: ${node.raw.toString('latin1')}`);
  return Number(text);
}

export async function call(conn: RawConnection, args: Arg[]): Promise<RespNode> {
  return parseReply(await conn.command(args, 60_000));
}

/** Sends many commands in one write and checks none failed. */
export async function pipeline(conn: RawConnection, commands: Arg[][]): Promise<Buffer[]> {
  conn.write(Buffer.concat(commands.map(encodeCommand)));
  const replies = await conn.readReplies(commands.length, 120_000);
  for (let i = 0; i < replies.length; i++) {
    if (replies[i][0] === 0x2d) throw new Error(`${commands[i].join(' ')} failed: ${replies[i].toString('latin1')}`);
  }
  return replies;
}

/** One expiry time for every run of the dataset in a test process, so datasets compare equal. */
const TTL_AT = Date.now() + 3_600_000;

const randomBytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (Math.imul(i + seed, 2654435761) >>> 24) & 0xff));

/**
 * Commands that build the reference dataset: strings of every RDB encoding (integers of each
 * width, non-canonical numbers, binary, long compressible and incompressible), small hashes
 * (listpack, with integers of each listpack width), big hashes (hash table, by count and by value
 * length), keys with TTLs, and several databases.
 */
export function datasetCommands(): Arg[][] {
  const ttlAt = String(TTL_AT);
  const cmds: Arg[][] = [['SELECT', '0']];
  const strings: [string, Arg][] = [
    ['s:hello', 'hello'], ['s:empty', ''], ['s:zero', '0'], ['s:neg', '-1'], ['s:127', '127'], ['s:128', '128'],
    ['s:-32769', '-32769'], ['s:int32max', '2147483647'], ['s:int32over', '2147483648'], ['s:int64min', '-9223372036854775808'],
    ['s:leadingzero', '00123'], ['s:space', ' 7'], ['s:float', '3.14'], ['s:binary', Buffer.from([0, 255, 13, 10, 0x80])],
    ['s:long-compressible', 'abc'.repeat(5000)], ['s:long-random', randomBytes(5000, 1)], ['s:21', 'a'.repeat(21)],
  ];
  for (const [k, v] of strings) cmds.push(['SET', k, v]);
  cmds.push(['HSET', 'h:small', 'name', 'redix', 'n1', '1', 'n127', '127', 'n-4096', '-4096', 'n32767', '32767', 'n8388607', '8388607', 'n2^31', '2147483648', 'n2^63-1', '9223372036854775807', 'empty', '']);
  const many: Arg[] = ['HSET', 'h:many'];
  for (let i = 0; i < 300; i++) many.push(`field:${i}`, i % 3 === 0 ? String(i * 1000) : `value-${i}`);
  cmds.push(many);
  cmds.push(['HSET', 'h:longvalue', 'short', 'x', 'long', 'y'.repeat(200), 'compressible', 'zz'.repeat(400)]);
  cmds.push(['HSET', 'h:binary', Buffer.from([0, 1, 2]), Buffer.from([255, 254]), 'k', randomBytes(100, 7)]);
  // Lists (RDB type 18): integers of each listpack width, binary, many nodes, a long compressible node.
  cmds.push(['RPUSH', 'l:small', 'a', '1', '-1', '127', '128', '-4096', '32767', '8388608', '2147483648', '9223372036854775807', '01', '', Buffer.from([0, 255])]);
  const longList: Arg[] = ['RPUSH', 'l:long'];
  for (let i = 0; i < 3000; i++) longList.push(i % 4 === 0 ? String(i) : `item-${i}-${'x'.repeat(i % 50)}`);
  cmds.push(longList);
  cmds.push(['LPUSH', 'l:big-elements', 'q'.repeat(10_000), randomBytes(9000, 3), 'r'.repeat(100)]);
  cmds.push(['SET', 'ttl:string', 'soon', 'PXAT', ttlAt]);
  cmds.push(['HSET', 'ttl:hash', 'a', '1']);
  cmds.push(['PEXPIREAT', 'ttl:hash', ttlAt]);
  cmds.push(['SELECT', '3']);
  cmds.push(['SET', 'db3:key', 'in three']);
  cmds.push(['HSET', 'db3:hash', 'f', 'v']);
  cmds.push(['SELECT', '15']);
  cmds.push(['SET', 'db15:key', 'last db', 'PXAT', ttlAt]);
  cmds.push(['SELECT', '0']);
  return cmds;
}

/** Bytes as hex, long ones as their length and a digest (readable diffs). */
function show(b: Buffer): string {
  return b.length <= 40 ? b.toString('hex') : `${b.length}B-sha1-${createHash('sha1').update(b).digest('hex').slice(0, 16)}`;
}

/** Every key of databases 0-15 as "db/key" → "type:value|pexpiretime" (hash fields sorted). */
export async function readDataset(port: number): Promise<Map<string, string>> {
  const conn = await RawConnection.connect(port);
  const out = new Map<string, string>();
  try {
    for (let db = 0; db < 16; db++) {
      await call(conn, ['SELECT', String(db)]);
      const keys = (await call(conn, ['KEYS', '*'])).children!.map((k) => bulk(k)!);
      for (const key of keys) {
        const type = (await call(conn, ['TYPE', key])).raw.toString('latin1', 1).trim();
        let value: string;
        if (type === 'string') {
          value = show(bulk(await call(conn, ['GET', key]))!);
        } else if (type === 'hash') {
          const items = (await call(conn, ['HGETALL', key])).children!.map((n) => show(bulk(n)!));
          const pairs: string[] = [];
          for (let i = 0; i < items.length; i += 2) pairs.push(`${items[i]}=${items[i + 1]}`);
          value = pairs.sort().join(',');
        } else if (type === 'list') {
          value = (await call(conn, ['LRANGE', key, '0', '-1'])).children!.map((n) => show(bulk(n)!)).join(',');
        } else {
          value = '?';
        }
        const expireAt = integer(await call(conn, ['PEXPIRETIME', key]));
        out.set(`${db}/${key.toString('latin1')}`, `${type}:${value}|${expireAt}`);
      }
    }
  } finally {
    conn.close();
  }
  return out;
}

/** Polls INFO persistence until no BGSAVE runs; returns the fields. */
export async function waitForBgsave(port: number, timeoutMs = 60_000): Promise<Record<string, string>> {
  const conn = await RawConnection.connect(port);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = parseInfo(bulk(await call(conn, ['INFO', 'persistence']))!.toString());
      if (info.rdb_bgsave_in_progress === '0') return info;
      if (Date.now() > deadline) throw new Error('BGSAVE did not finish');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    conn.close();
  }
}

export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
