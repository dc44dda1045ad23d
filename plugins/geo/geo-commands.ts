import { Command, CommandModule, TOKENS, bytesToString, errors, inject, isKeyword, type CommandContext, type ServerContext } from 'redix-server';
import { ZSetValue } from '../zsets/zset-value';
import { ZsetLimits } from '../zsets/zset-lookup';
import { zaddGeneric } from '../zsets/zset-add-commands';
import { decodeScore, geohashScore, standardGeohash } from './geohash';
import { formatDistance, formatHuman, geoDistance } from './geo-shape';
import { parseLonLatOrReply, parseUnitOrReply } from './geo-args';
import { GEO_DOCS } from './geo-docs';

/** The sorted set at `key` for a GEO read: undefined when missing, null after WRONGTYPE. */
export function lookupGeoRead(c: CommandContext, key: string): ZSetValue | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined || value instanceof ZSetValue) return value;
  c.reply.error(errors.ERR_WRONGTYPE);
  return null;
}

/** A coordinate as addReplyHumanLongDouble sends it: a bulk string, a RESP3 double. */
export function replyCoordinate(c: CommandContext, d: number): void {
  const text = formatHuman(d);
  if (c.reply.protocol === 3) c.reply.rawString(',' + text + '\r\n');
  else c.reply.bulk(text);
}

@CommandModule()
export class GeoCommands {
  private readonly limits: ZsetLimits;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.limits = new ZsetLimits(server.config);
  }

  /** GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...] */
  @Command({ name: 'geoadd', arity: -5, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'geo', since: '3.2.0', summary: 'Add one or more geospatial items in the geospatial index represented using a sorted set', complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.', aclCategories: ['@write', '@geo', '@slow'], ...GEO_DOCS.geoadd })
  geoadd(c: CommandContext, argv: Buffer[]): void {
    let longIdx = 2;
    let nx = false;
    let xx = false;
    for (; longIdx < argv.length; longIdx++) {
      const arg = argv[longIdx];
      if (isKeyword(arg, 'NX')) nx = true;
      else if (isKeyword(arg, 'XX')) xx = true;
      else if (!isKeyword(arg, 'CH')) break;
    }
    if ((argv.length - longIdx) % 3 !== 0 || (xx && nx)) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    // Redis turns GEOADD into ZADD key [options] score member ..., which it runs and propagates.
    const zadd: Buffer[] = [Buffer.from('zadd')];
    for (let i = 1; i < longIdx; i++) zadd.push(argv[i]);
    for (let i = longIdx; i < argv.length; i += 3) {
      const xy = parseLonLatOrReply(c, argv[i], argv[i + 1]);
      if (xy === null) return;
      zadd.push(Buffer.from(String(geohashScore(xy[0], xy[1]))), argv[i + 2]);
    }
    zaddGeneric(c, zadd, 0, this.limits);
    c.propagateAs(zadd);
  }

  /** GEOPOS key [member ...] */
  @Command({ name: 'geopos', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'geo', since: '3.2.0', summary: 'Returns longitude and latitude of members of a geospatial index', complexity: 'O(N) where N is the number of members requested.', aclCategories: ['@read', '@geo', '@slow'], ...GEO_DOCS.geopos })
  geopos(c: CommandContext, argv: Buffer[]): void {
    const zset = lookupGeoRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) {
      const score = zset === undefined ? undefined : zset.score(bytesToString(argv[i]));
      if (score === undefined) {
        c.reply.nullArray();
        continue;
      }
      const [x, y] = decodeScore(score);
      c.reply.array(2);
      replyCoordinate(c, x);
      replyCoordinate(c, y);
    }
  }

  /** GEODIST key member1 member2 [M|KM|FT|MI] */
  @Command({ name: 'geodist', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'geo', since: '3.2.0', summary: 'Returns the distance between two members of a geospatial index', complexity: 'O(log(N))', aclCategories: ['@read', '@geo', '@slow'], ...GEO_DOCS.geodist })
  geodist(c: CommandContext, argv: Buffer[]): void {
    let toMeter = 1;
    if (argv.length === 5) {
      toMeter = parseUnitOrReply(c, argv[4]);
      if (toMeter < 0) return;
    } else if (argv.length > 5) {
      c.reply.error(errors.ERR_SYNTAX);
      return;
    }
    const zset = lookupGeoRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    const s1 = zset === undefined ? undefined : zset.score(bytesToString(argv[2]));
    const s2 = zset === undefined ? undefined : zset.score(bytesToString(argv[3]));
    if (s1 === undefined || s2 === undefined) {
      c.reply.nullBulk();
      return;
    }
    const [x1, y1] = decodeScore(s1);
    const [x2, y2] = decodeScore(s2);
    c.reply.bulk(formatDistance(geoDistance(x1, y1, x2, y2) / toMeter));
  }

  /** GEOHASH key [member ...] */
  @Command({ name: 'geohash', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'geo', since: '3.2.0', summary: 'Returns members of a geospatial index as standard geohash strings', complexity: 'O(log(N)) for each member requested, where N is the number of elements in the sorted set.', aclCategories: ['@read', '@geo', '@slow'], ...GEO_DOCS.geohash })
  geohash(c: CommandContext, argv: Buffer[]): void {
    const zset = lookupGeoRead(c, bytesToString(argv[1]));
    if (zset === null) return;
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) {
      const score = zset === undefined ? undefined : zset.score(bytesToString(argv[i]));
      if (score === undefined) c.reply.nullBulk();
      else c.reply.bulk(standardGeohash(score));
    }
  }
}
