import type { ConfigStore } from '../config/config-store';

/** One SLOWLOG entry, as Redis 7.0 records it. */
export interface SlowlogEntry {
  id: number;
  /** Unix seconds when it was logged. */
  time: number;
  /** Microseconds the command ran (not counting I/O or time spent blocked). */
  duration: number;
  /** The arguments, at most 32 and 128 bytes each, with Redis's "... (N more ...)" markers. */
  argv: Buffer[];
  peer: string;
  name: string;
}

const MAX_ARGC = 32;
const MAX_STRING = 128;

/**
 * The slow log (Redis's slowlog.c): commands that ran at least `slowlog-log-slower-than`
 * microseconds (0: all, -1: none), newest first, at most `slowlog-max-len`.
 */
export class Slowlog {
  /** Newest first. */
  entries: SlowlogEntry[] = [];
  private nextId = 0;
  /** slowlog-log-slower-than, current: the dispatcher times every command while it is >= 0. */
  threshold: number;
  private maxLen: number;

  constructor(config: ConfigStore) {
    this.threshold = config.get<number>('slowlog-log-slower-than');
    this.maxLen = config.get<number>('slowlog-max-len');
    config.onChange('slowlog-log-slower-than', (v) => (this.threshold = Number(v)));
    config.onChange('slowlog-max-len', (v) => {
      this.maxLen = Number(v);
      this.trim();
    });
  }

  /** slowlogPushEntryIfNeeded. `redacted` argument indexes show as "(redacted)". */
  push(argv: readonly (Buffer | string)[], durationUs: number, peer: string, name: string, redacted: ReadonlySet<number> | null): void {
    if (this.threshold < 0 || durationUs < this.threshold) return;
    const argc = Math.min(argv.length, MAX_ARGC);
    const logged: Buffer[] = [];
    for (let j = 0; j < argc; j++) {
      if (argc !== argv.length && j === argc - 1) {
        logged.push(Buffer.from(`... (${argv.length - argc + 1} more arguments)`));
        continue;
      }
      if (redacted !== null && redacted.has(j)) {
        logged.push(Buffer.from('(redacted)'));
        continue;
      }
      const a = typeof argv[j] === 'string' ? Buffer.from(argv[j] as string, 'latin1') : Buffer.from(argv[j] as Buffer);
      logged.push(a.length > MAX_STRING ? Buffer.concat([a.subarray(0, MAX_STRING), Buffer.from(`... (${a.length - MAX_STRING} more bytes)`)]) : a);
    }
    this.entries.unshift({ id: this.nextId++, time: Math.floor(Date.now() / 1000), duration: durationUs, argv: logged, peer, name });
    this.trim();
  }

  reset(): void {
    this.entries = [];
  }

  private trim(): void {
    if (this.entries.length > this.maxLen) this.entries.length = this.maxLen;
  }
}
