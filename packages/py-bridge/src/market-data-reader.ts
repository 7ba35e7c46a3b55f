/**
 * The seqlock reader on the Node side, for tools (`cwts status`) and tests: a consistent
 * copy of one symbol slot, retried while the writer is inside or moved on.
 */
import { BOOK_DEPTH, SymbolSlotView, asksOffset, bidsOffset, symbolsOffset } from '@cwts/shm-layout';
import type { Segment } from './segment.js';

export interface SymbolSnapshot {
  readonly index: number;
  readonly name: string;
  readonly venue: string;
  readonly status: number;
  readonly bid: number;
  readonly ask: number;
  readonly last: number;
  readonly updateCount: number;
  readonly publishTsNs: number;
  readonly bidDepth: number;
  readonly askDepth: number;
}

export interface BookSnapshot {
  readonly status: number;
  readonly updateCount: number;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly bidDepth: number;
  readonly askDepth: number;
}

export class MarketDataReader {
  private readonly slot: SymbolSlotView;
  private readonly u32: Uint32Array;

  constructor(private readonly segment: Segment) {
    this.slot = new SymbolSlotView(segment.accessors.views);
    this.u32 = segment.accessors.views.u32;
  }

  get symbolCount(): number {
    return this.segment.header.symbolCount;
  }

  read(index: number): SymbolSnapshot {
    const slot = this.slot.at(symbolsOffset(index));
    for (;;) {
      const before = Atomics.load(this.u32, slot.seqIndex);
      if (before % 2 === 1) continue; // the writer is inside
      const snapshot: SymbolSnapshot = {
        index, name: slot.name, venue: slot.venue, status: slot.status, bid: slot.bid, ask: slot.ask, last: slot.last,
        updateCount: slot.updateCount, publishTsNs: slot.publishTsNs, bidDepth: slot.bidDepth, askDepth: slot.askDepth,
      };
      // A read-modify-write is a full barrier on every CPU (a load alone is not on ARM),
      // so the plain reads above complete before this re-check.
      if (Atomics.add(this.u32, slot.seqIndex, 0) === before) return snapshot;
    }
  }

  /** The slot's update count as it stands, without a snapshot: a cheap "has it changed?". */
  updateCount(index: number): number {
    return this.slot.at(symbolsOffset(index)).updateCount;
  }

  /**
   * One consistent copy of a symbol's book: levels into `bids` and `asks` (interleaved
   * [price, size], BOOK_DEPTH pairs each) and the slot's top fields.
   */
  readBook(index: number, bids: Float64Array, asks: Float64Array): BookSnapshot {
    const slot = this.slot.at(symbolsOffset(index));
    const f64 = this.segment.accessors.views.f64;
    const bidsAt = bidsOffset(index, 0) >>> 3;
    const asksAt = asksOffset(index, 0) >>> 3;
    for (;;) {
      const before = Atomics.load(this.u32, slot.seqIndex);
      if (before % 2 === 1) continue; // the writer is inside
      const bidDepth = Math.min(slot.bidDepth, BOOK_DEPTH);
      const askDepth = Math.min(slot.askDepth, BOOK_DEPTH);
      bids.set(f64.subarray(bidsAt, bidsAt + bidDepth * 2));
      asks.set(f64.subarray(asksAt, asksAt + askDepth * 2));
      const book: BookSnapshot = { status: slot.status, updateCount: slot.updateCount, tickSize: slot.tickSize, lotSize: slot.lotSize, bidDepth, askDepth };
      // A read-modify-write is a full barrier: the copies above completed before the re-check.
      if (Atomics.add(this.u32, slot.seqIndex, 0) === before) return book;
    }
  }

  readAll(): SymbolSnapshot[] {
    return Array.from({ length: this.symbolCount }, (_, i) => this.read(i));
  }
}
