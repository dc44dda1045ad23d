import { Crc64, RDB_OPCODE, RDB_VERSION, RdbBufferReader, RdbBufferWriter } from 'redix-server/persistence';

/**
 * FUNCTION DUMP's payload, byte for byte as Redis 7.0 writes it: each library as the RDB
 * function opcode (245) and its code as an RDB string (LZF-compressed when rdbcompression is on
 * and it helps), then the RDB version (2 bytes, little endian) and the CRC-64 of all that.
 */
export function encodeFunctionDump(codes: readonly string[], compression: boolean): Buffer {
  const out = new RdbBufferWriter({ compression, initialSize: 256 });
  for (const code of codes) {
    out.writeByte(RDB_OPCODE.FUNCTION2);
    out.writeString(code);
  }
  out.writeByte(RDB_VERSION & 0xff);
  out.writeByte((RDB_VERSION >> 8) & 0xff);
  const body = out.take();
  return Buffer.concat([body, new Crc64().update(body).toBytes()]);
}

/** The library codes of a FUNCTION RESTORE payload, or Redis's error text. */
export function decodeFunctionDump(payload: Buffer): { ok: true; codes: string[] } | { ok: false; error: string } {
  const len = payload.length;
  if (len < 10) return { ok: false, error: 'ERR DUMP payload version or checksum are wrong' };
  const version = payload[len - 10] | (payload[len - 9] << 8);
  if (version > RDB_VERSION || !new Crc64().update(payload, 0, len - 8).matches(payload, len - 8)) {
    return { ok: false, error: 'ERR DUMP payload version or checksum are wrong' };
  }
  const reader = new RdbBufferReader(payload, 0, len - 10);
  const codes: string[] = [];
  while (!reader.done) {
    let type: number;
    try {
      type = reader.readByte();
    } catch {
      return { ok: false, error: 'ERR can not read data type' };
    }
    if (type !== RDB_OPCODE.FUNCTION2 && type !== RDB_OPCODE.FUNCTION_PRE_GA) return { ok: false, error: 'ERR given type is not a function' };
    try {
      if (type === RDB_OPCODE.FUNCTION_PRE_GA) return { ok: false, error: 'ERR Pre-GA function format not supported' };
      codes.push(reader.readString());
    } catch {
      return { ok: false, error: 'ERR failed loading the given functions payload' };
    }
  }
  return { ok: true, codes };
}
