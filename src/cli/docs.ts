import { CORE_OPTIONS } from '../config/core-options';
import type { CommandSpec } from '../commands/command-spec';
import type { CommandEntry } from '../commands/command-table';
import { usageLine } from '../commands/argument-spec';
import { startServer } from '../kernel/server';

/**
 * Generated documentation, so README and config/reference.md cannot drift from the code:
 * `npm run docs` rewrites the marked sections, and a test fails when they are stale.
 */
export async function commandsMarkdown(): Promise<string> {
  const server = await startServer({ port: 0, bind: '127.0.0.1', save: '', appendonly: false }, { silent: true });
  try {
    const byPlugin = new Map<string, string[]>();
    const entries = [...server.commandTable.commands.values()].sort((a, b) => a.name.localeCompare(b.name));
    const line = (e: CommandEntry) => {
      const spec = e.spec as CommandSpec;
      const usage = spec.arguments !== undefined ? usageLine(spec.arguments) : spec.syntax;
      // A `|` inside a table cell must be escaped, or Markdown splits the cell there.
      const cell = `${e.fullName.toUpperCase().replace('|', ' ')}${usage ? ' ' + usage : ''}`.replace(/\|/g, '\\|');
      return `| \`${cell}\` | ${spec.summary} |`;
    };
    for (const e of entries) {
      const rows = byPlugin.get(e.plugin) ?? [];
      if (e.handler !== null) rows.push(line(e));
      for (const sub of e.subcommands?.values() ?? []) rows.push(line(sub));
      byPlugin.set(e.plugin, rows);
    }
    const parts: string[] = [];
    for (const plugin of server.plugins.map((p) => p.name)) {
      const rows = byPlugin.get(plugin);
      if (!rows || rows.length === 0) continue;
      parts.push(`**${plugin}** (${rows.length})\n\n| Command | Summary |\n|---|---|\n${rows.join('\n')}\n`);
    }
    return parts.join('\n');
  } finally {
    await server.shutdown();
  }
}

export function configReferenceMarkdown(): string {
  const rows = CORE_OPTIONS.map((o) => {
    const kind = o.kind === 'enum' ? o.values!.join(' \\| ') : o.kind === 'bool' ? 'yes \\| no' : o.kind;
    const names = [o.name, ...(o.aliases ?? [])].map((n) => `\`${n}\``).join(', ');
    return `| ${names} | ${kind} | \`${o.default === '' ? '""' : o.default}\` | ${o.mutable ? (o.protected ? 'with enable-protected-configs' : 'yes') : 'no'} | ${o.description} |`;
  });
  return `| Option (redis.conf name) | Type | Default | CONFIG SET | Meaning |\n|---|---|---|---|---|\n${rows.join('\n')}\n`;
}

/** Replaces the text between `<!-- begin:NAME -->` and `<!-- end:NAME -->`. */
export function replaceSection(text: string, name: string, body: string): string {
  const begin = `<!-- begin:${name} -->`;
  const end = `<!-- end:${name} -->`;
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`section markers for "${name}" not found`);
  return text.slice(0, i + begin.length) + '\n' + body + text.slice(j);
}
