import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Registry } from 'prom-client';
import type { Logger, ServerContext } from 'redix-server';
import { infoToSamples, type MetricSample } from './info-metrics';

/** Prometheus text exposition of the INFO-derived samples, one HELP/TYPE per family. */
export function renderSamples(samples: readonly MetricSample[]): string {
  const families = new Map<string, MetricSample[]>();
  for (const s of samples) {
    const family = families.get(s.name);
    if (family === undefined) families.set(s.name, [s]);
    else family.push(s);
  }
  let out = '';
  for (const [name, family] of families) {
    out += `# HELP ${name} ${family[0].help}\n# TYPE ${name} ${family[0].type}\n`;
    for (const s of family) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
      out += `${name}${labels.length === 0 ? '' : `{${labels.join(',')}}`} ${s.value}\n`;
    }
  }
  return out;
}

/**
 * GET /metrics on `metrics-bind`:`metrics-port`: the INFO figures (redis_exporter's names) and
 * Node's own from prom-client's default collectors (event-loop lag, GC pauses, heap), under the
 * `redix_` prefix. Other paths answer 404.
 */
export class MetricsEndpoint {
  private http: Server | null = null;
  private readonly registry: Registry;

  constructor(
    private readonly server: ServerContext,
    private readonly logger: Logger,
  ) {
    // Required here, not imported: prom-client and the OpenTelemetry API it loads are ~80 modules
    // (~0.1 s of every start) that a server with the endpoint off never needs.
    const prom = createRequire(__filename)('prom-client') as typeof import('prom-client');
    this.registry = new prom.Registry();
    prom.collectDefaultMetrics({ register: this.registry, prefix: 'redix_' });
  }

  async scrape(): Promise<string> {
    const info = this.server.info.render(['everything']);
    return renderSamples(infoToSamples(info)) + (await this.registry.metrics());
  }

  start(port: number, bind: string): Promise<number> {
    const http = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the metrics are at /metrics\n');
        return;
      }
      this.scrape().then(
        (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${e.message}\n`),
      );
    });
    this.http = http;
    return new Promise((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, bind, () => {
        const address = http.address();
        const actual = typeof address === 'object' && address !== null ? address.port : port;
        this.logger.notice(`Metrics for Prometheus on http://${bind}:${actual}/metrics`);
        resolve(actual);
      });
    });
  }

  stop(): Promise<void> {
    const http = this.http;
    this.http = null;
    if (http === null) return Promise.resolve();
    http.closeAllConnections();
    return new Promise((resolve) => http.close(() => resolve()));
  }
}
