/** One place that turns a feed's config into a running feed. */
import type { FeedConfig } from '../config/schema.js';
import type { Feed } from '../market/events.js';
import { ReplayFeed } from './recording.js';
import { SimulatedFeed } from './simulated-feed.js';

export async function openFeed(config: FeedConfig): Promise<Feed> {
  switch (config.type) {
    case 'simulated':
      return SimulatedFeed.open(config);
    case 'ccxt':
      throw new Error(`feed ${config.name ?? config.exchange}: the live ccxt feed is not in this build yet`);
    case 'replay':
      return ReplayFeed.open(config);
  }
}
