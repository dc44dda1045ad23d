import type { PropagatedArg } from 'redix-server';

const CR = 13;
const LF = 10;

function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/**
 * A command as the replication stream carries it: a RESP multibulk, arguments byte for byte
 * (latin1 strings are bytes). Offsets count these bytes exactly, as Redis's do.
 */
export function encodeCommand(argv: readonly PropagatedArg[]): Buffer {
  let size = 3 + digits(argv.length);
  for (let i = 0; i < argv.length; i++) {
    const n = argv[i].length;
    size += 5 + digits(n) + n;
  }
  const out = Buffer.allocUnsafe(size);
  out[0] = 42; // '*'
  let p = 1 + out.latin1Write(String(argv.length), 1);
  out[p++] = CR;
  out[p++] = LF;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    out[p++] = 36; // '$'
    p += out.latin1Write(String(arg.length), p);
    out[p++] = CR;
    out[p++] = LF;
    p += typeof arg === 'string' ? out.latin1Write(arg, p) : arg.copy(out, p);
    out[p++] = CR;
    out[p++] = LF;
  }
  return out;
}

const SELECTS: Buffer[] = [];

/** SELECT n, pre-encoded for the first databases (emitted whenever the stream changes database). */
export function selectCommand(dbIndex: number): Buffer {
  if (dbIndex < 16) return (SELECTS[dbIndex] ??= encodeCommand(['SELECT', String(dbIndex)]));
  return encodeCommand(['SELECT', String(dbIndex)]);
}

export const PING_COMMAND = encodeCommand(['PING']);
export const GETACK_COMMAND = encodeCommand(['REPLCONF', 'GETACK', '*']);

/** REPLCONF ACK <offset>, what a replica sends its master. */
export function ackCommand(offset: number): Buffer {
  return encodeCommand(['REPLCONF', 'ACK', String(offset)]);
}
