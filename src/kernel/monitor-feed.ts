import { quoteArgument } from '../protocol/repr';

/** What MONITOR needs of a connection. */
export interface MonitorTarget {
  deliver(frame: Buffer): void;
}

/** A command's source as MONITOR shows it. */
export interface MonitoredSource {
  readonly address: string;
  readonly isScript?: boolean;
}

/**
 * MONITOR (Redis's replicationFeedMonitors): every command that ran, as one status line per
 * command, `+<unix seconds>.<micros> [<db> <client address>] "arg" ...`, each argument quoted as
 * sdscatrepr does. Secrets the command redacted (AUTH, HELLO AUTH) show as "(redacted)".
 */
export class MonitorFeed {
  readonly monitors = new Set<MonitorTarget>();

  get active(): boolean {
    return this.monitors.size !== 0;
  }

  feed(source: MonitoredSource, dbIndex: number, argv: readonly (Buffer | string)[], redacted: ReadonlySet<number> | null): void {
    const now = Date.now();
    const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000) % 1_000_000;
    let line = `+${Math.floor(now / 1000)}.${String(micros).padStart(6, '0')} [${dbIndex} ${source.isScript === true ? 'lua' : source.address}]`;
    for (let i = 0; i < argv.length; i++) {
      line += ' ' + (redacted !== null && redacted.has(i) ? '"(redacted)"' : quoteArgument(argv[i]));
    }
    const frame = Buffer.from(line + '\r\n', 'latin1');
    for (const m of this.monitors) m.deliver(frame);
  }
}
