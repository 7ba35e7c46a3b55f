/**
 * The seqlock writer of the positions region: one row per strategy (the first MAX_STRATEGIES
 * strategies that trade get a row each), one slot per symbol in the row.
 */
import { MAX_STRATEGIES, PositionSlotView, positionsOffset } from '@cwts/shm-layout';
import type { Segment } from './segment.js';

export interface PositionUpdate {
  readonly size: number;
  readonly avgPrice: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
}

export class PositionWriter {
  private readonly slot: PositionSlotView;
  private readonly seqWords: Uint32Array;
  private readonly rows = new Map<number, number>();
  /** Position updates of strategies beyond the rows the segment has. */
  unpublished = 0;

  constructor(segment: Segment) {
    this.slot = new PositionSlotView(segment.accessors.views);
    this.seqWords = segment.accessors.views.u32;
  }

  /** Writes a strategy's position in a symbol; false when the strategy got no row. */
  publish(strategyId: number, symbolIndex: number, position: PositionUpdate): boolean {
    let row = this.rows.get(strategyId);
    if (row === undefined) {
      if (this.rows.size >= MAX_STRATEGIES) {
        this.unpublished++;
        return false;
      }
      row = this.rows.size;
      this.rows.set(strategyId, row);
    }
    const slot = this.slot.at(positionsOffset(row, symbolIndex));
    // Odd while writing: readers retry. Atomics.add is a full barrier on both sides.
    Atomics.add(this.seqWords, slot.seqIndex, 1);
    slot.flags = 1;
    slot.strategyId = strategyId;
    slot.symbolIndex = symbolIndex;
    slot.size = position.size;
    slot.avgPrice = position.avgPrice;
    slot.realizedPnl = position.realizedPnl;
    slot.unrealizedPnl = position.unrealizedPnl;
    slot.updatedNs = Number(process.hrtime.bigint());
    Atomics.add(this.seqWords, slot.seqIndex, 1);
    return true;
  }
}
