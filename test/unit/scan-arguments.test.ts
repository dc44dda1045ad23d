import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScanCursorOrReply, parseScanOptionsOrReply, startServer, type CommandContext, type RedixServer } from '../../src/index';
import { parseScanCursor } from '../../src/commands/scan-arguments';

/**
 * The public SCAN argument helpers that SCAN, SSCAN, HSCAN and ZSCAN share, on a real internal
 * client of an embedded server, so the replies they write are the bytes a client would get.
 */
describe('parseScanCursor (strtoul, as Redis reads a cursor)', () => {
  it('reads decimal text up to a NUL, wraps negatives, refuses spaces, signs alone and overflow', () => {
    const cases: [string, string | null][] = [
      ['0', '0'], ['', '0'], ['00', '0'], ['-0', '0'], ['+7', '7'], ['0042', '42'], ['007', '7'],
      ['18446744073709551615', '18446744073709551615'], ['-1', '18446744073709551615'],
      ['18446744073709551616', null], ['-18446744073709551616', null],
      [' 1', null], ['1 ', null], ['\t1', null], ['abc', null], ['1.5', null], ['+', null], ['-', null], ['0x10', null],
      ['12\x00junk', '12'], ['\x00', '0'],
    ];
    for (const [text, expected] of cases) expect(parseScanCursor(Buffer.from(text, 'latin1')), JSON.stringify(text)).toBe(expected);
  });
});

describe('parseScanCursorOrReply / parseScanOptionsOrReply', () => {
  let server: RedixServer;
  let c: CommandContext;
  beforeAll(async () => {
    server = await startServer({ port: 0, bind: '127.0.0.1', save: '' }, { silent: true });
    c = server.createInternalClient({ keepReplies: true });
  });
  afterAll(() => server.shutdown());

  const args = (...words: string[]) => words.map((w) => Buffer.from(w, 'latin1'));
  /** The bytes written since the last call. */
  const replied = () => c.reply.takeView()?.toString('latin1') ?? '';

  it('replies ERR invalid cursor for a bad cursor, nothing for a good one', () => {
    expect(parseScanCursorOrReply(c, Buffer.from('x'))).toBeNull();
    expect(replied()).toBe('-ERR invalid cursor\r\n');
    expect(parseScanCursorOrReply(c, Buffer.from('-2'))).toBe('18446744073709551614');
    expect(replied()).toBe('');
  });

  it('reads MATCH, COUNT and (for SCAN) TYPE, the last of each winning', () => {
    const options = parseScanOptionsOrReply(c, args('SSCAN', 'k', '0', 'count', '5', 'MATCH', 'a*', 'COUNT', '7'), 3);
    expect(replied()).toBe('');
    expect(options?.count).toBe(7);
    expect(options?.match?.('abc')).toBe(true);
    expect(options?.match?.('bc')).toBe(false);
    expect(options?.type).toBeNull();
    expect(parseScanOptionsOrReply(c, args('SCAN', '0'), 2, true)).toEqual({ count: 10, match: null, type: null });
    // "*" matches everything, so no matcher runs, as in Redis.
    expect(parseScanOptionsOrReply(c, args('SCAN', '0', 'MATCH', '*', 'type', 'Hash'), 2, true)).toEqual({ count: 10, match: null, type: 'Hash' });
    // Counts beyond any collection's size are capped, whatever their 64-bit value.
    expect(parseScanOptionsOrReply(c, args('SCAN', '0', 'COUNT', '9223372036854775807'), 2, true)?.count).toBe(1_000_000_000);
    expect(replied()).toBe('');
  });

  it('replies Redis\'s errors: syntax error, not an integer, COUNT below 1, TYPE outside SCAN', () => {
    const cases: [string[], number, boolean, string][] = [
      [['SCAN', '0', 'COUNT'], 2, true, '-ERR syntax error\r\n'],
      [['SCAN', '0', 'FOO', 'bar'], 2, true, '-ERR syntax error\r\n'],
      [['SCAN', '0', 'COUNT', 'ten'], 2, true, '-ERR value is not an integer or out of range\r\n'],
      [['SCAN', '0', 'COUNT', '9223372036854775808'], 2, true, '-ERR value is not an integer or out of range\r\n'],
      [['SCAN', '0', 'COUNT', '0'], 2, true, '-ERR syntax error\r\n'],
      [['SCAN', '0', 'COUNT', '-3'], 2, true, '-ERR syntax error\r\n'],
      [['HSCAN', 'h', '0', 'TYPE', 'hash'], 3, false, '-ERR syntax error\r\n'],
      [['ZSCAN', 'z', '0', 'MATCH', 'a', 'COUNT'], 3, false, '-ERR syntax error\r\n'],
    ];
    for (const [argv, from, allowType, error] of cases) {
      expect(parseScanOptionsOrReply(c, args(...argv), from, allowType), argv.join(' ')).toBeNull();
      expect(replied(), argv.join(' ')).toBe(error);
    }
  });
});
