import { RequestParser } from '../../src/protocol/request-parser';
import { encodeCommand } from '../helpers/raw-connection';

export interface ParserResult {
  case: string;
  mbPerSecond: number;
  commandsPerSecond: number;
}

/** Feeds the same input repeatedly for about `ms` milliseconds; returns throughput. */
function measure(name: string, input: Buffer, commandsPerInput: number, ms: number, chunkSize: number): ParserResult {
  let commands = 0;
  const parser = new RequestParser({ onCommand: () => void commands++ });
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunkSize) chunks.push(input.subarray(i, i + chunkSize));
  let bytes = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (const chunk of chunks) parser.feed(chunk);
    bytes += input.length;
    elapsed = performance.now() - start;
  }
  if (commands % commandsPerInput !== 0) throw new Error(`${name}: parser lost commands`);
  return { case: name, mbPerSecond: bytes / 1e6 / (elapsed / 1000), commandsPerSecond: commands / (elapsed / 1000) };
}

/** Parser micro-benchmark: pipelined small commands, a 1 MB bulk, large arrays. */
export function parserBenchmark(quick: boolean): ParserResult[] {
  const ms = quick ? 300 : 1500;
  const small = Buffer.concat(Array.from({ length: 1000 }, (_, i) => encodeCommand(['SET', `key:${i}`, 'x'.repeat(64)])));
  const bulk = encodeCommand(['SET', 'big', Buffer.alloc(1024 * 1024, 0x61)]);
  const wide = encodeCommand(['MSET', ...Array.from({ length: 2000 }, (_, i) => `k${i}`)]);
  return [
    measure('1000 pipelined SETs (64-byte values), 16 KB reads', small, 1000, ms, 16 * 1024),
    measure('1 MB bulk value, 64 KB reads', bulk, 1, ms, 64 * 1024),
    measure('MSET with 2000 arguments, 16 KB reads', wide, 1, ms, 16 * 1024),
  ];
}
