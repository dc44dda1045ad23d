/**
 * Developer tool: prints the `@Command` spec and the docs entry (key specs, tips, history,
 * argument tree) of commands as a running redis-server 7.0 describes them in COMMAND INFO and
 * COMMAND DOCS, in the shape the built-in plugins keep them (`*-docs.ts`). The output is a
 * starting point to paste and edit; command-docs.test.ts then checks it against Redis.
 *
 *   npm run build && node dist/test/tools/spec-from-redis.js PORT lpush "client|list" ...
 */
import { RawConnection } from '../helpers/raw-connection';
import { parseReply, type RespNode } from '../helpers/resp-tree';

function scalar(node: RespNode): string | number | null {
  const s = node.raw.toString('latin1');
  if (node.type === ':') return Number(s.slice(1, -2));
  if (node.type === '$') return s.startsWith('$-1') ? null : s.slice(s.indexOf('\r\n') + 2, -2);
  if (node.type === '+') return s.slice(1, -2);
  return s;
}

/** A reply as plain JS: arrays, maps as [key, value] lists (RESP2 flat arrays), scalars. */
function plain(node: RespNode): unknown {
  if (node.children === null) return scalar(node);
  return node.children.map(plain);
}

function pairs(list: unknown[]): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (let i = 0; i < list.length; i += 2) m.set(String(list[i]), list[i + 1]);
  return m;
}

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function keySpec(raw: unknown[]): string {
  const m = pairs(raw);
  const flags = (m.get('flags') as string[]).map(q).join(', ');
  const begin = pairs(m.get('begin_search') as unknown[]);
  const find = pairs(m.get('find_keys') as unknown[]);
  const bspec = pairs((begin.get('spec') as unknown[]) ?? []);
  const fspec = pairs((find.get('spec') as unknown[]) ?? []);
  const beginText = begin.get('type') === 'index' ? `{ index: ${bspec.get('index')} }`
    : begin.get('type') === 'keyword' ? `{ keyword: ${q(String(bspec.get('keyword')))}, startFrom: ${bspec.get('startfrom')} }` : `'unknown'`;
  const findText = find.get('type') === 'range' ? `{ lastKey: ${fspec.get('lastkey')}, keyStep: ${fspec.get('keystep')}, limit: ${fspec.get('limit')} }`
    : find.get('type') === 'keynum' ? `{ keyNumIndex: ${fspec.get('keynumidx')}, firstKey: ${fspec.get('firstkey')}, keyStep: ${fspec.get('keystep')} }` : `'unknown'`;
  const notes = m.has('notes') ? `notes: ${q(String(m.get('notes')))}, ` : '';
  return `{ ${notes}flags: [${flags}], beginSearch: ${beginText}, findKeys: ${findText} }`;
}

function argument(raw: unknown[], indent: string): string {
  const m = pairs(raw);
  const parts: string[] = [`name: ${q(String(m.get('name')))}`, `type: ${q(String(m.get('type')))}`];
  if (m.has('key_spec_index')) parts.push(`keySpecIndex: ${m.get('key_spec_index')}`);
  if (m.has('token')) parts.push(`token: ${q(String(m.get('token')))}`);
  if (m.has('summary')) parts.push(`summary: ${q(String(m.get('summary')))}`);
  if (m.has('since')) parts.push(`since: ${q(String(m.get('since')))}`);
  if (m.has('deprecated_since')) parts.push(`deprecatedSince: ${q(String(m.get('deprecated_since')))}`);
  const flags = (m.get('flags') as string[] | undefined) ?? [];
  if (flags.includes('optional')) parts.push('optional: true');
  if (flags.includes('multiple')) parts.push('multiple: true');
  if (flags.includes('multiple_token')) parts.push('multipleToken: true');
  if (m.has('arguments')) {
    const kids = (m.get('arguments') as unknown[][]).map((a) => `${indent}  ${argument(a, indent + '  ')},`).join('\n');
    return `{ ${parts.join(', ')}, arguments: [\n${kids}\n${indent}] }`;
  }
  return `{ ${parts.join(', ')} }`;
}

async function main(): Promise<void> {
  const [portText, ...names] = process.argv.slice(2);
  const conn = await RawConnection.connect(Number(portText));
  try {
    for (const name of names) {
      const [parent, sub] = name.split('|');
      const info = plain(parseReply(await conn.command(['COMMAND', 'INFO', name]))) as unknown[][];
      const docsReply = plain(parseReply(await conn.command(['COMMAND', 'DOCS', name]))) as unknown[];
      let entry = info[0] as unknown[] | null;
      if (entry === null) {
        console.log(`// ${name}: unknown to this redis-server`);
        continue;
      }
      if (sub !== undefined) entry = (entry[9] as unknown[][]).find((s) => s[0] === name) ?? entry;
      const docs = pairs(docsReply[1] as unknown[]);
      const [, arity, flags, first, last, step, acl, tips, specs] = entry as [string, number, string[], number, number, number, string[], string[], unknown[][]];
      const key = sub === undefined ? parent : `'${name}'`;
      const docLines: string[] = [];
      if (specs.length > 0) docLines.push(`    keySpecs: [\n${specs.map((s) => `      ${keySpec(s as unknown[])},`).join('\n')}\n    ],`);
      if (tips.length > 0) docLines.push(`    tips: [${tips.map(q).join(', ')}],`);
      const history = docs.get('history') as unknown[][] | undefined;
      if (history !== undefined && history.length > 0) docLines.push(`    history: [\n${history.map((h) => `      [${q(String(h[0]))}, ${q(String(h[1]))}],`).join('\n')}\n    ],`);
      const docFlags = docs.get('doc_flags') as string[] | undefined;
      if (docFlags !== undefined && docFlags.length > 0) docLines.push(`    docFlags: [${docFlags.map(q).join(', ')}],`);
      if (docs.has('deprecated_since')) docLines.push(`    deprecatedSince: ${q(String(docs.get('deprecated_since')))},`);
      if (docs.has('replaced_by')) docLines.push(`    replacedBy: ${q(String(docs.get('replaced_by')))},`);
      const args = docs.get('arguments') as unknown[][] | undefined;
      if (args !== undefined) docLines.push(`    arguments: [\n${args.map((a) => `      ${argument(a, '      ')},`).join('\n')}\n    ],`);
      console.log(`// docs entry\n  ${key}: {\n${docLines.join('\n')}\n  },`);
      const keyFields = first === 0 ? '' : ` firstKey: ${first}, lastKey: ${last}, keyStep: ${step},`;
      const complexity = docs.has('complexity') ? ` complexity: ${q(String(docs.get('complexity')))},` : '';
      console.log(`// spec\n  @Command({ name: ${q(name)}, arity: ${arity}, flags: [${flags.map(q).join(', ')}],${keyFields} group: ${q(String(docs.get('group')))}, since: ${q(String(docs.get('since')))}, summary: ${q(String(docs.get('summary')))},${complexity} aclCategories: [${acl.map(q).join(', ')}] })\n`);
    }
  } finally {
    conn.close();
  }
}

void main();
