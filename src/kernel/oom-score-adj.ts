import { readFileSync, writeFileSync } from 'node:fs';
import type { ConfigStore } from '../config/config-store';
import type { HostPort } from '../config/option-types';
import type { Logger } from '../logging/logger';

const PROC_FILE = '/proc/self/oom_score_adj';

/** CONFIG SET's error when the kernel refuses the score (Redis's updateOOMScoreAdj text). */
export const OOM_SCORE_ADJ_FAILED = 'Failed to set current oom_score_adj. Check server logs.';

/**
 * oom-score-adj and oom-score-adj-values, as Redis's setOOMScoreAdj: while enabled, the process's
 * /proc oom_score_adj is the value of its class (master, replica) added to the score it had before
 * (relative) or alone (absolute), within -1000..1000; disabling puts the score it had back. Redix
 * saves without a child process, so the third class (background child) has no process to apply to.
 */
export class OomScoreAdjuster {
  /** Whether we changed the score, and what it was before. */
  private adjusted = false;
  private base = 0;

  constructor(
    private readonly config: ConfigStore,
    private readonly logger: Logger,
  ) {}

  /** Applies the current settings; false (logged) when /proc could not be read or written. */
  apply(): boolean {
    const mode = this.config.get<string>('oom-score-adj');
    let score: number;
    if (mode !== 'no') {
      if (!this.adjusted) {
        try {
          this.base = Number.parseInt(readFileSync(PROC_FILE, 'latin1'), 10) || 0;
        } catch (e) {
          this.logger.warning(`Unable to read oom_score_adj: ${(e as Error).message}`);
          return false;
        }
        this.adjusted = true;
      }
      const values = this.config.get<string>('oom-score-adj-values').split(' ').map(Number);
      const replica = this.config.get<HostPort | null>('replicaof') !== null;
      score = values[replica ? 1 : 0] + (mode === 'absolute' ? 0 : this.base);
      score = Math.max(-1000, Math.min(1000, score));
    } else if (this.adjusted) {
      this.adjusted = false;
      score = this.base;
    } else {
      return true;
    }
    try {
      writeFileSync(PROC_FILE, `${score}\n`);
    } catch (e) {
      this.logger.warning(`Unable to write oom_score_adj: ${(e as Error).message}`);
      return false;
    }
    return true;
  }
}
