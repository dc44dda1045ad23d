/**
 * Byte strings that exercise every decision of liblzf's compressor: sizes around Redis's 20-byte
 * threshold and its "saves 4 bytes" output limit, literal runs of 32, matches of 264 bytes and at
 * 8 KiB distances, runs, text, random data, and a few megabytes of each.
 */

/** A deterministic byte generator (xorshift32), so every run compares the same inputs. */
export function seededBytes(seed: number): (n: number, alphabet?: number) => Buffer {
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return (n, alphabet = 256) => {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = alphabet === 256 ? next() & 0xff : 97 + (next() % alphabet);
    return b;
  };
}

const WORDS = 'the quick brown fox jumps over lazy dog redis key value list hash set stream score member field'.split(' ');

/** Text of `n` bytes made of words picked at random: repeats at irregular distances. */
function text(n: number, seed: number): Buffer {
  const pick = seededBytes(seed);
  const parts: string[] = [];
  let len = 0;
  while (len < n) {
    const w = WORDS[pick(1)[0] % WORDS.length];
    parts.push(w);
    len += w.length + 1;
  }
  return Buffer.from(parts.join(' ').slice(0, n), 'latin1');
}

/** `block` repeated with a byte changed every `every` bytes, so matches stop at varied lengths. */
function mutated(block: Buffer, n: number, every: number, seed: number): Buffer {
  const rand = seededBytes(seed);
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = block[i % block.length];
  for (let i = every; i < n; i += every) out[i] = rand(1)[0];
  return out;
}

/** The named inputs; `big` adds the multi-megabyte ones. */
export function lzfInputs(big: boolean): [string, Buffer][] {
  const rand = seededBytes(20_250_401);
  const inputs: [string, Buffer][] = [];
  for (let n = 18; n <= 40; n++) {
    inputs.push([`run a*${n}`, Buffer.alloc(n, 'a')]);
    inputs.push([`abc*${n}`, Buffer.from('abc'.repeat(n).slice(0, n))]);
    inputs.push([`random ${n}`, rand(n)]);
    inputs.push([`letters ${n}`, rand(n, 4)]);
  }
  // Just compressible, just not: a random head, then a repeat that saves about 4 bytes.
  for (let head = 10; head <= 80; head += 7) {
    const h = rand(head);
    for (const tail of [3, 4, 5, 6, 7, 8, 9]) inputs.push([`random ${head} + repeat ${tail}`, Buffer.concat([h, h.subarray(0, tail)])]);
  }
  for (const n of [31, 32, 33, 34, 63, 64, 65, 96, 97]) inputs.push([`literals ${n} then a run`, Buffer.concat([rand(n), Buffer.alloc(40, 'z')])]);
  for (const n of [262, 263, 264, 265, 266, 267, 270, 528, 529, 530]) inputs.push([`run x*${n}`, Buffer.alloc(n, 'x')]);
  for (const n of [17, 18, 19, 20, 21, 22]) inputs.push([`a match ending ${n} bytes before the end`, Buffer.concat([Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz'), Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, n)), Buffer.from('!')])]);
  for (const gap of [8190, 8191, 8192, 8193, 8194]) {
    const word = rand(24);
    inputs.push([`a repeat ${gap} bytes back`, Buffer.concat([rand(1), word, rand(gap - 24), word, rand(8)])]);
  }
  for (const n of [100, 1000, 5000, 70_000]) {
    inputs.push([`random ${n}`, rand(n)]);
    inputs.push([`4 letters ${n}`, rand(n, 4)]);
    inputs.push([`text ${n}`, text(n, n)]);
    inputs.push([`mutated ${n}`, mutated(rand(50), n, 37, n)]);
  }
  inputs.push(['first byte repeated', Buffer.from('aXbcdefghijklmnopqrstuvwaXbcdefgh')]);
  inputs.push(['digits', Buffer.from(Array.from({ length: 3000 }, (_, i) => String(i)).join(','))]);
  if (big) {
    inputs.push(['text 3 MB', text(3 << 20, 3)]);
    inputs.push(['mutated 2 MB', mutated(rand(300), 2 << 20, 1021, 2)]);
    inputs.push(['run 1 MB', Buffer.alloc(1 << 20, 7)]);
    inputs.push(['random 1 MB', rand(1 << 20)]);
  }
  return inputs;
}
