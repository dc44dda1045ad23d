import { describe, expect, it } from 'vitest';
import { ReplyBufferAccount, ReplyBufferSettings, replyListBytes } from '../../src/network/reply-buffer-account';

/** A wall-clock time in ms, as the cron passes Date.now(). */
const T = 1_800_000_000_000;

/** Redis's clientsCronResizeOutputBuffer rules, as CLIENT LIST's rbs/rbp follow them. */
describe('ReplyBufferAccount', () => {
  it('an idle client: the first visit resets the peak, the next shrinks to 1 kB and counts it', () => {
    const settings = new ReplyBufferSettings();
    const r = new ReplyBufferAccount();
    r.cron(T, 0, settings);
    expect([r.size, r.peak, settings.shrinks]).toEqual([16384, 0, 0]);
    r.cron(T + 100, 0, settings);
    expect([r.size, settings.shrinks]).toEqual([1024, 1]);
    r.cron(T + 200, 0, settings); // 1 kB is the floor
    expect([r.size, settings.shrinks]).toEqual([1024, 1]);
  });

  it('shrinks to the peak plus one in its jemalloc class, and doubles while replies fill it, up to 16 kB', () => {
    const settings = new ReplyBufferSettings();
    const r = new ReplyBufferAccount();
    r.cron(T, 0, settings); // the peak is reset at the first visit, then never again
    settings.peakResetTime = -1;
    r.wrote(3000);
    r.cron(T + 100, 0, settings);
    expect(r.size).toBe(3072); // 3001 in the 3 kB class
    for (const size of [6144, 12288, 16384]) {
      r.wrote(100_000);
      r.cron(T + 200, 0, settings);
      expect(r.size).toBe(size);
    }
    r.wrote(100_000);
    r.cron(T + 300, 0, settings);
    expect([r.size, settings.expands]).toEqual([16384, 3]);
  });

  it('changes nothing while DEBUG REPLYBUFFER RESIZING is 0', () => {
    const settings = new ReplyBufferSettings();
    settings.resizing = false;
    const r = new ReplyBufferAccount();
    r.cron(T, 0, settings);
    r.cron(T + 10_000, 0, settings);
    expect([r.size, r.peak]).toEqual([16384, 16384]);
  });

  it('counts output beyond the static buffer in whole 20 kB reply blocks, as Redis\'s omem', () => {
    expect(replyListBytes(16384, 16384)).toBe(0);
    expect(replyListBytes(16385, 16384)).toBe(20464);
    expect(replyListBytes(16384 + 20464 * 4 + 1, 16384)).toBe(20464 * 5);
    expect(replyListBytes(5000, 1024)).toBe(20464);
  });
});
