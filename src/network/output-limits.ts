import type { ConfigStore } from '../config/config-store';
import { parseMemory } from '../config/option-types';

/** One class of `client-output-buffer-limit`: bytes, and how long the soft limit may be exceeded. */
export interface OutputLimit {
  readonly hard: number;
  readonly soft: number;
  readonly softSeconds: number;
  /** The smaller of the limits that are set (0: none is): below it nothing needs checking. */
  readonly lowest: number;
}

const NONE: OutputLimit = { hard: 0, soft: 0, softSeconds: 0, lowest: 0 };

/**
 * `client-output-buffer-limit` as the kernel enforces it for normal and pubsub clients (replicas
 * have their own in the replication plugin), kept current on CONFIG SET.
 */
export class OutputLimits {
  normal: OutputLimit = NONE;
  pubsub: OutputLimit = NONE;

  constructor(config: ConfigStore) {
    this.apply(config.get<string>('client-output-buffer-limit'));
    config.onChange('client-output-buffer-limit', (value) => this.apply(String(value)));
  }

  private apply(text: string): void {
    // The option is normalized to "normal h s t slave h s t pubsub h s t" when set.
    const words = text.split(' ').filter((w) => w !== '');
    for (let i = 0; i + 3 < words.length; i += 4) {
      const hard = parseMemory(words[i + 1]) ?? 0;
      const soft = parseMemory(words[i + 2]) ?? 0;
      const lowest = hard === 0 ? soft : soft === 0 ? hard : Math.min(hard, soft);
      const limit = { hard, soft, softSeconds: Number(words[i + 3]), lowest };
      if (words[i] === 'normal') this.normal = limit;
      else if (words[i] === 'pubsub') this.pubsub = limit;
    }
  }
}

/**
 * Redis's checkClientOutputBufferLimits: over the hard limit, or over the soft limit continuously
 * for more than its seconds. `overSoftSince` is the client's own clock (0: not over), updated here.
 */
export function outputLimitReached(limit: OutputLimit, used: number, state: { overSoftSince: number }, now: number): boolean {
  if (limit.hard > 0 && used >= limit.hard) return true;
  if (limit.soft > 0 && used >= limit.soft) {
    if (state.overSoftSince === 0) {
      state.overSoftSince = now;
      return false;
    }
    // Whole seconds, as Redis compares server.unixtime.
    return Math.floor(now / 1000) - Math.floor(state.overSoftSince / 1000) > limit.softSeconds;
  }
  state.overSoftSince = 0;
  return false;
}
