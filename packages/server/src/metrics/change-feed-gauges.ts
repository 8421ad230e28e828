import { Gauge, type Registry } from 'prom-client';

/** The gauges' names in `/metrics`. */
export const CHANGE_FEED_CONNECTED_METRIC = 'castellan_change_feed_connected';
export const CHANGE_FEED_RECONNECTIONS_METRIC = 'castellan_change_feed_reconnections';

/** What the gauges read from the feed at each scrape (`PostgresChangeFeed` has both). */
export interface ChangeFeedStatus {
  readonly connected: boolean;
  readonly reconnections: number;
}

/**
 * Publishes whether this node hears the other nodes' changes (1) or not (0: its caches may miss
 * changes until it reconnects and forgets everything), and how often it had to reconnect.
 */
export function registerChangeFeedGauges(registry: Registry, feed: ChangeFeedStatus): void {
  new Gauge({
    name: CHANGE_FEED_CONNECTED_METRIC,
    help: 'Whether this node listens to the other nodes\' changes over PostgreSQL LISTEN/NOTIFY (1) or is reconnecting (0).',
    registers: [registry],
    collect() {
      this.set(feed.connected ? 1 : 0);
    },
  });
  new Gauge({
    name: CHANGE_FEED_RECONNECTIONS_METRIC,
    help: 'How many times the change feed\'s listening connection was re-established since start (each one made this node forget its cached state).',
    registers: [registry],
    collect() {
      this.set(feed.reconnections);
    },
  });
}
