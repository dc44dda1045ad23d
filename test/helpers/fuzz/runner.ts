import { encodeCommand, RawConnection } from '../raw-connection';
import { parseReply } from '../resp-tree';
import { EXACT, PAIRS, UNORDERED, type CompareMode, type FuzzCommand, type FuzzState } from './command';
import { sameReply } from './compare';
import { generateCommand } from './generate';
import { minimize, type Replayer } from './minimize';
import { Prng } from './prng';
import { DBS } from './values';

/**
 * Runs a seeded random command sequence against a real redis-server and Redix side by side,
 * comparing every reply, and the whole data set every few dozen commands. The sequence is cut
 * into episodes that each start from an empty data set, so a repro is never longer than one.
 */
export interface FuzzMismatch {
  seed: number;
  protocol: 2 | 3;
  step: number;
  command: FuzzCommand;
  redis: Buffer;
  redix: Buffer;
  /** Commands sent since the last reset, the mismatching one last. */
  history: FuzzCommand[];
  /** A shorter sequence (replayed from empty) that still mismatches on its last command. */
  minimal: FuzzCommand[];
}

export interface FuzzResult {
  compared: number;
  mismatches: FuzzMismatch[];
}

export interface FuzzOptions {
  seed: number;
  steps: number;
  protocol: 2 | 3;
  /** Stop after this many mismatches (each one ends its episode). */
  maxMismatches: number;
}

const LCS_MAX_CELLS = 4_000_000;

export class FuzzRunner implements Replayer {
  private db = 0;
  compared = 0;
  /** Per command name: [replies, of which Redis's were errors] (to see what a run exercised). */
  readonly stats = new Map<string, [number, number]>();

  private constructor(private readonly redis: RawConnection, private readonly redix: RawConnection, private readonly protocol: 2 | 3) {}

  static async open(redisPort: number, redixPort: number, protocol: 2 | 3): Promise<FuzzRunner> {
    const runner = new FuzzRunner(await RawConnection.connect(redisPort), await RawConnection.connect(redixPort), protocol);
    if (protocol === 3) await runner.both(['HELLO', '3']);
    return runner;
  }

  close(): void {
    this.redis.close();
    this.redix.close();
  }

  async both(argv: string[]): Promise<[Buffer, Buffer]> {
    const bufs = argv.map((a) => Buffer.from(a, 'latin1'));
    const [a, b] = await Promise.all([this.redis.command(bufs), this.redix.command(bufs)]);
    if (argv[0].toUpperCase() === 'SELECT' && a.latin1Slice(0, 3) === '+OK') this.db = Number(argv[1]);
    return [a, b];
  }

  async reset(): Promise<void> {
    await this.both(['FLUSHALL']);
    await this.both(['SELECT', '0']);
  }

  /**
   * Some episodes run with small limits, so hashes change encoding after a few fields or bytes
   * and strings hit proto-max-bulk-len at 1 MB. The CONFIG SET replies are compared too.
   */
  private async configure(rng: Prng, history: FuzzCommand[]): Promise<Pick<FuzzMismatch, 'command' | 'redis' | 'redix'> | null> {
    const small = rng.chance(0.3);
    const settings = [
      ['hash-max-listpack-entries', small ? String(rng.int(0, 4)) : '512'],
      ['hash-max-listpack-value', small ? String(rng.int(0, 8)) : '64'],
      ['proto-max-bulk-len', small && rng.chance(0.5) ? '1048576' : '536870912'],
    ];
    return this.send({ argv: ['CONFIG', 'SET', ...settings.flat()], mode: EXACT }, history);
  }

  async run(opts: FuzzOptions): Promise<FuzzResult> {
    const rng = new Prng(opts.seed);
    const mismatches: FuzzMismatch[] = [];
    const state: FuzzState = { serial: 0, pastSet: false };
    let history: FuzzCommand[] = [];
    let episodeLeft = 0;
    let untilSnapshot = 0;
    for (let step = 0; step < opts.steps && mismatches.length < opts.maxMismatches; step++) {
      if (episodeLeft <= 0) {
        await this.reset();
        state.serial = 0;
        state.pastSet = false;
        history = [];
        episodeLeft = rng.int(100, 250);
        untilSnapshot = rng.int(30, 60);
        const bad = await this.configure(rng, history);
        if (bad) {
          mismatches.push({ seed: opts.seed, protocol: this.protocol, step, ...bad, history, minimal: history });
          episodeLeft = 0;
          continue;
        }
      }
      // Now and then several commands go in one write (as a pipelining client sends them).
      const group: FuzzCommand[] = [];
      for (let n = rng.chance(0.1) ? rng.int(2, 6) : 1; n > 0; n--) {
        const c = generateCommand(rng, state);
        if (!c.lcsKeys || (await this.lcsIsCheap(c.lcsKeys))) group.push(c);
      }
      episodeLeft -= group.length;
      step += group.length - 1;
      const bad = await this.sendGroup(group, history);
      const snapBad = bad ?? (--untilSnapshot <= 0 || episodeLeft === 0 ? await this.snapshot(history) : null);
      if (untilSnapshot <= 0) untilSnapshot = rng.int(30, 60);
      if (snapBad) {
        const minimal = await minimize(this, history);
        mismatches.push({ seed: opts.seed, protocol: this.protocol, step, ...snapBad, history, minimal });
        episodeLeft = 0;
      }
    }
    return { compared: this.compared, mismatches };
  }

