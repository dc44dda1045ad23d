import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { hasRedisServer, REDIS_MISSING, startRedisServer, type RealRedis } from '../helpers/redis-server';
import { RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';
import { parseReply, type RespNode } from '../helpers/resp-tree';

/**
 * COMMAND INFO and COMMAND DOCS of every command Redix registers, byte for byte against a real
 * redis-server 7.0, in RESP2 and RESP3.
 *
 * A container (CONFIG, CLIENT, OBJECT ...) is compared with Redis's reply cut down to the
 * subcommands Redix implements, in Redix's order: Redis lists subcommands in the order of a hash
 * table seeded at random when the server starts, so no fixed order can match it, and Redis has
 * subcommands Redix does not implement (and Redix two newer ones, NEWER_THAN_7_0, left out of
 * both sides). Each subcommand is also compared on its own.
 */

/** Redis 7.2 subcommands that Redix keeps because client libraries send them; Redis 7.0 has none of them. */
const NEWER_THAN_7_0 = ['client|no-touch', 'client|setinfo'];

if (!hasRedisServer) console.warn(`COMMAND INFO/DOCS comparison skipped: ${REDIS_MISSING}`);

const show = (b: Buffer) => JSON.stringify(b.toString('latin1')).replace(/\\r\\n/g, '\\r\\n\n');
const text = (node: RespNode) => parseBulk(node.raw);

function parseBulk(raw: Buffer): string {
  const s = raw.toString('latin1');
  return s.slice(s.indexOf('\r\n') + 2, -2);
}

/** An aggregate's bytes rebuilt from its header and the given children. */
function rebuild(node: RespNode, children: Buffer[], elements: number): Buffer {
  return Buffer.concat([Buffer.from(`${node.type}${elements}\r\n`), ...children]);
}

/** COMMAND INFO's reply for one container with its subcommand array limited to `names`, in that order. */
function infoWithSubcommands(reply: RespNode, names: string[]): Buffer {
  const entry = reply.children![0];
  const subs = entry.children![9];
  const byName = new Map(subs.children!.map((s) => [text(s.children![0]), s.raw]));
  const picked = names.map((n) => byName.get(n) ?? Buffer.from(`<missing ${n}>`));
  const newSubs = rebuild(subs, picked, picked.length);
  const newEntry = rebuild(entry, [...entry.children!.slice(0, 9).map((c) => c.raw), newSubs], 10);
  return rebuild(reply, [newEntry], 1);
}

/** COMMAND DOCS's reply for one container with its "subcommands" map limited to `names`, in that order. */
function docsWithSubcommands(reply: RespNode, names: string[]): Buffer {
  const [name, docs] = reply.children!;
  const fields = docs.children!;
  const rebuilt: Buffer[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    rebuilt.push(fields[i].raw);
    if (text(fields[i]) !== 'subcommands') {
      rebuilt.push(fields[i + 1].raw);
      continue;
    }
    const subs = fields[i + 1].children!;
    const byName = new Map<string, Buffer[]>();
    for (let j = 0; j < subs.length; j += 2) byName.set(text(subs[j]), [subs[j].raw, subs[j + 1].raw]);
    const picked = names.flatMap((n) => byName.get(n) ?? [Buffer.from(`<missing ${n}>`)]);
    rebuilt.push(rebuild(fields[i + 1], picked, fields[i + 1].type === '%' ? names.length : names.length * 2));
  }
  return rebuild(reply, [name.raw, rebuild(docs, rebuilt, fields.length / (docs.type === '%' ? 2 : 1))], reply.type === '%' ? 1 : 2);
}

describe.skipIf(!hasRedisServer)('COMMAND INFO and COMMAND DOCS match redis-server', () => {
  let redis: RealRedis;
  let redix: RedixServer;
  const conns: Record<2 | 3, { real: RawConnection; ours: RawConnection }> = {} as never;
  let names: string[] = [];
  /** Container name → the subcommand full names Redix has, in Redix's order. */
  const containers = new Map<string, string[]>();

  beforeAll(async () => {
    redis = await startRedisServer();
    redix = await startRedix();
    for (const protocol of [2, 3] as const) {
      const real = await RawConnection.connect(redis.port);
      const ours = await RawConnection.connect(redix.port);
      if (protocol === 3) {
        await real.command(['HELLO', '3']);
        await ours.command(['HELLO', '3']);
      }
      conns[protocol] = { real, ours };
    }
    names = parseReply(await conns[2].ours.command(['COMMAND', 'LIST'])).children!.map(text).sort();
    for (const n of names) {
      const bar = n.indexOf('|');
      if (bar > 0) containers.set(n.slice(0, bar), [...(containers.get(n.slice(0, bar)) ?? [])]);
    }
    for (const c of containers.keys()) {
      const info = parseReply(await conns[2].ours.command(['COMMAND', 'INFO', c]));
      containers.set(c, info.children![0].children![9].children!.map((s) => text(s.children![0])));
    }
  });

  afterAll(async () => {
    for (const { real, ours } of Object.values(conns)) {
      real.close();
      ours.close();
    }
    await redix?.shutdown();
    await redis?.stop();
  });

  it('COMMAND LIST names only commands Redis 7.0 has (apart from the known 7.2 additions)', async () => {
    const real = new Set(parseReply(await conns[2].real.command(['COMMAND', 'LIST'])).children!.map(text));
    expect(names.filter((n) => !real.has(n))).toEqual(NEWER_THAN_7_0);
  });

  for (const protocol of [2, 3] as const) {
    for (const kind of ['INFO', 'DOCS'] as const) {
      it(`COMMAND ${kind} <name> for every command (RESP${protocol})`, async () => {
        const { real, ours } = conns[protocol];
        const failures: string[] = [];
        let compared = 0;
        for (const name of names) {
          if (NEWER_THAN_7_0.includes(name)) continue;
          const theirs = await real.command(['COMMAND', kind, name]);
          const mine = await ours.command(['COMMAND', kind, name]);
          const subs = containers.get(name)?.filter((s) => !NEWER_THAN_7_0.includes(s));
          const cut = (reply: Buffer) => (subs === undefined ? reply : kind === 'INFO' ? infoWithSubcommands(parseReply(reply), subs) : docsWithSubcommands(parseReply(reply), subs));
          const expected = cut(theirs);
          const actual = cut(mine);
          compared++;
          if (!expected.equals(actual)) failures.push(`COMMAND ${kind} ${name} (RESP${protocol})\n--- redis-server:\n${show(expected)}\n--- redix:\n${show(actual)}`);
        }
        expect(compared).toBe(names.length - NEWER_THAN_7_0.length);
        expect(failures.length, `\n${failures.join('\n\n')}\n`).toBe(0);
      });
    }
  }

  it('COMMAND GETKEYS finds the same keys', async () => {
    const lines = [
      ['GET', 'k'], ['SET', 'k', 'v', 'EX', '10'], ['MSET', 'a', '1', 'b', '2'], ['MGET', 'a', 'b', 'c'], ['DEL', 'a', 'b'],
      ['COPY', 'a', 'b', 'REPLACE'], ['RENAME', 'a', 'b'], ['LCS', 'a', 'b', 'LEN'], ['MEMORY', 'USAGE', 'k'],
      ['OBJECT', 'ENCODING', 'k'], ['HSET', 'h', 'f', 'v'], ['RESTORE', 'k', '0', 'x'], ['PING'], ['MSET', 'a'],
    ];
    const { real, ours } = conns[2];
    for (const line of lines) {
      const args = ['COMMAND', 'GETKEYS', ...line];
      expect((await ours.command(args)).toString('latin1'), line.join(' ')).toBe((await real.command(args)).toString('latin1'));
    }
  });
});
