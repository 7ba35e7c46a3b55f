/** One place that turns a feed's config into a running feed. */
import type { FeedConfig } from '../config/schema.js';
import type { Feed } from '../market/events.js';
import { ReplayFeed } from './recording.js';
import { SimulatedFeed } from './simulated-feed.js';

export async function openFeed(config: FeedConfig): Promise<Feed> {
  switch (config.type) {
    case 'simulated':
      return SimulatedFeed.open(config);
    case 'ccxt': {
      // ccxt takes about a second to load: only engines with a live feed pay for it.
      const { CcxtFeed } = await import('./ccxt-feed.js');
      return CcxtFeed.open(config);
    }
    case 'replay':
      return ReplayFeed.open(config);
  }
}
