import { createHash } from 'node:crypto';
import type { DataTypeRegistry } from './data-types';
import type { Database } from '../keyspace/database';
import type { StoredValue } from '../keyspace/value';

/**
 * DEBUG DIGEST and DIGEST-VALUE as Redis's debug.c computes them, so two servers holding the same
 * dataset give the same 40 hex digits: per key SHA1 mixes of the key, the object type and the
 * value's parts, XORed together; each database's id mixed in. A type plugin gives its value's
 * parts through `DataTypeSpec.digest` (below); a type without it counts as a module value.
 */
export class ValueDigest {
  readonly bytes = Buffer.alloc(20);

  /** digest ^= SHA1(data): order does not matter (set members, hash fields). */
  xor(data: Buffer | string): void {
    xorInto(this.bytes, sha1(data));
  }

  /** digest = SHA1(digest ^ SHA1(data)): order matters (list elements, stream entries). */
  mix(data: Buffer | string): void {
    xorInto(this.bytes, sha1(data));
    sha1(this.bytes).copy(this.bytes);
  }

  /** xor() of the mix of `parts` started from zero (a hash field and its value; a member and its score). */
  xorElement(...parts: (Buffer | string)[]): void {
    const element = new ValueDigest();
    for (const part of parts) element.mix(part);
    this.xor(element.bytes);
  }

  /** The object type, as the big-endian 32-bit integer Redis mixes first (0 string, 1 list, 2 set, 3 zset, 4 hash, 5 module, 6 stream). */
  objectType(type: number): void {
    const aux = Buffer.alloc(4);
    aux.writeUInt32BE(type);
    this.mix(aux);
  }

  hex(): string {
    return this.bytes.toString('hex');
  }
}

function sha1(data: Buffer | string): Buffer {
  return createHash('sha1').update(typeof data === 'string' ? Buffer.from(data, 'latin1') : data).digest();
}

function xorInto(target: Buffer, source: Buffer): void {
  for (let j = 0; j < 20; j++) target[j] ^= source[j];
}

const MODULE_TYPE = 5;

/** xorObjectDigest: the value's digest mixed into `d`, then the TTL marker. */
export function digestValue(d: ValueDigest, value: StoredValue, hasExpire: boolean, dataTypes: DataTypeRegistry): void {
  const spec = dataTypes.of(value);
  if (spec?.digest !== undefined) spec.digest(value, d);
  else d.objectType(MODULE_TYPE);
  if (hasExpire) d.xor('!!expire!!');
}

/** computeDatasetDigest over every database; all zeros when the dataset is empty. */
export function datasetDigest(databases: readonly Database[], dataTypes: DataTypeRegistry): string {
  const final = new ValueDigest();
  databases.forEach((db, index) => {
    let first = true;
    db.forEachEntry((value, key) => {
      if (first) {
        const aux = Buffer.alloc(4);
        aux.writeUInt32BE(index);
        final.mix(aux);
        first = false;
      }
      const d = new ValueDigest();
      d.mix(key);
      digestValue(d, value, db.getExpire(key) !== -1, dataTypes);
      final.xor(d.bytes);
    });
  });
  return final.hex();
}
