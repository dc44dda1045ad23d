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
    { name: 'metrics-port', kind: 'int', default: '0', min: 0, max: 65535, mutable: true, description: 'Serve Prometheus metrics on http://<metrics-bind>:<port>/metrics (Redix only; 0 disables; settable live).' },
    { name: 'metrics-bind', kind: 'string', default: '127.0.0.1', mutable: true, description: 'Address the metrics endpoint listens on (Redix only; settable live).' },
  ],
  async setup({ server }) {
    const { config } = server;
    // Made on first use: prom-client's collectors (event-loop monitor, GC observer) cost nothing while off.
    const endpoint = (): MetricsEndpoint => {
      let e = endpoints.get(server);
      if (e === undefined) endpoints.set(server, (e = new MetricsEndpoint(server, server.logger)));
      return e;
    };
    const start = (): Promise<unknown> => {
      const port = config.get<number>('metrics-port');
      return port === 0 ? Promise.resolve() : endpoint().start(port, config.get<string>('metrics-bind'));
    };
    // CONFIG SET moves the endpoint (Redis's CONFIG sanity test sets every option to its value).
    const restart = (): void => {
      void (endpoints.get(server)?.stop() ?? Promise.resolve())
        .then(start)
        .catch((e: Error) => server.logger.warning(`Metrics endpoint: ${e.message}`));
    };
    config.onChange('metrics-port', restart);
    config.onChange('metrics-bind', restart);
    await start();
  },
  async stop({ server }) {
    await endpoints.get(server)?.stop();
  },
});
