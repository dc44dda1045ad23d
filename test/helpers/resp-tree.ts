import { replyEnd } from './resp-reader';

/** A parsed reply, for comparisons that ignore order. */
export interface RespNode {
  type: string;
  /** Raw bytes of a scalar reply. */
  raw: Buffer;
  children: RespNode[] | null;
}

export function parseReply(buf: Buffer, start = 0): RespNode {
  const end = replyEnd(buf, start);
  const type = String.fromCharCode(buf[start]);
  if ('*~>%|'.includes(type)) {
    const lineEnd = buf.indexOf('\r\n', start);
    let n = Number(buf.latin1Slice(start + 1, lineEnd));
    const children: RespNode[] = [];
    if (n > 0) {
      if (type === '%' || type === '|') n *= 2;
      let pos = lineEnd + 2;
      for (let i = 0; i < n; i++) {
        const child = parseReply(buf, pos);
        children.push(child);
        pos = replyEnd(buf, pos);
      }
    }
    return { type, raw: buf.subarray(start, end), children: n < 0 ? null : children };
  }
  return { type, raw: buf.subarray(start, end), children: null };
}

/** A canonical string of a reply where aggregates' elements (or element pairs) are sorted. */
export function canonicalUnordered(node: RespNode, pairs: boolean): string {
  if (node.children === null) return node.raw.toString('latin1');
  const items: string[] = [];
  const kids = node.children.map((c) => c.raw.toString('latin1'));
  if (pairs) {
    for (let i = 0; i < kids.length; i += 2) items.push(kids[i] + kids[i + 1]);
  } else {
    items.push(...kids);
  }
  items.sort();
  return `${node.type}${node.children.length}|` + items.join('|');
}

/** The reply's shape without its values: type, and element count of aggregates. */
export function shapeOf(node: RespNode): string {
  if (node.children === null) return node.type;
  return `${node.type}${node.children.length}`;
}
