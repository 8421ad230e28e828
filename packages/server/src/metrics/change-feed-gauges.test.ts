import { describe, expect, it } from 'vitest';
import { CHANGE_FEED_CONNECTED_METRIC, CHANGE_FEED_RECONNECTIONS_METRIC, registerChangeFeedGauges } from './change-feed-gauges.js';
import { RequestMetrics } from './request-metrics.js';

describe('the change feed gauges', () => {
  it('show the feed\'s state at each scrape', async () => {
    const metrics = new RequestMetrics();
    const feed = { connected: true, reconnections: 0 };
    registerChangeFeedGauges(metrics.registry, feed);
    const states = [
      { connected: true, reconnections: 0, expected: [`${CHANGE_FEED_CONNECTED_METRIC} 1`, `${CHANGE_FEED_RECONNECTIONS_METRIC} 0`] },
      { connected: false, reconnections: 0, expected: [`${CHANGE_FEED_CONNECTED_METRIC} 0`, `${CHANGE_FEED_RECONNECTIONS_METRIC} 0`] },
      { connected: true, reconnections: 2, expected: [`${CHANGE_FEED_CONNECTED_METRIC} 1`, `${CHANGE_FEED_RECONNECTIONS_METRIC} 2`] },
    ];
    for (const { expected, ...state } of states) {
      Object.assign(feed, state);
      const body = (await metrics.render()).body;
      for (const line of expected) expect(body).toContain(line);
    }
  });
});
