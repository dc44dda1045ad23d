import { definePlugin } from 'redix-server';
import { MetricsEndpoint } from './metrics-endpoint';

const endpoints = new WeakMap<object, MetricsEndpoint>();

/**
 * Beyond Redis: an optional Prometheus endpoint (`metrics-port`, 0 = off), so Redix is scraped
 * directly instead of through redis_exporter. Names in README ("Metrics for Prometheus").
 */
export default definePlugin({
  name: 'metrics',
  configOptions: [
    { name: 'metrics-port', kind: 'int', default: '0', min: 0, max: 65535, description: 'Serve Prometheus metrics on http://<metrics-bind>:<port>/metrics (Redix only; 0 disables).' },
    { name: 'metrics-bind', kind: 'string', default: '127.0.0.1', description: 'Address the metrics endpoint listens on (Redix only).' },
  ],
  async setup({ server }) {
    const port = server.config.get<number>('metrics-port');
    if (port === 0) return;
    const endpoint = new MetricsEndpoint(server, server.logger);
    endpoints.set(server, endpoint);
    await endpoint.start(port, server.config.get<string>('metrics-bind'));
  },
  async stop({ server }) {
    await endpoints.get(server)?.stop();
  },
});
