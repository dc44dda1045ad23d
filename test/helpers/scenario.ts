import { encodeCommand, RawConnection } from './raw-connection';

/**
 * Multi-client differential scenarios: the same script runs against redis-server and against
 * Redix (one after the other, each on fresh connections after FLUSHALL), and every reply the script
 * reads is recorded in order, as "<client>: <raw reply>". Comparing the two transcripts compares
 * behaviour across clients: blocked clients served in FIFO order, WATCH seeing another client's
 * write, the order of pushed messages.
 */
export interface ScenarioSide {
  /** Which server this run is against. */
  readonly name: 'redis' | 'redix';
  /** Sends a command on client `i` (opened on first use) without waiting for its reply. */
  send(i: number, ...args: (string | Buffer)[]): void;
  /** Reads the next reply of client `i` and records it. */
  reply(i: number, timeoutMs?: number): Promise<string>;
  /** send + reply. */
  call(i: number, ...args: (string | Buffer)[]): Promise<string>;
  /** Records a note in the transcript (what a step checked), so both sides line up. */
  note(text: string): void;
  /** Runs a command on an unrecorded admin connection and returns its raw reply. */
  admin(...args: string[]): Promise<string>;
  /** Waits until INFO says `count` clients are blocked (polling, never a fixed sleep). */
  waitBlocked(count: number, timeoutMs?: number): Promise<void>;
  /** The raw connection of client `i` (opened on first use), for what the helpers do not cover. */
  connection(i: number): Promise<RawConnection>;
}

export async function runScenario(
  name: 'redis' | 'redix',
  port: number,
  script: (s: ScenarioSide) => Promise<void>,
  options: { protocol?: 2 | 3 } = {},
): Promise<string[]> {
  const transcript: string[] = [];
  const conns = new Map<number, Promise<RawConnection>>();
  const admin = await RawConnection.connect(port);
  await admin.command(['FLUSHALL']);
  const open = (i: number): Promise<RawConnection> => {
    let c = conns.get(i);
    if (c === undefined) {
      c = RawConnection.connect(port).then(async (conn) => {
        if (options.protocol === 3) await conn.command(['HELLO', '3']);
        return conn;
      });
      conns.set(i, c);
    }
    return c;
  };
  // Sends are queued per client so they stay in order even while the connection is opening.
  const chains = new Map<number, Promise<void>>();
  const side: ScenarioSide = {
    name,
    send(i, ...args) {
      const previous = chains.get(i) ?? Promise.resolve();
      chains.set(i, previous.then(async () => (await open(i)).write(encodeCommand(args))));
    },
    async reply(i, timeoutMs = 10_000) {
      await chains.get(i);
      const [r] = await (await open(i)).readReplies(1, timeoutMs);
      const text = `${i}: ${r.toString('latin1')}`;
      transcript.push(text);
      return r.toString('latin1');
    },
    async call(i, ...args) {
      side.send(i, ...args);
      return side.reply(i);
    },
    note(text) {
      transcript.push(`# ${text}`);
    },
    async admin(...args) {
      return (await admin.command(args)).toString('latin1');
    },
    async waitBlocked(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const info = (await admin.command(['INFO', 'clients'])).toString('latin1');
        const m = /blocked_clients:(\d+)/.exec(info);
        if (m !== null && Number(m[1]) === count) return;
        if (Date.now() > deadline) throw new Error(`${name}: ${m?.[1]} blocked clients, not ${count}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    connection: open,
  };
  try {
    await script(side);
  } finally {
    for (const c of conns.values()) (await c).close();
    admin.close();
  }
  return transcript;
}

/** Runs the script on both servers; returns both transcripts (compare them with toEqual). */
export async function compareScenario(
  ports: { redis: number; redix: number },
  script: (s: ScenarioSide) => Promise<void>,
  options: { protocol?: 2 | 3 } = {},
): Promise<{ redis: string[]; redix: string[] }> {
  const redis = await runScenario('redis', ports.redis, script, options);
  const redix = await runScenario('redix', ports.redix, script, options);
  return { redis, redix };
}
