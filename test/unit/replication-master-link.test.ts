import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MasterLink, type MasterLinkHost } from '../../plugins/replication/master-link';
import { MasterStreamParser } from '../../plugins/replication/master-stream-parser';
import { encodeCommand } from '../../plugins/replication/stream-encoding';

const quiet = { notice: () => undefined, warning: () => undefined, verbose: () => undefined, debug: () => undefined } as never;

/** A scripted master: records the commands the link sends, answers as the test says. */
class FakeMaster {
  readonly commands: string[][] = [];
  socket: net.Socket | null = null;
  private readonly sockets: net.Socket[] = [];
  private waiters: (() => void)[] = [];
  private constructor(readonly server: net.Server) {}

  static async start(): Promise<FakeMaster> {
    const server = net.createServer();
    const master = new FakeMaster(server);
    server.on('connection', (socket) => {
      master.socket = socket;
      master.sockets.push(socket);
      const parser = new MasterStreamParser();
      socket.on('data', (chunk) => {
        // SYNC comes inline, as Redis's replica sends it.
        if (chunk.toString('latin1') === 'SYNC\r\n') master.commands.push(['SYNC']);
        else parser.feed(chunk, (argv) => master.commands.push(argv.map((a) => a.toString('latin1'))));
        for (const w of master.waiters.splice(0)) w();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return master;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  async received(count: number): Promise<void> {
    const deadline = Date.now() + 5000;
    while (this.commands.length < count) {
      if (Date.now() > deadline) throw new Error(`got ${JSON.stringify(this.commands)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  send(data: Buffer | string): void {
    this.socket!.write(data);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

class Host implements MasterLinkHost {
  logger = quiet;
  target: { replid: string; offset: number } | null = null;
  loaded: { replid: string; offset: number; rdb: Buffer } | null = null;
  continuedWith: string | null | undefined = undefined;
  up = 0;
  applied: { argv: string[]; raw: string }[] = [];
  closedWith: string | null = null;
  psyncTarget() {
    return this.target;
  }
  loadFullSync(_link: MasterLink, replid: string, offset: number, rdb: Buffer[]): boolean {
    this.loaded = { replid, offset, rdb: Buffer.concat(rdb) };
    return true;
  }
  continued(_link: MasterLink, replid: string | null): void {
    this.continuedWith = replid;
  }
  linkUp(): void {
    this.up++;
  }
  applyCommand(_link: MasterLink, argv: Buffer[], raw: Buffer): void {
    this.applied.push({ argv: argv.map((a) => a.toString('latin1')), raw: raw.toString('latin1') });
  }
  closed(_link: MasterLink, _wasConnected: boolean, reason: string): void {
    this.closedWith = reason;
  }
}

async function until(test: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const REPLID = 'a'.repeat(40);
const MARK = '0123456789abcdef0123456789abcdef01234567';

describe('replica side of the handshake and transfer (MasterLink)', () => {
  let master: FakeMaster;
  let links: MasterLink[] = [];
  afterEach(async () => {
    for (const l of links) l.close('test over');
    links = [];
    await master.stop();
  });

  function open(host: Host, auth: { user: string; password: string } | null = null, announceIp = '', sourceAddress = ''): MasterLink {
    const link = new MasterLink(host, { host: '127.0.0.1', port: master.port, auth, listeningPort: 6380, announceIp, sourceAddress });
    links.push(link);
    return link;
  }

  /** Answers PING, REPLCONF listening-port and capa. */
  async function handshake(extra = 0): Promise<void> {
    await master.received(1);
    master.send('+PONG\r\n');
    await master.received(3 + extra);
    master.send('+OK\r\n'.repeat(2 + extra));
    await master.received(4 + extra);
  }

  it('connects from bind-source-addr when it is set', async () => {
    master = await FakeMaster.start();
    open(new Host(), null, '', '127.0.0.2');
    await master.received(1);
    expect(master.socket!.remoteAddress).toBe('127.0.0.2');
  });

  it('performs Redis\'s handshake, then loads a streamed RDB whose EOF mark is split across reads', async () => {
    master = await FakeMaster.start();
    const host = new Host();
    host.target = { replid: REPLID, offset: 99 };
    const l = open(host);
    await handshake();
    expect(master.commands).toEqual([
      ['PING'], ['REPLCONF', 'listening-port', '6380'], ['REPLCONF', 'capa', 'eof', 'capa', 'psync2'], ['PSYNC', REPLID, '100'],
    ]);
    const rdb = Buffer.from('REDIS0010 pretend payload with a CRLF\r\n and more');
    // Newlines before the reply keep the link alive.
    master.send(`\n\n+FULLRESYNC ${'b'.repeat(40)} 1234\r\n\n$EOF:${MARK}\r\n`);
    await until(() => l.state === 'sync');
    master.send(Buffer.concat([rdb, Buffer.from(MARK.slice(0, 17))]));
    await new Promise((r) => setTimeout(r, 30));
    master.send(Buffer.concat([Buffer.from(MARK.slice(17)), encodeCommand(['SET', 'k', 'v'])]));
    await until(() => host.applied.length === 1);
    expect(host.loaded).toEqual({ replid: 'b'.repeat(40), offset: 1234, rdb });
    expect(host.up).toBe(1);
    expect(host.applied[0]).toEqual({ argv: ['SET', 'k', 'v'], raw: '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n' });
    // After a streamed RDB the replica acknowledges at once (the master waits for it).
    await master.received(5);
    expect(master.commands[4]).toEqual(['REPLCONF', 'ACK', '1234']);
    expect(l.connected).toBe(true);
  });

  it('reads a length-prefixed RDB followed by the stream in the same packet', async () => {
    master = await FakeMaster.start();
    const host = new Host();
    const l = open(host);
    await handshake();
    expect(master.commands[3]).toEqual(['PSYNC', '?', '-1']);
    const rdb = Buffer.from('REDIS0010\xff12345678', 'latin1');
    master.send(Buffer.concat([Buffer.from(`+FULLRESYNC ${REPLID} 0\r\n$${rdb.length}\r\n`), rdb, encodeCommand(['PING']), encodeCommand(['DEL', 'x'])]));
    await until(() => host.applied.length === 2);
    expect(host.loaded!.rdb).toEqual(rdb);
    expect(host.applied.map((a) => a.argv[0])).toEqual(['PING', 'DEL']);
    expect(l.transferSize).toBe(rdb.length);
    // No ACK after a length-prefixed transfer (the master streams at once).
    await new Promise((r) => setTimeout(r, 50));
    expect(master.commands.length).toBe(4);
  });

  it('authenticates after -NOAUTH with masteruser and masterauth, announcing its ip', async () => {
    master = await FakeMaster.start();
    const host = new Host();
    open(host, { user: 'repl', password: 'pw' }, '10.1.2.3');
    await master.received(1);
    master.send('-NOAUTH Authentication required.\r\n');
    await master.received(5);
    expect(master.commands.slice(1)).toEqual([
      ['AUTH', 'repl', 'pw'], ['REPLCONF', 'listening-port', '6380'], ['REPLCONF', 'ip-address', '10.1.2.3'], ['REPLCONF', 'capa', 'eof', 'capa', 'psync2'],
    ]);
    master.send('+OK\r\n+OK\r\n-ERR not this one\r\n+OK\r\n');
    await master.received(6);
    expect(master.commands[5][0]).toBe('PSYNC');
  });

  it('gives up when AUTH fails, or PING gets another error', async () => {
    master = await FakeMaster.start();
    const host = new Host();
    open(host, { user: '', password: 'bad' });
    await master.received(1);
    master.send('+PONG\r\n');
    await master.received(2);
    expect(master.commands[1]).toEqual(['AUTH', 'bad']);
    master.send('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    await until(() => host.closedWith !== null);
    expect(host.closedWith).toBe('Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.');

    const other = new Host();
    open(other);
    await master.received(5);
    master.send('-ERR something else\r\n');
    await until(() => other.closedWith !== null);
    expect(other.closedWith).toBe("Error reply to PING from master: '-ERR something else'");
  });

  it('continues after +CONTINUE with the master\'s new id', async () => {
    master = await FakeMaster.start();
    const host = new Host();
    host.target = { replid: REPLID, offset: 10 };
    open(host);
    await handshake();
    master.send(`+CONTINUE ${'c'.repeat(40)}\r\n${encodeCommand(['SET', 'a', 'b']).toString('latin1')}`);
    await until(() => host.applied.length === 1);
    expect(host.continuedWith).toBe('c'.repeat(40));
    expect(host.up).toBe(1);
  });

  it('falls back to SYNC when the master does not know PSYNC, and retries later on -LOADING', async () => {
    master = await FakeMaster.start();
    const host = new Host();
    const l = open(host);
    await handshake();
    master.send("-ERR unknown command 'PSYNC'\r\n");
    await master.received(5);
    expect(master.commands[4]).toEqual(['SYNC']);
    expect(l.prePsyncMaster).toBe(true);
    master.send('$0\r\n');
    await until(() => host.loaded !== null);

    const later = new Host();
    open(later);
    await master.received(6);
    master.send('+PONG\r\n');
    await master.received(8);
    master.send('+OK\r\n+OK\r\n');
    await master.received(9);
    master.send('-LOADING Redis is loading the dataset in memory\r\n');
    await until(() => later.closedWith !== null);
    expect(later.closedWith).toContain('Master is currently unable to PSYNC');
  });
});
