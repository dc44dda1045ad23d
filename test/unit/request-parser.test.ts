import { describe, expect, it } from 'vitest';
import { ProtocolError, RequestParser } from '../../src/protocol/request-parser';

interface Outcome {
  commands: string[][];
  error: string | null;
}

/** One buffer every chunk is read into, as the server's shared read buffer. */
const readBuffer = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * Feeds `chunks` to a fresh parser; arguments are copied since they are slices of the input. With
 * `transient`, each chunk arrives in the one read buffer, overwritten with garbage after each feed.
 */
function parse(chunks: Buffer[], transient = false): Outcome {
  const commands: string[][] = [];
  const parser = new RequestParser({ onCommand: (argv) => commands.push(argv.map((a) => a.toString('latin1'))) });
  parser.transientInput = transient;
  try {
    for (const chunk of chunks) {
      if (!transient) {
        parser.feed(chunk);
        continue;
      }
      chunk.copy(readBuffer);
      try {
        parser.feed(readBuffer.subarray(0, chunk.length));
      } finally {
        readBuffer.fill(0xee);
      }
    }
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return { commands, error: e.message };
  }
  return { commands, error: null };
}

/**
 * The same input whole, split at every single byte boundary, and byte by byte: all must agree,
 * from fresh chunks and from one reused read buffer.
 */
function expectAtEverySplit(input: string, expected: Outcome): void {
  const bytes = Buffer.from(input, 'latin1');
  for (const transient of [false, true]) {
    expect(parse([bytes], transient)).toEqual(expected);
    for (let i = 1; i < bytes.length; i++) {
      expect(parse([bytes.subarray(0, i), bytes.subarray(i)], transient), `split at ${i}, transient ${transient}`).toEqual(expected);
    }
    const single: Buffer[] = [];
    for (let i = 0; i < bytes.length; i++) single.push(bytes.subarray(i, i + 1));
    expect(parse(single, transient), `byte by byte, transient ${transient}`).toEqual(expected);
  }
}

const ok = (...commands: string[][]): Outcome => ({ commands, error: null });
const fails = (error: string, ...commands: string[][]): Outcome => ({ commands, error });

