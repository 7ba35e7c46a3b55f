/**
 * The seqlock reader of the positions region on the Node side: what an engine left behind
 * (crash recovery reads a dead engine's segment) and what tools show.
 */
import { MAX_STRATEGIES, MAX_SYMBOLS, PositionSlotView, positionsOffset } from '@cwts/shm-layout';
import type { Segment } from './segment.js';

export interface PositionSnapshot {
  readonly strategyId: number;
  readonly symbolIndex: number;
  readonly size: number;
  readonly avgPrice: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
}

export type PositionRead = { readonly ok: true; readonly position: PositionSnapshot } | { readonly ok: false; readonly row: number; readonly symbolIndex: number };

export class PositionReader {
  private readonly slot: PositionSlotView;
  private readonly u32: Uint32Array;

  constructor(segment: Segment) {
    this.slot = new PositionSlotView(segment.accessors.views);
    this.u32 = segment.accessors.views.u32;
  }

  /**
   * Every slot that holds a position. A slot whose seq stays odd was being written when its
   * writer died: after `spins` tries it comes back as not ok, never as a torn copy.
   */
  readAll(spins = 1000): PositionRead[] {
    const found: PositionRead[] = [];
    for (let row = 0; row < MAX_STRATEGIES; row++) {
      for (let symbolIndex = 0; symbolIndex < MAX_SYMBOLS; symbolIndex++) {
        const slot = this.slot.at(positionsOffset(row, symbolIndex));
        if (slot.seq === 0) continue; // never written
        const read = this.readSlot(slot, spins);
        if (read === undefined) found.push({ ok: false, row, symbolIndex });
        else if (read.flags === 1) found.push({ ok: true, position: read.position });
      }
    }
    return found;
  }

  private readSlot(slot: PositionSlotView, spins: number): { flags: number; position: PositionSnapshot } | undefined {
    for (let i = 0; i < spins; i++) {
      const before = Atomics.load(this.u32, slot.seqIndex);
      if (before % 2 === 1) continue; // the writer is inside (or died there)
      const flags = slot.flags;
      const position: PositionSnapshot = {
        strategyId: slot.strategyId, symbolIndex: slot.symbolIndex, size: slot.size,
        avgPrice: slot.avgPrice, realizedPnl: slot.realizedPnl, unrealizedPnl: slot.unrealizedPnl,
      };
      // A read-modify-write is a full barrier: the plain reads above completed before the re-check.
      if (Atomics.add(this.u32, slot.seqIndex, 0) === before) return { flags, position };
    }
    return undefined;
  }
}
