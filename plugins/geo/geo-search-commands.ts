import {
  Command, CommandModule, NOTIFY, TOKENS, bytesToString, errors, inject, isKeyword, parseInteger,
  type CommandContext, type ServerContext,
} from 'redix-server';
import { ZSetValue } from '../zsets/zset-value';
import { ZsetLimits } from '../zsets/zset-lookup';
import { decodeScore } from './geohash';
import { boxScores, distanceIfWithin, formatDistance, searchBoxes, type GeoShape } from './geo-shape';
import { parseLengthOrReply, parseLonLatOrReply, parseUnitOrReply } from './geo-args';
import { lookupGeoRead, replyCoordinate } from './geo-commands';
import { GEO_DOCS } from './geo-docs';

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

interface GeoPoint {
  member: string;
  score: number;
  dist: number;
  x: number;
  y: number;
}

/** Appends the members of `zset` in the score interval [min, max) that lie in the shape (geoGetPointsInRange). */
function pointsInRange(zset: ZSetValue, min: number, max: number, shape: GeoShape, out: GeoPoint[], limit: number): void {
  let n = zset.list.firstInScoreRange({ min, max, minex: false, maxex: true });
  while (n !== null && n.score < max) {
    const [x, y] = decodeScore(n.score);
    const dist = distanceIfWithin(shape, x, y);
    if (dist >= 0) out.push({ member: n.member, score: n.score, dist, x, y });
    if (limit !== 0 && out.length >= limit) break;
    n = n.next;
  }
}

/** membersOfAllNeighbors: scans the boxes in order, skipping one equal to the box just scanned. */
function searchMembers(zset: ZSetValue, shape: GeoShape, limit: number): GeoPoint[] {
  const boxes = searchBoxes(shape);
  const out: GeoPoint[] = [];
  let last = -1;
  for (let i = 0; i < boxes.length; i++) {
    const box = boxes[i];
    if (box.bits === 0 && box.step === 0) continue;
    if (last > 0 && box.bits === boxes[last].bits && box.step === boxes[last].step) continue;
    if (out.length > 0 && limit !== 0 && out.length >= limit) break;
    const [min, max] = boxScores(box);
    pointsInRange(zset, min, max, shape, out, limit);
    last = i;
  }
  return out;
}

function memberPosition(zset: ZSetValue, member: Buffer): [number, number] | null {
  const score = zset.score(bytesToString(member));
  return score === undefined ? null : decodeScore(score);
}

@CommandModule()
export class GeoSearchCommands {
  private readonly limits: ZsetLimits;

  constructor(@inject(TOKENS.Server) server: ServerContext) {
    this.limits = new ZsetLimits(server.config);
  }

