import { Command, CommandModule } from '../decorators';
import type { CommandContext } from '../command-context';
import { isKeyword, parseInt64 } from '../arguments';
import { REDIS_VERSION } from '../../kernel/version';

const ERR_NOT_INTEGER = 'ERR value is not an integer or out of range';

/** A field of tilted squares that tilt more towards the bottom (our own take on LOLWUT 5's idea). */
function tiltedSquares(columns: number, rows: number): string {
  const glyphs = ['+', 'x', '*', '#'];
  let out = '';
  for (let y = 0; y < rows; y++) {
    let line = '';
    for (let x = 0; x < columns; x++) line += glyphs[Math.min(glyphs.length - 1, Math.floor((Math.random() * (y + 1) * glyphs.length) / rows))];
    out += line + '\n';
  }
  return out;
}

/** LOLWUT [VERSION version]: computer art, then the version line Redis ends with. */
@CommandModule()
export class LolwutCommand {
  @Command({ name: 'lolwut', arity: -1, flags: ['readonly', 'fast'], group: 'server', since: '5.0.0', summary: 'Display some computer art and the Redis version', aclCategories: ['@read', '@fast'], arguments: [{ name: 'version', type: 'integer', token: 'VERSION', optional: true }] })
  lolwut(c: CommandContext, argv: Buffer[]): void {
    let version = Number(REDIS_VERSION.split('.')[0]);
    if (argv.length >= 3 && isKeyword(argv[1], 'VERSION')) {
      const v = parseInt64(argv[2]);
      if (v === null) {
        c.reply.error(ERR_NOT_INTEGER);
        return;
      }
      version = Number(BigInt.asUintN(32, v));
    }
    // Versions 5 and 6 draw; the others print the version line only, as Redis 7.0 does.
    const art = version === 5 || version === 6 ? tiltedSquares(66, 12) + '\n' : '';
    c.reply.verbatim(`${art}Redis ver. ${REDIS_VERSION}\n`);
  }
}
