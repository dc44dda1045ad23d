/**
 * Finds where one complete RESP2/RESP3 reply ends in a buffer (for raw-byte tests), or -1.
 */
export function replyEnd(buf: Buffer, start = 0): number {
  if (start >= buf.length) return -1;
  const lineEnd = buf.indexOf('\r\n', start);
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(buf[start]);
  const head = buf.latin1Slice(start + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+': case '-': case ':': case ',': case '_': case '#': case '(':
      return afterLine;
    case '$': case '=': case '!': {
      const n = Number(head);
      if (n < 0) return afterLine;
      return buf.length >= afterLine + n + 2 ? afterLine + n + 2 : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = Number(head);
      if (n < 0) return afterLine;
      if (type === '%' || type === '|') n *= 2;
      let pos = afterLine;
      for (let i = 0; i < n; i++) {
        pos = replyEnd(buf, pos);
        if (pos < 0) return -1;
      }
      return pos;
    }
    default:
      throw new Error(`not a RESP reply at ${start}: ${JSON.stringify(buf.latin1Slice(start, Math.min(buf.length, start + 40)))}`);
  }
}

/** Splits a buffer holding several complete replies. */
export function splitReplies(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const end = replyEnd(buf, pos);
    if (end < 0) throw new Error('incomplete reply');
    out.push(buf.subarray(pos, end));
    pos = end;
  }
  return out;
}
