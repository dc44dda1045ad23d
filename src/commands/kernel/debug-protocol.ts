import type { CommandContext } from '../command-context';

/**
 * DEBUG PROTOCOL type: a sample of each reply type, as Redis's debug.c sends it (the Tcl suite and
 * scripts use it to check how replies convert between RESP2, RESP3 and Lua).
 */
export function debugProtocol(c: CommandContext, type: string): void {
  const reply = c.reply;
  const resp3 = reply.protocol === 3;
  switch (type) {
    case 'string':
      return reply.bulk('Hello World');
    case 'integer':
      return reply.integer(12345);
    case 'double':
      return reply.double(3.141);
    case 'bignum':
      // addReplyBigNum: RESP3's big number, a bulk string in RESP2.
      if (resp3) return reply.rawString('(1234567999999999999999999999999999999\r\n');
      return reply.bulk('1234567999999999999999999999999999999');
    case 'null':
      return reply.nullBulk();
    case 'array':
    case 'set':
      if (type === 'set') reply.set(3);
      else reply.array(3);
      for (let j = 0; j < 3; j++) reply.integer(j);
      return;
    case 'map':
      reply.map(3);
      for (let j = 0; j < 3; j++) {
        reply.integer(j);
        reply.boolean(j === 1);
      }
      return;
    case 'attrib':
      // An attribute is no reply of its own: a real one follows (RESP2 gets only that).
      if (resp3) {
        reply.rawString('|1\r\n');
        reply.bulk('key-popularity');
        reply.array(2);
        reply.bulk('key:123');
        reply.integer(90);
      }
      return reply.bulk('Some real reply following the attribute');
    case 'push':
      if (!resp3) return reply.error('ERR RESP2 is not supported by this command');
      reply.push(2);
      reply.bulk('server-cpu-usage');
      reply.integer(42);
      return reply.bulk('Some real reply following the push reply');
    case 'true':
      return reply.boolean(true);
    case 'false':
      return reply.boolean(false);
    case 'verbatim':
      return reply.verbatim('This is a verbatim\nstring', 'txt');
    default:
      return reply.error('ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false');
  }
}
