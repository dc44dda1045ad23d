import { readFileSync } from 'node:fs';
import { splitInlineArgs } from '../../src/protocol/inline-args';
import { RawConnection } from './raw-connection';
import { canonicalUnordered, parseReply, shapeOf } from './resp-tree';

/**
 * One line of a case file. Lines are commands written as in redis-cli (quotes and \xHH escapes),
 * optionally prefixed by a comparison mode:
 *   @unordered CMD   aggregate replies compared as multisets (KEYS, HKEYS, SMEMBERS)
 *   @pairs CMD       aggregate compared as a multiset of consecutive pairs (HGETALL)
 *   @type CMD        only the reply type and element count compared (random or time-dependent)
 *   @sleep MS        wait (TTL tests; at most 3000)
 */
export interface DiffCase {
  line: number;
  text: string;
  mode: 'exact' | 'unordered' | 'pairs' | 'type' | 'sleep';
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
    const m = /^@(unordered|pairs|type|sleep)\s+(.*)$/.exec(text);
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
    for (const c of cases) {
      if (c.mode === 'sleep') {
        await new Promise((r) => setTimeout(r, c.sleepMs));
        continue;
      }
      const [a, b] = await Promise.all([redis.command(c.argv), redix.command(c.argv)]);
      let same: boolean;
      if (c.mode === 'exact') same = a.equals(b);
      else if (c.mode === 'type') same = shapeOf(parseReply(a)) === shapeOf(parseReply(b));
      else same = canonicalUnordered(parseReply(a), c.mode === 'pairs') === canonicalUnordered(parseReply(b), c.mode === 'pairs');
      if (!same) mismatches.push({ line: c.line, command: c.text, redis: show(a), redix: show(b) });
    }
  } finally {
    redis.close();
    redix.close();
  }
  return mismatches;
}

export function formatMismatches(file: string, protocol: number, list: Mismatch[]): string {
  return list.map((m) => `${file}:${m.line} (RESP${protocol}) ${m.command}\n    redis: ${m.redis}\n    redix: ${m.redix}`).join('\n');
}
