import { describe, expect, it } from 'vitest';
import { MasterStreamParser, StreamProtocolError } from '../../plugins/replication/master-stream-parser';
import { ReplicationBacklog } from '../../plugins/replication/replication-backlog';
import { replicaOutputLimit } from '../../plugins/replication/output-buffer-limit';
import { ackCommand, encodeCommand, selectCommand } from '../../plugins/replication/stream-encoding';

function collect(parser: MasterStreamParser, chunks: Buffer[]): { argv: string[]; raw: string }[] {
  const out: { argv: string[]; raw: string }[] = [];
  for (const chunk of chunks) {
    parser.feed(chunk, (argv, raw) => out.push({ argv: argv.map((a) => a.toString('latin1')), raw: raw.toString('latin1') }));
  }
  return out;
}

describe('replication stream encoding', () => {
  it('encodes commands as Redis propagates them, byte for byte', () => {
    expect(encodeCommand(['SET', 'k', Buffer.from('v\r\n')]).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\r\n\r\n');
    expect(encodeCommand(['DEL', '\xff\x00']).toString('latin1')).toBe('*2\r\n$3\r\nDEL\r\n$2\r\n\xff\x00\r\n');
    expect(encodeCommand(['X', '']).toString('latin1')).toBe('*2\r\n$1\r\nX\r\n$0\r\n\r\n');
    expect(selectCommand(3).toString()).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n');
    expect(selectCommand(123).toString()).toBe('*2\r\n$6\r\nSELECT\r\n$3\r\n123\r\n');
    expect(ackCommand(1234).toString()).toBe('*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$4\r\n1234\r\n');
    const long = 'x'.repeat(12345);
    expect(encodeCommand(['SET', long, long]).length).toBe(4 + 9 + 2 * (8 + 12345 + 2));
  });
});

describe('master stream parser', () => {
  const stream = Buffer.concat([
    encodeCommand(['SELECT', '0']),
    encodeCommand(['SET', 'key', 'a\r\nb']),
    Buffer.from('\n'), // a keepalive newline between commands
    encodeCommand(['PING']),
    encodeCommand(['HSET', 'h', 'f', Buffer.alloc(70_000, 7)]),
    encodeCommand(['REPLCONF', 'GETACK', '*']),
  ]);
  const whole = collect(new MasterStreamParser(), [stream]);

  it('yields each command with its exact bytes', () => {
    expect(whole.map((c) => c.argv[0])).toEqual(['SELECT', 'SET', 'PING', 'HSET', 'REPLCONF']);
    expect(whole[1].argv).toEqual(['SET', 'key', 'a\r\nb']);
    expect(whole[3].argv[3].length).toBe(70_000);
    expect(whole.map((c) => c.raw).join('').length).toBe(stream.length - 1);
    expect(whole[2].raw).toBe('*1\r\n$4\r\nPING\r\n');
  });

  it('gives the same commands however the stream is split (every split point, and byte by byte)', () => {
    const small = stream.subarray(0, 80);
    const expected = collect(new MasterStreamParser(), [small]);
    for (let i = 0; i <= small.length; i++) {
      expect(collect(new MasterStreamParser(), [small.subarray(0, i), small.subarray(i)])).toEqual(expected);
    }
    const bytes: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) bytes.push(stream.subarray(i, i + 1));
    expect(collect(new MasterStreamParser(), bytes)).toEqual(whole);
    const pieces: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 997) pieces.push(stream.subarray(i, i + 997));
    expect(collect(new MasterStreamParser(), pieces)).toEqual(whole);
  });

  it('counts bytes of an incomplete command as pending', () => {
    const parser = new MasterStreamParser();
    collect(parser, [stream.subarray(0, 30)]);
    expect(parser.pendingBytes).toBe(30 - encodeCommand(['SELECT', '0']).length);
  });

  it('refuses inline commands and malformed lengths (a desynchronized stream)', () => {
    expect(() => collect(new MasterStreamParser(), [Buffer.from('SET a b\r\n')])).toThrow(StreamProtocolError);
    expect(() => collect(new MasterStreamParser(), [Buffer.from('*1\r\n$x\r\n')])).toThrow(StreamProtocolError);
    expect(() => collect(new MasterStreamParser(), [Buffer.from('*1\r\n:1\r\n')])).toThrow(StreamProtocolError);
  });

  it('stops delivering once stopped', () => {
    const parser = new MasterStreamParser();
    const seen: string[] = [];
    parser.feed(stream, (argv) => {
      seen.push(argv[0].toString());
      if (seen.length === 2) parser.stop();
    });
    expect(seen).toEqual(['SELECT', 'SET']);
  });
});

describe('replication backlog', () => {
  it('keeps the last `size` bytes across wrap-arounds', () => {
    const backlog = new ReplicationBacklog(10);
    backlog.append(Buffer.from('abcdef'));
    expect(backlog.histlen).toBe(6);
    expect(Buffer.concat(backlog.tail(6)).toString()).toBe('abcdef');
    backlog.append(Buffer.from('ghijkl'));
    expect(backlog.histlen).toBe(10);
    expect(Buffer.concat(backlog.tail(10)).toString()).toBe('cdefghijkl');
    expect(Buffer.concat(backlog.tail(3)).toString()).toBe('jkl');
    backlog.append(Buffer.from('0123456789ABC'));
    expect(Buffer.concat(backlog.tail(10)).toString()).toBe('3456789ABC');
    expect(backlog.tail(0)).toEqual([]);
  });

  it('keeps the newest bytes when resized', () => {
    const backlog = new ReplicationBacklog(8);
    backlog.append(Buffer.from('abcdefghij'));
    const smaller = backlog.resized(4);
    expect(Buffer.concat(smaller.tail(4)).toString()).toBe('ghij');
    const bigger = backlog.resized(20);
    expect(bigger.histlen).toBe(8);
    bigger.append(Buffer.from('XY'));
    expect(Buffer.concat(bigger.tail(10)).toString()).toBe('cdefghijXY');
  });

  it('returns copies that later appends do not change', () => {
    const backlog = new ReplicationBacklog(4);
    backlog.append(Buffer.from('abcd'));
    const tail = Buffer.concat(backlog.tail(4));
    backlog.append(Buffer.from('zzzz'));
    expect(tail.toString()).toBe('abcd');
  });
});

describe('client-output-buffer-limit for replicas', () => {
  it('reads the slave/replica class, with memory units', () => {
    expect(replicaOutputLimit('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60')).toEqual({ hardBytes: 268435456, softBytes: 67108864, softSeconds: 60 });
    expect(replicaOutputLimit('replica 1mb 64kb 5')).toEqual({ hardBytes: 1024 * 1024, softBytes: 64 * 1024, softSeconds: 5 });
    expect(replicaOutputLimit('normal 0 0 0')).toEqual({ hardBytes: 268435456, softBytes: 67108864, softSeconds: 60 });
  });
});
