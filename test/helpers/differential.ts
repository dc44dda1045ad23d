import { readFileSync } from 'node:fs';
import { splitInlineArgs } from '../../src/protocol/inline-args';
import { encodeCommand, RawConnection } from './raw-connection';
import { canonicalUnordered, parseReply, shapeOf } from './resp-tree';

/**
 * One line of a case file. Lines are commands written as in redis-cli (quotes and \xHH escapes),
 * optionally prefixed by a comparison mode:
 *   @unordered CMD   aggregate replies compared as multisets (KEYS, HKEYS, SMEMBERS)
 *   @pairs CMD       aggregate compared as a multiset of consecutive pairs (HGETALL)
 *   @type CMD        only the reply type and element count compared (random or time-dependent)
 *   @sleep MS        wait (TTL tests; at most 3000)
 *   @batch CMD       compared exactly, but sent in one write with the lines after it, up to the
 *                    next line without @batch: no timer (active expiry) runs between them
 */
export interface DiffCase {
  line: number;
  text: string;
  mode: 'exact' | 'unordered' | 'pairs' | 'type' | 'sleep' | 'batch';
  argv: Buffer[];
  sleepMs: number;
}

export function readCases(file: string): DiffCase[] {
  const cases: DiffCase[] = [];
  readFileSync(file, 'latin1').split('\n').forEach((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    let mode: DiffCase['mode'] = 'exact';
    let rest = text;
    const m = /^@(unordered|pairs|type|sleep|batch)\s+(.*)$/.exec(text);
    if (m) {
      mode = m[1] as DiffCase['mode'];
      rest = m[2];
    }
    if (mode === 'sleep') {
      const ms = Math.min(3000, Number(rest));
      cases.push({ line: i + 1, text, mode, argv: [], sleepMs: ms });
      return;
    }
    const argv = splitInlineArgs(Buffer.from(rest, 'latin1'));
    if (argv === null || argv.length === 0) throw new Error(`${file}:${i + 1}: cannot parse "${text}"`);
    cases.push({ line: i + 1, text, mode, argv, sleepMs: 0 });
  });
  return cases;
}

export interface Mismatch {
  line: number;
  command: string;
  redis: string;
  redix: string;
}

function show(b: Buffer): string {
  const s = b.toString('latin1');
  return JSON.stringify(s.length > 300 ? s.slice(0, 300) + '…' : s);
}

/** Runs the cases on both servers (fresh connections, all databases flushed) and lists mismatches. */
export async function runDifferential(cases: DiffCase[], redisPort: number, redixPort: number, protocol: 2 | 3): Promise<Mismatch[]> {
  const redis = await RawConnection.connect(redisPort);
  const redix = await RawConnection.connect(redixPort);
  const mismatches: Mismatch[] = [];
  try {
    for (const conn of [redis, redix]) {
      await conn.command(['FLUSHALL']);
      if (protocol === 3) await conn.command(['HELLO', '3']);
    }
    let batch: DiffCase[] = [];
    for (const c of cases) {
      if (c.mode === 'sleep') {
        await new Promise((r) => setTimeout(r, c.sleepMs));
        continue;
      }
      batch.push(c);
      if (c.mode === 'batch') continue;
      const bytes = Buffer.concat(batch.map((b) => encodeCommand(b.argv)));
      redis.write(bytes);
      redix.write(bytes);
      const [fromRedis, fromRedix] = await Promise.all([redis.readReplies(batch.length), redix.readReplies(batch.length)]);
      batch.forEach((bc, i) => {
        const a = fromRedis[i];
        const b = fromRedix[i];
        if (!sameReply(bc.mode, a, b)) mismatches.push({ line: bc.line, command: bc.text, redis: show(a), redix: show(b) });
      });
      batch = [];
    }
  } finally {
    redis.close();
    redix.close();
  }
  return mismatches;
}

function sameReply(mode: DiffCase['mode'], a: Buffer, b: Buffer): boolean {
  if (mode === 'exact' || mode === 'batch') return a.equals(b);
  if (mode === 'type') return shapeOf(parseReply(a)) === shapeOf(parseReply(b));
  return canonicalUnordered(parseReply(a), mode === 'pairs') === canonicalUnordered(parseReply(b), mode === 'pairs');
}

export function formatMismatches(file: string, protocol: number, list: Mismatch[]): string {
  return list.map((m) => `${file}:${m.line} (RESP${protocol}) ${m.command}\n    redis: ${m.redis}\n    redix: ${m.redix}`).join('\n');
}
