import type { CommandContext } from '../command-context';

/** The reply of `X HELP`, framed as Redis's addReplyHelp frames it. */
export function writeHelp(c: CommandContext, command: string, lines: string[]): void {
  const all = [
    `${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`,
    ...lines,
    'HELP',
    '    Prints this help.',
  ];
  c.reply.array(all.length);
  for (const line of all) c.reply.status(line);
}
