import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAofFile, type ReadEnd } from '../../plugins/aof/aof-reader';
import { encodeCommand } from '../helpers/raw-connection';

const dir = mkdtempSync(join(tmpdir(), 'redix-aof-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCounter = 0;
async function read(bytes: Buffer): Promise<{ commands: string[][]; ends: number[]; end: ReadEnd }> {
  const file = join(dir, `f${fileCounter++}.aof`);
  writeFileSync(file, bytes);
  const commands: string[][] = [];
  const ends: number[] = [];
  const end = await readAofFile(file, (argv, endOffset) => {
    commands.push(argv.map((a) => a.toString('latin1')));
    ends.push(endOffset);
  }, async () => undefined);
  return { commands, ends, end };
}

describe('aof reader', () => {
  const select = encodeCommand(['SELECT', '0']);
  const set = encodeCommand(['SET', 'key', 'value\r\nwith crlf']);
  const whole = Buffer.concat([select, Buffer.from('#TS:1700000000\r\n'), set]);

  it('reads commands with the offset just past each one, skipping annotations', async () => {
    const { commands, ends, end } = await read(whole);
    expect(end).toEqual({ kind: 'complete' });
    expect(commands).toEqual([['SELECT', '0'], ['SET', 'key', 'value\r\nwith crlf']]);
    expect(ends).toEqual([select.length, whole.length]);
  });

  it('reports a file cut at any byte as truncated after the last whole command', async () => {
    for (let cut = 1; cut < whole.length; cut++) {
      const { commands, end } = await read(whole.subarray(0, cut));
      if (cut === select.length || cut === select.length + 16) {
        expect(end.kind).toBe('complete');
        continue;
      }
      expect(end.kind, `cut at ${cut}`).toBe('truncated');
      expect(commands.length).toBe(cut < select.length ? 0 : 1);
    }
  });

  it('reports garbage as corruption at its byte offset', async () => {
    const cases: [Buffer, number, string][] = [
      [Buffer.concat([select, Buffer.from('SET a b\r\n'), set]), select.length, "expected '*'"],
      [Buffer.concat([select, Buffer.from('*2\r\n$3\r\nGET\r\n:1\r\n')]), select.length + 13, "expected '$'"],
      [Buffer.concat([select, Buffer.from('*1\r\n$3\r\nGETxx')]), select.length + 11, 'expected CRLF'],
      [Buffer.concat([select, Buffer.from('*0\r\n')]), select.length, 'invalid multibulk count'],
      [Buffer.concat([select, Buffer.from('*x\r\n')]), select.length, 'invalid multibulk count'],
      [Buffer.concat([select, Buffer.alloc(64)]), select.length, "expected '*', got '\\x00'"],
    ];
    for (const [bytes, offset, reason] of cases) {
      const { end, commands } = await read(bytes);
      expect(end.kind).toBe('corrupt');
      if (end.kind !== 'corrupt') continue;
      expect(end.offset).toBe(offset);
      expect(end.reason).toContain(reason);
      expect(commands).toEqual([['SELECT', '0']]);
    }
  });

  it('reads commands and values larger than one read chunk', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'x');
    const many: Buffer[] = [];
    for (let i = 0; i < 50_000; i++) many.push(encodeCommand(['SET', `k${i}`, `v${i}`]));
    const bytes = Buffer.concat([...many, encodeCommand(['SET', 'big', big]), select]);
    const { commands, end } = await read(bytes);
    expect(end.kind).toBe('complete');
    expect(commands.length).toBe(50_002);
    expect(commands[50_000][2].length).toBe(big.length);
    expect(commands[49_999]).toEqual(['SET', 'k49999', 'v49999']);
  });

  it('recognizes an RDB base or preamble', async () => {
    const { end } = await read(Buffer.from('REDIS0010\xfa\x09redis-ver', 'latin1'));
    expect(end.kind).toBe('rdb');
  });
});
