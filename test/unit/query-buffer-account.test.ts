import { describe, expect, it } from 'vitest';
import { QueryBufferAccount } from '../../src/network/query-buffer-account';

/**
 * Redis's query-buffer sizing rules (readQueryFromClient, clientsCronResizeQueryBuffer) as the
 * account applies them; the differential test (test/integration/query-buffer.test.ts) checks the
 * common paths against redis-server, these the ones whose timing a socket cannot pin down.
 */
describe('QueryBufferAccount', () => {
  it('makes exact room for the first read, then grows greedily around an unfinished command', () => {
    const q = new QueryBufferAccount();
    q.beforeRead(0, 100, -1);
    expect(q.allocated).toBe(20474); // 16 kB + sds header + NUL, in jemalloc's 20 kB class
    q.afterParse(0, -1);
    // 18 kB of an unfinished 30 kB bulk are held: less than 16 kB free, so the room doubles.
    q.beforeRead(18000, 100, 30000);
    expect(q.allocated).toBe(81910); // (18000 + 16384) * 2 + 9 + 1 in the 80 kB class
    expect(q.free(18000)).toBe(81910 - 18000);
  });

  it('an unfinished command longer than one of our reads is room Redis grew to', () => {
    const q = new QueryBufferAccount();
    q.beforeRead(0, 65536, -1);
    q.afterParse(60000, -1);
    expect(q.allocated).toBeGreaterThanOrEqual(60000);
  });

  it('sizes for a big bulk, and keeps a buffer of its size once it is an argument', () => {
    const q = new QueryBufferAccount();
    q.beforeRead(0, 65536, -1);
    q.beforeRead(65000, 65536, 100000);
    expect(q.allocated).toBe(114678); // 100002 + 9 + 1 in the 112 kB class
    q.afterParse(0, 100000);
    expect(q.allocated).toBe(114678);
  });

  it('the cron trims a big, lightly used buffer to its recent peak, but not below an awaited bulk', () => {
    const q = new QueryBufferAccount();
    q.afterParse(0, 100000);
    q.cron(0, 0, -1); // the peak was the bulk itself: nothing to trim yet
    expect(q.allocated).toBe(114678);
    q.beforeRead(0, 200, -1);
    q.cron(0, 0, -1);
    expect(q.allocated).toBe(200);
    const r = new QueryBufferAccount();
    r.afterParse(0, 100000);
    r.cron(0, 0, -1);
    r.cron(0, 0, 50000); // a 50 kB bulk announced, none of its bytes here yet
    expect(r.allocated).toBe(50000); // trimmed, but to the bulk's length, not to the empty peak
  });

  it('frees the room of a client idle for more than two seconds, keeping what it holds', () => {
    const q = new QueryBufferAccount();
    q.beforeRead(0, 50, -1);
    q.afterParse(10, -1);
    q.cron(10, 2, -1);
    expect(q.allocated).toBe(20474);
    q.cron(10, 3, -1);
    expect(q.allocated).toBe(10);
    expect(q.free(10)).toBe(0);
  });

  it('leaves a buffer alone while less than 4 kB of it is free', () => {
    const q = new QueryBufferAccount();
    q.beforeRead(0, 50, -1);
    q.afterParse(17000, -1);
    q.cron(17000, 10, -1);
    expect(q.allocated).toBe(20474);
  });
});
