/**
 * What the execution stages need from a venue. The simulated venue answers at once; a live
 * venue answers later (undefined here), through `Execution.onVenueEvent`.
 */
import type { MirrorLevels, VenueOutcome } from './simulated-venue.js';

export interface Venue {
  /** Mirrors the market's book (simulated venue only); outcomes of working orders it crossed. */
  syncMarket?(symbolIndex: number, bids: MirrorLevels, asks: MirrorLevels): Map<number, VenueOutcome>;
  submit(symbolIndex: number, orderId: number, owner: number, side: 'buy' | 'sell', market: boolean, timeInForce: number, priceTicks: number, lots: number): VenueOutcome | undefined;
  cancel(symbolIndex: number, orderId: number): VenueOutcome | undefined;
  modify(symbolIndex: number, orderId: number, priceTicks: number, lots: number): Map<number, VenueOutcome> | undefined;
}
