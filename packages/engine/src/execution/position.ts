/**
 * A strategy's position in one symbol, kept in integer lots and ticks so that nothing drifts:
 * open lots are a FIFO of (price, lots) entries, and a fill against the position closes the
 * oldest first, adding (exit - entry) x lots to the realized P&L in tick-lots exactly.
 * Conversion to prices and quote currency happens only on the way out.
 */
import { fromUnits } from '../units.js';
export interface PositionFigures {
  /** Signed base size: > 0 long, < 0 short. */
  readonly size: number;
  readonly avgPrice: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
}

export class Position {
  /** Signed lots. */
  lots = 0;
  /** Realized P&L in tick-lots (one tick of price on one lot). */
  realizedTickLots = 0;
  private readonly entries: { ticks: number; lots: number }[] = [];

  /**
   * A position taken over from an earlier run: its open lots as one entry at their average
   * (which may fall between ticks), and its realized P&L so far.
   */
  static carried(lots: number, avgTicks: number, realizedTickLots: number): Position {
    const position = new Position();
    position.realizedTickLots = realizedTickLots;
    if (lots !== 0) position.apply(lots > 0 ? 'buy' : 'sell', avgTicks, Math.abs(lots));
    return position;
  }

    /** A fill of `lots` (> 0) at `ticks`; buy adds, sell subtracts. */
  apply(side: 'buy' | 'sell', ticks: number, lots: number): void {
    const sign = side === 'buy' ? 1 : -1;
    let left = lots;
    // Against the position: close the oldest entries first.
    while (left > 0 && this.lots * sign < 0) {
      const entry = this.entries[0]!;
      const closed = Math.min(left, entry.lots);
      // Closing a long (sign -1) earns exit - entry; closing a short earns entry - exit.
      this.realizedTickLots += (ticks - entry.ticks) * closed * -sign;
      entry.lots -= closed;
      if (entry.lots === 0) this.entries.shift();
      this.lots += sign * closed;
      left -= closed;
    }
    if (left > 0) {
      this.entries.push({ ticks, lots: left });
      this.lots += sign * left;
    }
  }

  /** Sum of ticks x lots of the open entries (exact), for the average entry price. */
  get costTickLots(): number {
    return this.entries.reduce((sum, e) => sum + e.ticks * e.lots, 0);
  }

  figures(tickSize: number, lotSize: number, midPrice: number): PositionFigures {
    const openLots = Math.abs(this.lots);
    const avgTicks = openLots ? this.costTickLots / openLots : 0;
    const size = fromUnits(this.lots, lotSize);
    const avgPrice = avgTicks * tickSize;
    return {
      size,
      avgPrice,
      realizedPnl: this.realizedTickLots * tickSize * lotSize,
      unrealizedPnl: openLots && midPrice > 0 ? (midPrice - avgPrice) * size : 0,
    };
  }
}
