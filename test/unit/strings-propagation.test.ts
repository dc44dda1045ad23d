import { describe, expect, it } from 'vitest';
import { usePropagationHarness } from '../helpers/propagation';

/**
 * What the strings commands publish to the change feed (AOF, replicas): normalized forms with
 * absolute times, never a relative TTL or a GET option.
 */
describe('strings: propagation', () => {
  const h = usePropagationHarness();
  const run = h.run;

  /** Asserts argv is `prefix..., <abs ms>` with the time about `deltaMs` from now. */
  const expectAbsolute = (argv: string[], prefix: string[], deltaMs: bigint): void => {
    expect(argv.slice(0, prefix.length)).toEqual(prefix);
    const at = BigInt(argv[prefix.length]);
    const expected = BigInt(Date.now()) + deltaMs;
    expect(at > expected - 5000n && at <= expected).toBe(true);
  };

  it('SET is published as is, without GET, and with PXAT for any expire', async () => {
    const out = await run(['SET', 'a', '1'], ['SET', 'a', '2', 'GET', 'XX', 'get'], ['SET', 'a', '3', 'EX', '100'], ['SET', 'a', '4', 'px', '5000', 'GET'], ['SET', 'a', '5', 'EXAT', '4102444800'], ['SET', 'a', '6', 'PXAT', '4102444800123'], ['SET', 'a', '7', 'NX']);
    expect(out[0]).toEqual(['SET', 'a', '1']);
    expect(out[1]).toEqual(['SET', 'a', '2', 'XX']);
    expectAbsolute(out[2], ['SET', 'a', '3', 'PXAT'], 100_000n);
    expectAbsolute(out[3], ['SET', 'a', '4', 'PXAT'], 5000n);
    expect(out[4]).toEqual(['SET', 'a', '5', 'PXAT', '4102444800000']);
    expect(out[5]).toEqual(['SET', 'a', '6', 'PXAT', '4102444800123']);
    expect(out).toHaveLength(6);
  });

  it('keeps expire times past 2^53 exact', async () => {
    const out = await run(['SET', 'a', 'v', 'EX', '9000000000000000'], ['SET', 'b', 'v', 'PXAT', '9223372036854775807']);
    expectAbsolute(out[0], ['SET', 'a', 'v', 'PXAT'], 9000000000000000000n);
    expect(out[1]).toEqual(['SET', 'b', 'v', 'PXAT', '9223372036854775807']);
  });

  it('SETEX, PSETEX and GETSET become SET', async () => {
    const out = await run(['SETEX', 'a', '100', 'v'], ['PSETEX', 'b', '100', 'w'], ['GETSET', 'a', 'x'], ['SETNX', 'c', 'y']);
    expectAbsolute(out[0], ['SET', 'a', 'v', 'PXAT'], 100_000n);
    expectAbsolute(out[1], ['SET', 'b', 'w', 'PXAT'], 100n);
    expect(out[2]).toEqual(['SET', 'a', 'x']);
    expect(out[3]).toEqual(['SETNX', 'c', 'y']);
  });

  it('GETDEL becomes DEL; GETEX becomes PEXPIREAT, PERSIST or DEL', async () => {
    const out = await run(
      ['SET', 'a', 'v'], ['GETDEL', 'a'], ['GETDEL', 'a'],
      ['SET', 'b', 'v'], ['GETEX', 'b'], ['GETEX', 'b', 'PERSIST'], ['GETEX', 'b', 'EX', '100'], ['GETEX', 'b', 'PERSIST'],
      ['GETEX', 'b', 'EXAT', '4102444800'], ['GETEX', 'b', 'PXAT', '1'],
    );
    expect(out[0]).toEqual(['SET', 'a', 'v']);
    expect(out[1]).toEqual(['DEL', 'a']);
    expect(out[2]).toEqual(['SET', 'b', 'v']);
    expectAbsolute(out[3], ['PEXPIREAT', 'b'], 100_000n);
    expect(out[4]).toEqual(['PERSIST', 'b']);
    expect(out[5]).toEqual(['PEXPIREAT', 'b', '4102444800000']);
    expect(out[6]).toEqual(['DEL', 'b']);
    expect(out).toHaveLength(7);
  });

  it('INCRBYFLOAT becomes SET ... KEEPTTL; counters and ranges are published as is', async () => {
    const out = await run(['INCRBYFLOAT', 'f', '10.5'], ['INCRBYFLOAT', 'f', '0.1'], ['INCR', 'n'], ['INCRBY', 'n', '5'], ['APPEND', 's', 'ab'], ['SETRANGE', 's', '1', 'X'], ['SETRANGE', 's', '1', ''], ['MSET', 'x', '1', 'y', '2'], ['MSETNX', 'x', '1', 'z', '3']);
    expect(out).toEqual([
      ['SET', 'f', '10.5', 'KEEPTTL'],
      ['SET', 'f', '10.6', 'KEEPTTL'],
      ['INCR', 'n'],
      ['INCRBY', 'n', '5'],
      ['APPEND', 's', 'ab'],
      ['SETRANGE', 's', '1', 'X'],
      ['MSET', 'x', '1', 'y', '2'],
    ]);
  });

  it('failed or read-only commands publish nothing', async () => {
    await h.conn.command(['SET', 'k', 'v']);
    h.clear();
    const out = await run(['GET', 'k'], ['SET', 'k', 'v', 'NX'], ['SET', 'k', 'v', 'EX', '0'], ['INCR', 'k'], ['MGET', 'k'], ['GETRANGE', 'k', '0', '1'], ['LCS', 'k', 'k'], ['SETRANGE', 'k', '-1', 'x']);
    expect(out).toEqual([]);
  });

  it('a key whose PXAT already passed reads as missing and its deletion is published', async () => {
    const out = await run(['SET', 'p', 'v', 'PXAT', '1'], ['GET', 'p']);
    expect(out).toEqual([['SET', 'p', 'v', 'PXAT', '1'], ['DEL', 'p']]);
  });

  it('KEEPTTL does not revive the TTL of an expired key', async () => {
    await run(['SET', 't', 'v', 'PX', '20']);
    await new Promise((r) => setTimeout(r, 50));
    await h.conn.command(['SET', 't', 'w', 'KEEPTTL']);
    const reply = await h.conn.command(['GET', 't']);
    expect(reply.toString()).toBe('$1\r\nw\r\n');
  });
});