  /** GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key|STOREDIST key] */
  @Command({ name: 'georadius', arity: -6, flags: ['write', 'denyoom', 'movablekeys'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'geo', since: '3.2.0', summary: 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point', complexity: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.', aclCategories: ['@write', '@geo', '@slow'], ...GEO_DOCS.georadius })
  georadius(c: CommandContext, argv: Buffer[]): void {
    this.search(c, argv, 1, RADIUS_COORDS);
  }

  /** GEORADIUS_RO key longitude latitude radius M|KM|FT|MI [...] */
  @Command({ name: 'georadius_ro', arity: -6, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'geo', since: '3.2.10', summary: 'A read-only variant for GEORADIUS', complexity: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.', aclCategories: ['@read', '@geo', '@slow'], ...GEO_DOCS.georadius_ro })
  georadiusRo(c: CommandContext, argv: Buffer[]): void {
    this.search(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE);
  }

  /** GEORADIUSBYMEMBER key member radius M|KM|FT|MI [...] */
  @Command({ name: 'georadiusbymember', arity: -5, flags: ['write', 'denyoom', 'movablekeys'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'geo', since: '3.2.0', summary: 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member', complexity: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.', aclCategories: ['@write', '@geo', '@slow'], ...GEO_DOCS.georadiusbymember })
  georadiusbymember(c: CommandContext, argv: Buffer[]): void {
    this.search(c, argv, 1, RADIUS_MEMBER);
  }

  /** GEORADIUSBYMEMBER_RO key member radius M|KM|FT|MI [...] */
  @Command({ name: 'georadiusbymember_ro', arity: -5, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'geo', since: '3.2.10', summary: 'A read-only variant for GEORADIUSBYMEMBER', complexity: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.', aclCategories: ['@read', '@geo', '@slow'], ...GEO_DOCS.georadiusbymember_ro })
  georadiusbymemberRo(c: CommandContext, argv: Buffer[]): void {
    this.search(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
  }

  /** GEOSEARCH key FROMMEMBER member|FROMLONLAT lon lat BYRADIUS r unit|BYBOX w h unit [ASC|DESC] [COUNT n [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH] */
  @Command({ name: 'geosearch', arity: -7, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, group: 'geo', since: '6.2.0', summary: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.', complexity: 'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape', aclCategories: ['@read', '@geo', '@slow'], ...GEO_DOCS.geosearch })
  geosearch(c: CommandContext, argv: Buffer[]): void {
    this.search(c, argv, 1, GEOSEARCH);
  }

  /** GEOSEARCHSTORE dst src FROMMEMBER member|FROMLONLAT lon lat BYRADIUS r unit|BYBOX w h unit [ASC|DESC] [COUNT n [ANY]] [STOREDIST] */
  @Command({ name: 'geosearchstore', arity: -8, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, keyStep: 1, group: 'geo', since: '6.2.0', summary: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.', complexity: 'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape', aclCategories: ['@write', '@geo', '@slow'], ...GEO_DOCS.geosearchstore })
  geosearchstore(c: CommandContext, argv: Buffer[]): void {
    this.search(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE);
  }

  /** Redis's georadiusGeneric. */
  private search(c: CommandContext, argv: Buffer[], srcIndex: number, flags: number): void {
    const zset = lookupGeoRead(c, bytesToString(argv[srcIndex]));
    if (zset === null) return;
    const shape: GeoShape = { circular: true, x: 0, y: 0, conversion: 1, radius: 0, width: 0, height: 0 };
    let storeKey: string | null = null;
    let storeDist = false;
    let baseArgs: number;
    if ((flags & RADIUS_COORDS) !== 0) {
      baseArgs = 6;
      const xy = parseLonLatOrReply(c, argv[2], argv[3]);
      if (xy === null || !this.parseDistance(c, argv, 4, shape)) return;
      [shape.x, shape.y] = xy;
    } else if ((flags & RADIUS_MEMBER) !== 0) {
      baseArgs = 5;
      if (zset !== undefined) {
        const xy = memberPosition(zset, argv[2]);
        if (xy === null) {
          c.reply.error('ERR could not decode requested zset member');
          return;
        }
        [shape.x, shape.y] = xy;
        if (!this.parseDistance(c, argv, 3, shape)) return;
      }
    } else {
      baseArgs = 2;
      if ((flags & GEOSEARCHSTORE) !== 0) {
        baseArgs = 3;
        storeKey = bytesToString(argv[1]);
      }
    }
    let withDist = false;
    let withHash = false;
    let withCoords = false;
    let fromMember = false;
    let fromLoc = false;
    let byRadius = false;
    let byBox = false;
    let sort = SORT_NONE;
    let any = false;
    let count = 0;
    const isSearch = (flags & GEOSEARCH) !== 0;
    const remaining = argv.length - baseArgs;
    for (let i = 0; i < remaining; i++) {
      const arg = argv[baseArgs + i];
      if (isKeyword(arg, 'WITHDIST')) withDist = true;
      else if (isKeyword(arg, 'WITHHASH')) withHash = true;
      else if (isKeyword(arg, 'WITHCOORD')) withCoords = true;
      else if (isKeyword(arg, 'ANY')) any = true;
      else if (isKeyword(arg, 'ASC')) sort = SORT_ASC;
      else if (isKeyword(arg, 'DESC')) sort = SORT_DESC;
      else if (isKeyword(arg, 'COUNT') && i + 1 < remaining) {
        const n = parseInteger(argv[baseArgs + i + 1]);
        if (n === null) {
          c.reply.error(errors.ERR_NOT_INTEGER);
          return;
        }
        if (n <= 0) {
          c.reply.error('ERR COUNT must be > 0');
          return;
        }
        count = n;
        i++;
      } else if ((isKeyword(arg, 'STORE') || isKeyword(arg, 'STOREDIST')) && i + 1 < remaining && (flags & RADIUS_NOSTORE) === 0 && !isSearch) {
        storeKey = bytesToString(argv[baseArgs + i + 1]);
        storeDist = isKeyword(arg, 'STOREDIST');
        i++;
      } else if (isKeyword(arg, 'STOREDIST') && isSearch && (flags & GEOSEARCHSTORE) !== 0) {
        storeDist = true;
      } else if (isKeyword(arg, 'FROMMEMBER') && i + 1 < remaining && isSearch && !fromLoc) {
        if (zset !== undefined) {
          const xy = memberPosition(zset, argv[baseArgs + i + 1]);
          if (xy === null) {
            c.reply.error('ERR could not decode requested zset member');
            return;
          }
          [shape.x, shape.y] = xy;
        }
        fromMember = true;
        i++;
      } else if (isKeyword(arg, 'FROMLONLAT') && i + 2 < remaining && isSearch && !fromMember) {
        const xy = parseLonLatOrReply(c, argv[baseArgs + i + 1], argv[baseArgs + i + 2]);
        if (xy === null) return;
        [shape.x, shape.y] = xy;
        fromLoc = true;
        i += 2;
      } else if (isKeyword(arg, 'BYRADIUS') && i + 2 < remaining && isSearch && !byBox) {
        if (!this.parseDistance(c, argv, baseArgs + i + 1, shape)) return;
        shape.circular = true;
        byRadius = true;
        i += 2;
      } else if (isKeyword(arg, 'BYBOX') && i + 3 < remaining && isSearch && !byRadius) {
        const w = parseLengthOrReply(c, argv[baseArgs + i + 1], 'ERR need numeric width');
        if (w === null) return;
        const h = parseLengthOrReply(c, argv[baseArgs + i + 2], 'ERR need numeric height');
        if (h === null) return;
        if (h < 0 || w < 0) {
          c.reply.error('ERR height or width cannot be negative');
          return;
        }
        const conversion = parseUnitOrReply(c, argv[baseArgs + i + 3]);
        if (conversion < 0) return;
        shape.circular = false;
        shape.width = w;
        shape.height = h;
        shape.conversion = conversion;
        byBox = true;
        i += 3;
      } else {
        c.reply.error(errors.ERR_SYNTAX);
        return;
      }
    }
    if (storeKey !== null && (withDist || withHash || withCoords)) {
      const what = (flags & GEOSEARCHSTORE) !== 0 ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
      c.reply.error(`ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
      return;
    }
    const name = argv[0].latin1Slice(0, argv[0].length);
    if (isSearch && !(fromMember || fromLoc)) {
      c.reply.error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${name}`);
      return;
    }
    if (isSearch && !(byRadius || byBox)) {
      c.reply.error(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${name}`);
      return;
    }
    if (any && count === 0) {
      c.reply.error('ERR the ANY argument requires COUNT argument');
      return;
    }
    if (zset === undefined) {
      if (storeKey !== null) {
        if (c.db.delete(storeKey)) c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', storeKey);
        c.reply.integer(0);
      } else {
        c.reply.array(0);
      }
      return;
    }
    // COUNT without an order means the nearest ones.
    if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;
    const points = searchMembers(zset, shape, any ? count : 0);
    if (points.length === 0 && storeKey === null) {
      c.reply.array(0);
      return;
    }
    if (sort === SORT_ASC) points.sort((a, b) => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1));
    else if (sort === SORT_DESC) points.sort((a, b) => (a.dist > b.dist ? -1 : a.dist === b.dist ? 0 : 1));
    const returned = count === 0 || points.length < count ? points.length : count;
    if (storeKey === null) {
      const options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
      c.reply.array(returned);
      for (let i = 0; i < returned; i++) {
        const p = points[i];
        if (options > 0) c.reply.array(options + 1);
        c.reply.bulk(p.member);
        if (withDist) c.reply.bulk(formatDistance(p.dist / shape.conversion));
        if (withHash) c.reply.integer(p.score);
        if (withCoords) {
          c.reply.array(2);
          replyCoordinate(c, p.x);
          replyCoordinate(c, p.y);
        }
      }
      return;
    }
    if (returned > 0) {
      const result = new ZSetValue();
      for (let i = 0; i < returned; i++) {
        const p = points[i];
        result.insertNew(p.member, storeDist ? p.dist / shape.conversion : p.score);
      }
      result.chooseEncoding(this.limits.maxEntries, this.limits.maxValue);
      c.db.set(storeKey, result);
      if (returned > 1) c.db.markDirty(returned - 1);
      c.notifyKeyspaceEvent(NOTIFY.ZSET, isSearch ? 'geosearchstore' : 'georadiusstore', storeKey);
    } else if (c.db.delete(storeKey)) {
      c.notifyKeyspaceEvent(NOTIFY.GENERIC, 'del', storeKey);
    }
    c.reply.integer(returned);
  }

  /** extractDistanceOrReply: radius and unit at argv[i], argv[i + 1]. */
  private parseDistance(c: CommandContext, argv: Buffer[], i: number, shape: GeoShape): boolean {
    const radius = parseLengthOrReply(c, argv[i], 'ERR need numeric radius');
    if (radius === null) return false;
    if (radius < 0) {
      c.reply.error('ERR radius cannot be negative');
      return false;
    }
    const conversion = parseUnitOrReply(c, argv[i + 1]);
    if (conversion < 0) return false;
    shape.radius = radius;
    shape.conversion = conversion;
    return true;
  }
}