describe('RequestParser', () => {
  const cases: [string, string, Outcome][] = [
    ['one multibulk', '*1\r\n$4\r\nPING\r\n', ok(['PING'])],
    ['arguments', '*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n', ok(['SET', 'key', 'value'])],
    ['empty bulk', '*2\r\n$3\r\nGET\r\n$0\r\n\r\n', ok(['GET', ''])],
    ['binary bytes: NUL, CR, LF, 0xff', '*2\r\n$4\r\nECHO\r\n$5\r\n\x00\r\n\xff\x80\r\n', ok(['ECHO', '\x00\r\n\xff\x80'])],
    ['pipelined', '*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n', ok(['PING'], ['ECHO', 'x'])],
    ['empty multibulk is skipped', '*0\r\n*1\r\n$4\r\nPING\r\n', ok(['PING'])],
    ['negative multibulk is skipped', '*-1\r\n*1\r\n$4\r\nPING\r\n', ok(['PING'])],
    ['inline', 'PING\r\n', ok(['PING'])],
    ['inline with LF only', 'SET a b\n', ok(['SET', 'a', 'b'])],
    ['inline quoted', 'SET "a b" \'c d\' "\\x41\\n"\r\n', ok(['SET', 'a b', 'c d', 'A\n'])],
    ['inline empty line is skipped', '\r\nPING\r\n', ok(['PING'])],
    ['inline then multibulk', 'PING\r\n*1\r\n$4\r\nPING\r\n', ok(['PING'], ['PING'])],
    ['unbalanced quotes', 'SET "a b\r\n', fails('Protocol error: unbalanced quotes in request')],
    ['invalid multibulk length', '*abc\r\n', fails('Protocol error: invalid multibulk length')],
    ['invalid bulk length', '*1\r\n$-5\r\n', fails('Protocol error: invalid bulk length')],
    ['non-numeric bulk length', '*1\r\n$x\r\n', fails('Protocol error: invalid bulk length')],
    ['expected $', '*1\r\n+PING\r\n', fails("Protocol error: expected '$', got '+'")],
    ['leading zero in a multibulk length', '*01\r\n$4\r\nPING\r\n', fails('Protocol error: invalid multibulk length')],
    ['leading zero in a bulk length', '*1\r\n$04\r\nPING\r\n', fails('Protocol error: invalid bulk length')],
    ['minus zero bulk length', '*1\r\n$-0\r\n', fails('Protocol error: invalid bulk length')],
    ['plus sign in a length', '*+1\r\n', fails('Protocol error: invalid multibulk length')],
    ['LF without CR after a length', '*1\n$4\r\nPING\r\n', fails('Protocol error: invalid multibulk length')],
    ['zero-length bulk via "0"', '*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', ok(['ECHO', ''])],
    ['commands before an error are kept', '*1\r\n$4\r\nPING\r\n*1\r\n:1\r\n', fails("Protocol error: expected '$', got ':'", ['PING'])],
  ];
  for (const [name, input, expected] of cases) {
    it(`${name} (whole, at every split, byte by byte)`, () => expectAtEverySplit(input, expected));
  }

  it('answers thousands of pipelined commands from one read, in order', () => {
    const n = 10_000;
    const input = Buffer.from(Array.from({ length: n }, (_, i) => `*2\r\n$4\r\nECHO\r\n$${String(i).length}\r\n${i}\r\n`).join(''));
    const out = parse([input]);
    expect(out.commands.length).toBe(n);
    expect(out.commands[n - 1]).toEqual(['ECHO', String(n - 1)]);
  });

  it('accepts a large bulk arriving in many chunks without reallocating per chunk', () => {
    const size = 3 * 1024 * 1024;
    const payload = Buffer.alloc(size);
    for (let i = 0; i < size; i++) payload[i] = 97 + (i % 23);
    const input = Buffer.concat([Buffer.from(`*2\r\n$3\r\nSET\r\n$${size}\r\n`), payload, Buffer.from('\r\n')]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < input.length; i += 65536) chunks.push(input.subarray(i, i + 65536));
    for (const transient of [false, true]) {
      const out = parse(chunks, transient);
      expect(out.error).toBeNull();
      expect(out.commands[0][1] === payload.latin1Slice(0, size), `transient ${transient}`).toBe(true);
    }
  });

  it('keeps pipelined commands cut at arbitrary read boundaries of one reused buffer', () => {
    const commands = Array.from({ length: 2000 }, (_, i) => ['SET', `key:${i}`, 'v'.repeat(i % 97)]);
    const input = Buffer.from(commands.map((c) => `*3\r\n${c.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`).join(''), 'latin1');
    const chunks: Buffer[] = [];
    // Read sizes that are not multiples of anything in the input.
    for (let i = 0, n = 1; i < input.length; i += n, n = (n * 7 + 3) % 1500 + 1) chunks.push(input.subarray(i, i + n));
    expect(parse(chunks, true)).toEqual(ok(...commands));
  });

  it('reads a declared 512 MB bulk into one buffer of that size, whose pages fill only as bytes arrive', () => {
    const parser = new RequestParser({ onCommand: () => undefined });
    const before = process.memoryUsage();
    parser.feed(Buffer.from(`*2\r\n$3\r\nSET\r\n$${512 * 1024 * 1024}\r\nabc`));
    const after = process.memoryUsage();
    // One allocation of the announced size, as Redis reads a big argument (no chunks, no concat)
    // (the counter is process-wide: a GC the allocation provokes may free others' garbage buffers,
    // seen up to ~3 MB, so the bound leaves 16 MB; reading in chunks would show a few bytes)...
    expect(after.arrayBuffers - before.arrayBuffers).toBeGreaterThanOrEqual(496 * 1024 * 1024);
    // ...that costs no resident memory before the bytes come.
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
    expect(parser.bufferedBytes).toBe(3);
    expect(parser.idle).toBe(false);
  });

  it('refuses a bulk longer than proto-max-bulk-len', () => {
    const out = parse([Buffer.from(`*1\r\n$${512 * 1024 * 1024 + 1}\r\n`)]);
    expect(out.error).toBe('Protocol error: invalid bulk length');
  });

  it('refuses an endless inline request', () => {
    const out = parse([Buffer.alloc(70 * 1024, 0x61)]);
    expect(out.error).toBe('Protocol error: too big inline request');
  });

  it('limits what an unauthenticated client may send', () => {
    const parser = new RequestParser({ onCommand: () => undefined });
    parser.authenticated = false;
    expect(() => parser.feed(Buffer.from('*11\r\n'))).toThrow('Protocol error: unauthenticated multibulk length');
  });
});
