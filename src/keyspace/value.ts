/**
 * What a key holds. Strings are stored as latin1 JS strings (one byte per character, so binary
 * safe and compact); every other type is an object whose `type` names its data type.
 */
export interface TypedValue {
  /** Name reported by TYPE: "hash", "list", ... (on the prototype, not per instance). */
  readonly type: string;
}

export type StoredValue = string | TypedValue;

export function typeNameOf(value: StoredValue): string {
  return typeof value === 'string' ? 'string' : value.type;
}

/** Decodes an argument into the stored form (a copy, so the socket chunk is not pinned). */
export function bytesToString(buf: Buffer): string {
  return buf.latin1Slice(0, buf.length);
}

/** Encodes a stored string back into bytes. */
export function stringToBytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}
