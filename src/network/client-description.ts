import type { Client } from './client';

/** CLIENT LIST's flags, in the order Redis 7.0 writes them (catClientInfoString). */
function flagsOf(c: Client): string {
  const t = c.tracking;
  const flags = (c.monitoring ? 'O' : c.isReplica ? 'S' : '') + (c.isMasterLink ? 'M' : '') + (c.subscribed ? 'P' : '') + (c.multi !== null ? 'x' : '') +
    (c.blockState !== null ? 'b' : '') + (t !== null ? 't' : '') + (t !== null && t.brokenRedirect ? 'R' : '') + (t !== null && t.bcast ? 'B' : '') +
    (c.dirtyCas ? 'd' : '') + (c.noEvict ? 'e' : '') + (c.noTouch ? 'T' : '');
  return flags === '' ? 'N' : flags;
}

/** One CLIENT LIST / CLIENT INFO line, with Redis 7.0's fields. */
export function describeClient(c: Client): string {
  const now = Date.now();
  const multiMem = c.multi === null ? 0 : c.multi.bytes;
  // Redis counts the arguments of the command the client is running (its own CLIENT LIST).
  const argvMem = c.parser.dispatchingCommand ? c.currentArgv.reduce((n, a) => n + a.length, 0) : 0;
  return `id=${c.id} addr=${c.address} laddr=${c.localAddress} fd=${(c.socket as unknown as { _handle?: { fd?: number } })?._handle?.fd ?? -1} ` +
    `name=${c.name} age=${Math.floor((now - c.createdAt) / 1000)} idle=${Math.floor((now - c.lastInteraction) / 1000)} ` +
    `flags=${flagsOf(c)} db=${c.dbIndex} sub=${c.channels?.size ?? 0} psub=${c.patterns?.size ?? 0} ssub=${c.shardChannels?.size ?? 0} multi=${c.multi === null ? -1 : c.multi.count} qbuf=${c.parser.queryBufferBytes} qbuf-free=${c.queryBuffer.free(c.parser.queryBufferBytes)} argv-mem=${argvMem} ` +
    `multi-mem=${multiMem} rbs=${c.replyBuffer.size} rbp=${c.replyBuffer.peak} obl=${c.reply.pendingBytes} oll=0 omem=${c.outputBytes} tot-mem=${c.replyBuffer.size + c.queryBuffer.allocated + c.outputBytes + multiMem} events=r ` +
    `cmd=${c.lastCommand} user=default redir=${c.tracking === null ? -1 : c.tracking.redirect} resp=${c.reply.protocol}\n`;
}
