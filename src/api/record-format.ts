/**
 * RecordSlabs' record layout: [owner entry: u32 LE][field length][field][value length][value], a
 * length being one byte below 255, else 255 and a u32 LE. Writers return the offset after what
 * they wrote.
 */
/** Below this many bytes a JS loop copies faster than a native call. */
const SHORT = 32;
export const LONG_LENGTH = 255;

function lengthBytes(len: number): number {
  return len < LONG_LENGTH ? 1 : 5;
}

/** Bytes of a record holding a field and a value of these lengths. */
export function recordBytes(fieldLength: number, valueLength: number): number {
  return 4 + lengthBytes(fieldLength) + fieldLength + lengthBytes(valueLength) + valueLength;
}

export function writeLength(b: Buffer, p: number, len: number): number {
  if (len < LONG_LENGTH) {
    b[p] = len;
    return p + 1;
  }
  b[p] = LONG_LENGTH;
  b.writeUInt32LE(len, p + 1);
  return p + 5;
}

export function writeBytes(b: Buffer, p: number, src: Uint8Array): number {
  const n = src.length;
  if (n <= SHORT) for (let i = 0; i < n; i++) b[p + i] = src[i];
  else b.set(src, p);
  return p + n;
}

export function writeText(b: Buffer, p: number, s: string): number {
  const n = s.length;
  if (n <= SHORT) for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i);
  else b.latin1Write(s, p, n);
  return p + n;
}
