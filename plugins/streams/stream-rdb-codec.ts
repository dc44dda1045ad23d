import { RDB_TYPE, type RdbReader, type RdbWriter } from 'redix-server';
import { decodeIdBytes, encodeIdBytes, type StreamId } from './stream-id';
import { StreamNode } from './stream-node';
import { StreamValue } from './stream-value';
import { ConsumerGroup, PendingEntry, sortedGroups, type Consumer } from './stream-group';

const LEN_64BIT = 0x81;
const U32_MAX = 0xffffffffn;

/** An RDB length of up to 64 bits, exact (the generic writer takes numbers). */
function writeU64(out: RdbWriter, v: bigint | number): void {
  const n = typeof v === 'number' ? BigInt.asUintN(64, BigInt(v)) : v;
  if (n <= U32_MAX) {
    out.writeLength(Number(n));
    return;
  }
  out.writeByte(LEN_64BIT);
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64BE(n, 0);
  out.writeBytes(b);
}

function readU64(input: RdbReader): bigint {
  const first = input.readByte();
  const kind = first >> 6;
  if (kind === 0) return BigInt(first & 0x3f);
  if (kind === 1) return BigInt(((first & 0x3f) << 8) | input.readByte());
  if (first === 0x80) return BigInt(input.readBytes(4).readUInt32BE(0));
  if (first === LEN_64BIT) return input.readBytes(8).readBigUInt64BE(0);
  throw new Error(`bad RDB length encoding 0x${first.toString(16)} in a stream`);
}

/** A length that must fit a JS number (counts). */
function readCount(input: RdbReader): number {
  return Number(readU64(input));
}

function writeId(out: RdbWriter, id: StreamId): void {
  writeU64(out, id.ms);
  writeU64(out, id.seq);
}

function readId(input: RdbReader): StreamId {
  const ms = readU64(input);
  return { ms, seq: readU64(input) };
}

/** rdbSaveMillisecondTime: an int64, little-endian. */
function writeMs(out: RdbWriter, ms: number): void {
  const b = Buffer.allocUnsafe(8);
  b.writeBigInt64LE(BigInt(ms), 0);
  out.writeBytes(b);
}

function readMs(input: RdbReader): number {
  return Number(input.readBytes(8).readBigInt64LE(0));
}

/**
 * A stream as RDB_TYPE_STREAM_LISTPACKS_2 (Redis 7.0): the node listpacks with their master IDs,
 * the metadata, then each group with its PEL (delivery time and count) and its consumers (seen
 * time and the IDs they own), in Redis's byte order of names.
 */
export function writeStreamRdb(s: StreamValue, out: RdbWriter): number {
  const nodes = s.nodes;
  out.writeLength(nodes.length);
  for (const node of nodes) {
    out.writeString(encodeIdBytes(node.master));
    out.writeString(node.toListpack());
  }
  out.writeLength(s.length);
  writeId(out, s.lastId);
  writeId(out, s.firstId);
  writeId(out, s.maxDeletedId);
  writeU64(out, s.entriesAdded);
  const groups = sortedGroups(s.groups);
  out.writeLength(groups.length);
  const raw = Buffer.allocUnsafe(16);
  for (const g of groups) {
    out.writeString(g.name);
    writeId(out, g.lastId);
    writeU64(out, g.entriesRead);
    out.writeLength(g.pel.size);
    for (const p of g.pel.items) {
      out.writeBytes(encodeIdBytes(p.id, raw));
      writeMs(out, p.deliveryTime);
      out.writeLength(p.deliveryCount);
    }
    const consumers = g.sortedConsumers();
    out.writeLength(consumers.length);
    for (const consumer of consumers) {
      out.writeString(consumer.name);
      writeMs(out, consumer.seenTime);
      out.writeLength(consumer.pel.size);
      for (const p of consumer.pel.items) out.writeBytes(encodeIdBytes(p.id, raw));
    }
  }
  return RDB_TYPE.STREAM_LISTPACKS_2;
}

/** Reads RDB_TYPE_STREAM_LISTPACKS (5.0-6.2) and _2 (7.0), deriving what type 15 lacks as Redis does. */
export function readStreamRdb(rdbType: number, input: RdbReader): StreamValue {
  const v2 = rdbType === RDB_TYPE.STREAM_LISTPACKS_2;
  if (!v2 && rdbType !== RDB_TYPE.STREAM_LISTPACKS) throw new Error(`RDB type ${rdbType} is not a stream encoding`);
  const s = new StreamValue();
  const nodeCount = readCount(input);
  for (let i = 0; i < nodeCount; i++) {
    const key = input.readStringBytes();
    if (key.length !== 16) throw new Error('Stream node key entry is not the size of a stream ID');
    const lp = input.readStringBytes();
    const node = StreamNode.fromListpack(decodeIdBytes(key), lp);
    const prev = s.nodes.length === 0 ? null : s.nodes[s.nodes.length - 1];
    if (prev !== null && (prev.master.ms > node.master.ms || (prev.master.ms === node.master.ms && prev.master.seq >= node.master.seq))) {
      throw new Error('Stream nodes are out of order or repeated');
    }
    if (node.count + node.deleted === 0) throw new Error('Empty listpack inside stream');
    s.addNode(node);
  }
  s.length = readCount(input);
  s.lastId = readId(input);
  if (v2) {
    s.firstId = readId(input);
    s.maxDeletedId = readId(input);
    s.entriesAdded = readCount(input);
  } else {
    s.entriesAdded = s.length;
    s.firstId = s.edgeId(true, true);
    if (s.length === 0) s.firstId = { ms: 0n, seq: 0n };
  }
  if (s.length !== 0 && s.nodes.length === 0) throw new Error('Stream length inconsistent with its nodes');
  const groupCount = readCount(input);
  for (let i = 0; i < groupCount; i++) {
    const name = input.readString();
    const lastId = readId(input);
    const entriesRead = v2 ? Number(BigInt.asIntN(64, readU64(input))) : s.estimateDistance(lastId);
    const group = new ConsumerGroup(name, lastId, entriesRead);
    (s.groups ??= new Map()).set(name, group);
    if (s.groups.size !== i + 1) throw new Error(`Duplicated consumer group name ${name}`);
    const pelSize = readCount(input);
    const pending = new Map<string, PendingEntry>();
    for (let j = 0; j < pelSize; j++) {
      const raw = input.readBytes(16);
      const entry = new PendingEntry(decodeIdBytes(raw), null as unknown as Consumer, readMs(input), readCount(input));
      if (!group.pel.insert(entry)) throw new Error('Duplicated global PEL entry loading stream consumer group');
      pending.set(raw.latin1Slice(0, 16), entry);
    }
    const consumerCount = readCount(input);
    for (let j = 0; j < consumerCount; j++) {
      const consumer = group.createConsumer(input.readString(), 0);
      if (consumer === null) throw new Error('Duplicate stream consumer detected.');
      consumer.seenTime = readMs(input);
      const n = readCount(input);
      for (let k = 0; k < n; k++) {
        const raw = input.readBytes(16);
        const entry = pending.get(raw.latin1Slice(0, 16));
        if (entry === undefined) throw new Error('Consumer entry not found in group global PEL');
        entry.consumer = consumer;
        if (!consumer.pel.insert(entry)) throw new Error('Duplicated consumer PEL entry loading a stream consumer group');
      }
    }
    for (const entry of group.pel.items) {
      if (entry.consumer === null) throw new Error('Stream group PEL entry without a consumer');
    }
  }
  return s;
}
