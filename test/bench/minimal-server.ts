/**
 * The ceiling a Node.js server can reach on this machine (issue 7's reference point): nothing but
 * RESP arrays parsed from each read, SET/GET/INCR/HSET answered from one Map, and every reply of
 * one read sent in one write. No validation, no expiry, no command table: it is not a server to
 * use, only the fastest shape of one, measured by `npm run bench` beside Redix and redis-server.
 * It reads as Redix does, into one shared buffer (with 'data' events it needs about 35 % more CPU
 * per request at pipeline 1: bench/README.md).
 *
 * Usage: node minimal-server.js <port>
 */
import net from 'node:net';
import { startReading } from '../../src/network/shared-read-buffer';

const store = new Map<string, string | Map<string, string>>();
const OK = Buffer.from('+OK\r\n');
const NIL = Buffer.from('$-1\r\n');
const EMPTY_ARRAY = Buffer.from('*0\r\n');

/** Parses complete commands from `buf` starting at 0; returns the offset of the first incomplete one. */
function serve(buf: Buffer, out: Buffer[]): number {
  let pos = 0;
  for (;;) {
    const start = pos;
    if (pos >= buf.length) return pos;
    if (buf[pos] !== 42 /* '*' */) return buf.length; // inline commands are not part of the ceiling
    let eol = buf.indexOf(13, pos);
    if (eol < 0 || eol + 1 >= buf.length) return start;
    const count = Number(buf.latin1Slice(pos + 1, eol));
    pos = eol + 2;
    const argv: string[] = [];
    for (let i = 0; i < count; i++) {
      eol = buf.indexOf(13, pos);
      if (eol < 0 || eol + 1 >= buf.length) return start;
      const len = Number(buf.latin1Slice(pos + 1, eol));
      pos = eol + 2;
      if (pos + len + 2 > buf.length) return start;
      argv.push(buf.latin1Slice(pos, pos + len));
      pos += len + 2;
    }
    out.push(execute(argv));
  }
}

function bulk(value: string): Buffer {
  return Buffer.from(`$${value.length}\r\n${value}\r\n`, 'latin1');
}

function execute(argv: string[]): Buffer {
  const name = argv[0].toLowerCase();
  if (name === 'set') {
    store.set(argv[1], argv[2]);
    return OK;
  }
  if (name === 'get') {
    const v = store.get(argv[1]);
    return typeof v === 'string' ? bulk(v) : NIL;
  }
  if (name === 'incr') {
    const n = Number(store.get(argv[1]) ?? 0) + 1;
    store.set(argv[1], String(n));
    return Buffer.from(`:${n}\r\n`);
  }
  if (name === 'hset') {
    let h = store.get(argv[1]);
    if (!(h instanceof Map)) store.set(argv[1], (h = new Map()));
    const added = h.has(argv[2]) ? 0 : 1;
    h.set(argv[2], argv[3]);
    return Buffer.from(`:${added}\r\n`);
  }
  // redis-benchmark asks CONFIG GET save/appendonly first; an empty answer is enough.
  return EMPTY_ARRAY;
}

const port = Number(process.argv[2]);
net.createServer({ pauseOnConnect: true }, (socket) => {
  socket.setNoDelay(true);
  let pending: Buffer | null = null;
  socket.on('error', () => socket.destroy());
  startReading(socket, (chunk: Buffer) => {
    const buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
    const out: Buffer[] = [];
    const used = serve(buf, out);
    // A copy: the chunk's memory is read into again.
    pending = used < buf.length ? Buffer.from(buf.subarray(used)) : null;
    if (out.length > 0) socket.write(out.length === 1 ? out[0] : Buffer.concat(out));
  });
}).listen(port, '127.0.0.1');