  /** Sends one command to both, records it, and returns the mismatch if the replies differ. */
  private async send(c: FuzzCommand, history: FuzzCommand[]): Promise<Pick<FuzzMismatch, 'command' | 'redis' | 'redix'> | null> {
    history.push(c);
    const [a, b] = await this.both(c.argv);
    this.count(c, a);
    return sameReply(c.mode, a, b) ? null : { command: c, redis: a, redix: b };
  }

  /** Sends commands in one write to each server; returns the first mismatch (all are recorded). */
  private async sendGroup(group: FuzzCommand[], history: FuzzCommand[]): Promise<Pick<FuzzMismatch, 'command' | 'redis' | 'redix'> | null> {
    if (group.length <= 1) return group.length === 0 ? null : this.send(group[0], history);
    const bytes = Buffer.concat(group.map((c) => encodeCommand(c.argv.map((a) => Buffer.from(a, 'latin1')))));
    this.redis.write(bytes);
    this.redix.write(bytes);
    const [a, b] = await Promise.all([this.redis.readReplies(group.length), this.redix.readReplies(group.length)]);
    for (let i = 0; i < group.length; i++) {
      const c = group[i];
      history.push(c);
      this.count(c, a[i]);
      if (c.argv[0].toUpperCase() === 'SELECT' && a[i].latin1Slice(0, 3) === '+OK') this.db = Number(c.argv[1]);
      if (!sameReply(c.mode, a[i], b[i])) return { command: c, redis: a[i], redix: b[i] };
    }
    return null;
  }

  private count(c: FuzzCommand, redisReply: Buffer): void {
    this.compared++;
    const name = c.argv[0].toUpperCase();
    const entry = this.stats.get(name) ?? [0, 0];
    entry[0]++;
    if (redisReply[0] === 45) entry[1]++;
    this.stats.set(name, entry);
  }

  /** Compares every database: its keys, and each key's type, value and TTL. */
  private async snapshot(history: FuzzCommand[]): Promise<Pick<FuzzMismatch, 'command' | 'redis' | 'redix'> | null> {
    const selected = this.db;
    const check = (argv: string[], mode: CompareMode = EXACT) => this.send({ argv, mode }, history);
    for (const db of DBS) {
      const bad = (await check(['SELECT', String(db)])) ?? (await check(['KEYS', '*'], UNORDERED));
      if (bad) return bad;
      const [keysReply] = await this.redisOnly(['KEYS', '*']);
      for (const key of bulkStrings(keysReply).sort()) {
        const typeBad = await check(['TYPE', key]);
        if (typeBad) return typeBad;
        const [type] = await this.redisOnly(['TYPE', key]);
        const kind = type.latin1Slice(1, type.length - 2);
        const valueBad = kind === 'string' ? await check(['GET', key]) : kind === 'hash' ? await check(['HGETALL', key], PAIRS) : null;
        const ttlBad = valueBad ?? (await check(['PTTL', key], { kind: 'near', tolerance: 1000 }));
        if (ttlBad) return ttlBad;
      }
    }
    return check(['SELECT', String(selected)]);
  }

  private async redisOnly(argv: string[]): Promise<Buffer[]> {
    return [await this.redis.command(argv.map((a) => Buffer.from(a, 'latin1')))];
  }

  /** LCS is quadratic: skip it when the two strings (as Redis holds them) are long. */
  private async lcsIsCheap([k1, k2]: [string, string]): Promise<boolean> {
    const [l1] = await this.redisOnly(['STRLEN', k1]);
    const [l2] = await this.redisOnly(['STRLEN', k2]);
    const n = (r: Buffer) => (r[0] === 58 ? Number(r.latin1Slice(1, r.length - 2)) : 0);
    return (n(l1) + 1) * (n(l2) + 1) <= LCS_MAX_CELLS;
  }

  /** Replays commands from an empty data set and tells whether the last one still mismatches. */
  async replayMismatches(commands: FuzzCommand[]): Promise<boolean> {
    await this.reset();
    let last: [Buffer, Buffer] | null = null;
    for (const c of commands) last = await this.both(c.argv);
    return last !== null && !sameReply(commands[commands.length - 1].mode, last[0], last[1]);
  }
}

function bulkStrings(reply: Buffer): string[] {
  const node = parseReply(reply);
  return (node.children ?? []).map((c) => {
    const start = c.raw.indexOf('\r\n') + 2;
    return c.raw.latin1Slice(start, c.raw.length - 2);
  });
}
