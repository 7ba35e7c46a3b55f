/**
 * The simulated venue as a feed: the seeded market of `simulated/market.ts`, paced to
 * `eventsPerSecond` book updates on the wall clock, or as fast as the machine allows.
 * No network. At full speed it yields to the event loop every batch, so timers (the
 * heartbeat, stale checks) and signals still run.
 */
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import type { FeedConfig } from '../config/schema.js';
import type { Feed, Instrument, MarketEvent } from '../market/events.js';
import { DEFAULT_SIMULATED_SYMBOLS, SimulatedMarket, type SimulatedSymbol } from './simulated/market.js';

export type SimulatedFeedConfig = Extract<FeedConfig, { type: 'simulated' }>;

/** Steps between two yields to the event loop when running flat out. */
const BATCH = 256;
/** The venue clock's step at full speed: as if 100,000 updates a second. */
const MAX_RATE_STEP_MS = 0.01;
const DEFAULT_VOLATILITY = 5e-6;

function nowNs(): number {
  return Number(process.hrtime.bigint());
}

export class SimulatedFeed implements Feed {
  readonly name: string;
  readonly symbols: readonly string[];
  private readonly market: SimulatedMarket;
  private readonly specs: readonly SimulatedSymbol[];
  private closed = false;

  private constructor(private readonly config: SimulatedFeedConfig) {
    this.name = config.name;
    const rate = config.eventsPerSecond;
    this.specs = config.symbols ?? DEFAULT_SIMULATED_SYMBOLS;
    this.market = new SimulatedMarket({
      seed: config.seed,
      symbols: this.specs,
      depth: config.depth,
      volatility: config.volatility ?? DEFAULT_VOLATILITY,
      startTimeMs: config.startTimeMs ?? Date.now(),
      stepMs: rate === 'max' ? MAX_RATE_STEP_MS : 1000 / rate,
    });
    this.symbols = this.market.symbols;
  }

  static open(config: SimulatedFeedConfig): SimulatedFeed {
    return new SimulatedFeed(config);
  }

  async *events(): AsyncGenerator<MarketEvent> {
    const market = this.market;
    const rate = this.config.eventsPerSecond;
    yield { type: 'status', feed: this.name, state: 'live' };
    yield* market.snapshots(nowNs());
    const startedMs = performance.now();
    const events: MarketEvent[] = [];
    let steps = 0;
    while (!this.closed) {
      // Steps due by now on the wall clock; at full speed, one batch.
      const due = rate === 'max' ? BATCH : Math.min(BATCH, Math.floor(((performance.now() - startedMs) * rate) / 1000) - steps);
      if (due <= 0) {
        await sleep(Math.max(1, this.market.stepMs));
        continue;
      }
      // Each step's events go out before the next step, so receive times are honest.
      for (let i = 0; i < due; i++) {
        market.step(nowNs(), events);
        yield* events;
        events.length = 0;
      }
      steps += due;
      await yieldToLoop();
    }
  }

  instrument(symbol: string): Instrument | undefined {
    return this.specs.find((s) => s.symbol === symbol);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
