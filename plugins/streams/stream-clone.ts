import { StreamNode } from './stream-node';
import { StreamValue } from './stream-value';
import { ConsumerGroup, PendingEntry } from './stream-group';

/** A deep copy (COPY, point-in-time snapshots): nodes, metadata, groups with shared PEL entries rebuilt. */
export function cloneStream(s: StreamValue): StreamValue {
  const copy = new StreamValue();
  for (const node of s.nodes) {
    const n = new StreamNode(node.master, node.count, node.deleted, Buffer.from(node.buf.subarray(0, node.used)));
    n.used = node.used;
    n.elements = node.elements;
    n.entriesStart = node.entriesStart;
    n.masterFields = node.masterFields;
    n.lastId = node.lastId;
    n.lastEntryAt = node.lastEntryAt;
    copy.addNode(n);
  }
  copy.length = s.length;
  copy.lastId = s.lastId;
  copy.firstId = s.firstId;
  copy.maxDeletedId = s.maxDeletedId;
  copy.entriesAdded = s.entriesAdded;
  if (s.groups !== null) {
    copy.groups = new Map();
    for (const g of s.groups.values()) {
      const cg = new ConsumerGroup(g.name, g.lastId, g.entriesRead);
      for (const consumer of g.consumers.values()) {
        const cc = cg.createConsumer(consumer.name, consumer.seenTime)!;
        for (const p of consumer.pel.items) {
          const entry = new PendingEntry(p.id, cc, p.deliveryTime, p.deliveryCount);
          cc.pel.insert(entry);
          cg.pel.insert(entry);
        }
      }
      copy.groups.set(g.name, cg);
    }
  }
  return copy;
}
