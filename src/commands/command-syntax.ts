/**
 * A command's usage line ("key value [NX|XX] [EX seconds|PX milliseconds]") parsed into the
 * argument tree COMMAND DOCS returns (redis-cli builds its interactive hints from it).
 * Conventions: UPPERCASE words are tokens, lowercase words are arguments, [..] optional,
 * (..) a group, a|b alternatives, `x [x ...]` or `x ...` repetition.
 */
import type { ArgumentSpec } from './argument-spec';

/** What the parser builds: ArgumentSpec nodes it may still extend while parsing. */
export type ArgumentDoc = ArgumentSpec & { arguments?: ArgumentDoc[] };

const KEY_NAMES = new Set(['key', 'destination', 'source', 'newkey', 'key1', 'key2']);
const INTEGER_NAMES = new Set(['count', 'seconds', 'milliseconds', 'index', 'start', 'end', 'offset', 'db', 'destination-db', 'numkeys', 'increment', 'decrement', 'cursor', 'timeout', 'numreplicas', 'port', 'len', 'ttl', 'client-id', 'samples', 'index1', 'index2', 'protover', 'min-match-len', 'idle-time', 'frequency']);
const TIME_NAMES = new Set(['unix-time-seconds', 'unix-time-milliseconds']);

function argumentType(name: string): ArgumentDoc['type'] {
  if (KEY_NAMES.has(name)) return 'key';
  if (INTEGER_NAMES.has(name)) return 'integer';
  if (TIME_NAMES.has(name)) return 'unix-time';
  if (name === 'pattern') return 'pattern';
  if (name === 'float' || name.endsWith('-float')) return 'double';
  return 'string';
}

function tokenize(syntax: string): string[] {
  return syntax.replace(/([[\]()|])/g, ' $1 ').split(/\s+/).filter((t) => t !== '');
}

export function parseSyntax(syntax: string): ArgumentDoc[] {
  const tokens = tokenize(syntax);
  let pos = 0;

  const parseSequence = (): ArgumentDoc[] => {
    const items: ArgumentDoc[] = [];
    while (pos < tokens.length && ![']', ')', '|'].includes(tokens[pos])) {
      const t = tokens[pos];
      if (t === '...') {
        pos++;
        if (items.length > 0) items[items.length - 1].multiple = true;
        continue;
      }
      let item: ArgumentDoc;
      if (t === '[' || t === '(') {
        pos++;
        item = parseAlternatives();
        pos++; // closing bracket
        if (t === '[') item.optional = true;
      } else {
        pos++;
        item = t === t.toUpperCase() && /[A-Z]/.test(t)
          ? { name: t.toLowerCase(), type: 'pure-token', token: t }
          : { name: t, type: argumentType(t) };
      }
      // `x [x ...]`: the bracket repeats the previous argument.
      const prev = items[items.length - 1];
      // `a b [a b ...]`: the bracket repeats the previous group of arguments.
      if (item.optional && item.type === 'block' && item.arguments!.length <= items.length) {
        const inner = item.arguments!;
        const tail = items.slice(items.length - inner.length);
        if (inner[inner.length - 1].multiple && inner.every((a, i) => a.name === tail[i].name)) {
          items.splice(items.length - inner.length, inner.length, { name: item.name, type: 'block', multiple: true, arguments: tail });
          continue;
        }
      }
      if (item.optional && item.arguments === undefined && item.multiple && prev !== undefined && prev.name === item.name) {
        prev.multiple = true;
        continue;
      }
      // `TOKEN value`: a token followed by its value is one argument.
      if (prev !== undefined && prev.type === 'pure-token' && !prev.optional && !prev.multiple && item.type !== 'pure-token' && item.type !== 'oneof' && item.type !== 'block' && !item.optional) {
        items[items.length - 1] = { ...item, token: prev.token, multiple: item.multiple };
        continue;
      }
      items.push(item);
    }
    return items;
  };

  const parseAlternatives = (): ArgumentDoc => {
    const alternatives: ArgumentDoc[][] = [parseSequence()];
    while (tokens[pos] === '|') {
      pos++;
      alternatives.push(parseSequence());
    }
    const asOne = (seq: ArgumentDoc[]): ArgumentDoc =>
      seq.length === 1 ? seq[0] : { name: seq.map((a) => a.name).join('-'), type: 'block', arguments: seq };
    if (alternatives.length === 1) return asOne(alternatives[0]);
    const options = alternatives.map(asOne);
    return { name: options.map((o) => o.name).join('-').slice(0, 40), type: 'oneof', arguments: options };
  };

  return parseSequence();
}
