import { describe, expect, it } from 'vitest';
import { Crc64, crc64 } from '../../src/persistence/crc64';

/** Bit-by-bit reference of Redis's CRC-64 (Jones polynomial, reflected), slow but obvious. */
function reference(data: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

describe('crc64', () => {
  it('gives Redis\'s check value for "123456789"', () => {
    expect(crc64(Buffer.from('123456789')).toString(16)).toBe('e9c6d914c4b8d9ca');
  });

  it('is 0 for no bytes', () => {
    expect(crc64(Buffer.alloc(0))).toBe(0n);
  });

  it('matches the bitwise definition for every length up to 70 and any split', () => {
    const data = Buffer.alloc(70);
    for (let i = 0; i < data.length; i++) data[i] = (i * 151 + 7) & 0xff;
    for (let len = 0; len <= data.length; len++) {
      const slice = data.subarray(0, len);
      const expected = reference(slice);
      expect(crc64(slice)).toBe(expected);
      const split = Math.floor(len / 3);
      expect(new Crc64().update(slice, 0, split).update(slice, split).value).toBe(expected);
    }
  });

  it('produces the footer of a DUMP payload written by Redis 7.0', () => {
    // redis-server 7.0.15: SET s hello; DUMP s
    const payload = Buffer.from('0005' + Buffer.from('hello').toString('hex') + '0a00' + '6372df766534200a', 'hex');
    const crc = new Crc64().update(payload, 0, payload.length - 8);
    expect(crc.matches(payload, payload.length - 8)).toBe(true);
    expect(crc.toBytes().equals(payload.subarray(payload.length - 8))).toBe(true);
  });
});
