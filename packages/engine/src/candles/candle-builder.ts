/**
 * OHLCV candles from trades, per symbol and timeframe, on the exchange's clock (candle
 * boundaries are UTC multiples of the timeframe, as FreqTrade and the exchanges align them).
 * A candle closes when the first trade of a later candle arrives; closed candles go to the
 * store and to `onClose`. A trade older than the open candle is counted, not applied
 * (its candle is already stored).
 */
import type { Trade } from '../market/events.js';
import { timeframeMs, type Timeframe } from './timeframes.js';

export interface Candle {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** UTC ms of the candle's first instant. */
  readonly openTimeMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
}

interface OpenCandle {
  readonly candle: Candle;
  firstMs: number;
  lastMs: number;
}

export interface CandleSink {
  write(candles: readonly Candle[]): void;
}

export interface CandleBuilderOptions {
  readonly timeframes: readonly Timeframe[];
  readonly store: CandleSink;
  readonly onClose?: (candle: Candle) => void;
}

export class CandleBuilder {
  /** Open candle per `${symbol} ${timeframe}`, with its first and last trade times. */
  private readonly open = new Map<string, OpenCandle>();
  private readonly frames: readonly { timeframe: Timeframe; ms: number }[];
  lateTrades = 0;
  invalidTrades = 0;

  constructor(private readonly options: CandleBuilderOptions) {
    this.frames = options.timeframes.map((timeframe) => ({ timeframe, ms: timeframeMs(timeframe) }));
  }

  onTrade(trade: Trade): void {
    if (!(trade.price > 0 && Number.isFinite(trade.price) && trade.size >= 0 && Number.isFinite(trade.size) && Number.isFinite(trade.exchangeTsMs))) {
      this.invalidTrades++;
      return;
    }
    let late = false;
    for (const { timeframe, ms } of this.frames) {
      const key = `${trade.symbol} ${timeframe}`;
      const openTimeMs = Math.floor(trade.exchangeTsMs / ms) * ms;
      const entry = this.open.get(key);
      if (entry && openTimeMs === entry.candle.openTimeMs) {
        // Trades may arrive out of order inside a candle: open and close follow exchange time.
        const candle = entry.candle;
        candle.high = Math.max(candle.high, trade.price);
        candle.low = Math.min(candle.low, trade.price);
        if (trade.exchangeTsMs >= entry.lastMs) {
          candle.close = trade.price;
          entry.lastMs = trade.exchangeTsMs;
        }
        if (trade.exchangeTsMs < entry.firstMs) {
          candle.open = trade.price;
          entry.firstMs = trade.exchangeTsMs;
        }
        candle.volume += trade.size;
        candle.trades++;
      } else if (entry && openTimeMs < entry.candle.openTimeMs) {
        late = true;
      } else {
        if (entry) this.close(entry.candle);
        const candle = { symbol: trade.symbol, timeframe, openTimeMs, open: trade.price, high: trade.price, low: trade.price, close: trade.price, volume: trade.size, trades: 1 };
        this.open.set(key, { candle, firstMs: trade.exchangeTsMs, lastMs: trade.exchangeTsMs });
      }
    }
    if (late) this.lateTrades++;
  }

  /** The open candle of a symbol and timeframe, as it stands. */
  current(symbol: string, timeframe: Timeframe): Candle | undefined {
    const entry = this.open.get(`${symbol} ${timeframe}`);
    return entry && { ...entry.candle };
  }

  /** Writes every open candle to the store (they stay open: a later trade may still change them). */
  flush(): void {
    this.options.store.write([...this.open.values()].map((entry) => entry.candle));
  }

  private close(candle: Candle): void {
    this.options.store.write([candle]);
    this.options.onClose?.(candle);
  }
}
