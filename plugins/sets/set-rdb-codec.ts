import { RDB_TYPE, type RdbReader, type RdbWriter } from 'redix-server';
import { CompactEncodingError, decodeListpack, encodeIntset, intsetElementSize } from 'redix-server/persistence';
import { IntSet, parseIntMember } from './int-set';
import { SetValue } from './set-value';

/**
 * A set's RDB payload, as Redis 7.0 writes it: an intset as RDB_TYPE_SET_INTSET (the intset's
 * bytes as one string), a hashtable as RDB_TYPE_SET (a length, then the members). Read: those two
 * and Redis 7.2's RDB_TYPE_SET_LISTPACK. A loaded set bigger than set-max-intset-entries is
 * converted when its encoding is next looked at (see setDataType.encoding), as Redis converts on load.
 */
export function writeSetRdb(value: SetValue, out: RdbWriter): number {
  const ints = value.ints;
  if (ints !== null) {
    out.writeString(encodeIntset(ints.toBigInts()));
    return RDB_TYPE.SET_INTSET;
  }
  const table = value.table!;
  out.writeLength(table.size);
  table.forEach((member) => out.writeString(member));
  return RDB_TYPE.SET;
}

export function readSetRdb(rdbType: number, input: RdbReader): SetValue {
  if (rdbType === RDB_TYPE.SET) {
    const count = input.readLength();
    const members = new Array<string>(count);
    for (let i = 0; i < count; i++) members[i] = input.readString();
    return setFromMembers(members, 'set');
  }
  const blob = input.readStringView();
  if (rdbType === RDB_TYPE.SET_INTSET) return setFromIntset(blob);
  if (rdbType === RDB_TYPE.SET_LISTPACK) return setFromMembers(decodeListpack(blob), 'listpack');
  throw new Error(`RDB type ${rdbType} is not a set encoding`);
}

/** An intset payload → an intset-encoded set, straight from its bytes. */
function setFromIntset(blob: Buffer): SetValue {
  const width = intsetElementSize(blob);
  const count = blob.readUInt32LE(4);
  if (count === 0) throw new Error('empty set in intset');
  const ints = IntSet.fromIntsetBytes(blob, 8, count, width);
  if (ints === null) throw new CompactEncodingError('intset', 'elements are not sorted and unique', 8);
  return SetValue.ofInts(ints);
}

/** An intset when every member is an integer, else a hashtable; Redis refuses repeated members. */
function setFromMembers(members: string[], format: string): SetValue {
  let allIntegers = true;
  for (let i = 0; i < members.length && allIntegers; i++) allIntegers = parseIntMember(members[i]) !== null;
  const set = new SetValue(allIntegers);
  for (let i = 0; i < members.length; i++) {
    if (!set.add(members[i], Infinity)) throw new Error(`duplicate set member '${members[i]}' in ${format}`);
  }
  if (set.size === 0) throw new Error(`empty set in ${format}`);
  return set;
}
