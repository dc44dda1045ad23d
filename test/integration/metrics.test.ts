import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedixServer } from '../../src/index';
import { freePort } from '../helpers/free-port';
import { RawConnection } from '../helpers/raw-connection';
import { startRedix } from '../helpers/redix';

/** The Prometheus endpoint of the metrics plugin, scraped with a real HTTP client and checked against INFO. */
describe('metrics endpoint (metrics-port)', () => {
  let redix: RedixServer;
  let url: string;
  let conn: RawConnection;
  beforeAll(async () => {
    const port = await freePort();
    redix = await startRedix({ metricsPort: port });
    url = `http://127.0.0.1:${port}`;
    conn = await RawConnection.connect(redix.port);
  });
  afterAll(async () => {
    conn?.close();
    await redix?.shutdown();
  });

  const metric = (body: string, line: string): number => {
    const found = body.split('\n').find((l) => l.startsWith(line + ' '));
    expect(found, line).toBeDefined();
    return Number(found!.slice(line.length + 1));
  };
  const info = async (field: string): Promise<number> => {
    const text = (await conn.command(['INFO', 'everything'])).toString('latin1');
    return Number(text.match(new RegExp(`\\r\\n${field}:([^\\r]*)`))![1]);
  };

  it('exposes INFO figures under redis_exporter names, and Node\'s own', async () => {
    await conn.command(['SET', 'a', '1']);
    await conn.command(['SET', 'b', '2', 'EX', '100']);
    await conn.command(['SELECT', '2']);
    await conn.command(['HSET', 'h', 'f', 'v']);
    await conn.command(['SELECT', '0']);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    expect(metric(body, 'redis_connected_clients')).toBe(await info('connected_clients'));
    expect(metric(body, 'redis_db_keys{db="db0"}')).toBe(2);
    expect(metric(body, 'redis_db_keys_expiring{db="db0"}')).toBe(1);
    expect(metric(body, 'redis_db_keys{db="db2"}')).toBe(1);
    expect(metric(body, 'redis_commands_total{cmd="set"}')).toBe(2);
    expect(metric(body, 'redis_commands_total{cmd="hset"}')).toBe(1);
    expect(metric(body, 'redis_memory_max_bytes')).toBe(await info('maxmemory'));
    expect(body).toContain('# TYPE redis_commands_total counter');
    expect(body).toContain('# TYPE redis_connected_clients gauge');
    // prom-client's default collectors, prefixed.
    expect(body).toMatch(/^redix_nodejs_eventloop_lag_seconds \d/m);
    expect(body).toMatch(/^redix_nodejs_heap_size_used_bytes \d/m);
    expect(body).toMatch(/^redix_process_resident_memory_bytes \d/m);
    expect((await fetch(`${url}/other`)).status).toBe(404);
  });

  it('is off by default and shows in CONFIG GET', async () => {
    expect((await conn.command(['CONFIG', 'GET', 'metrics-bind'])).toString()).toBe('*2\r\n$12\r\nmetrics-bind\r\n$9\r\n127.0.0.1\r\n');
    const plain = await startRedix();
    try {
      const c = await RawConnection.connect(plain.port);
      expect((await c.command(['CONFIG', 'GET', 'metrics-port'])).toString()).toBe('*2\r\n$12\r\nmetrics-port\r\n$1\r\n0\r\n');
      c.close();
    } finally {
      await plain.shutdown();
    }
  });
});
