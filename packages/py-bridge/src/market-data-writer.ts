/**
 * The seqlock writer of the symbol slots: one writer per symbol, the slot and its bid and
 * ask levels published together (docs/segment.md, "Market data").
 */
import {
  BOOK_DEPTH,
  MAX_SYMBOLS,
  SymbolSlotView,
  SymbolStatus,
  asksOffset,
  bidsOffset,
  symbolsOffset,
} from '@cwts/shm-layout';
import type { Segment } from './segment.js';

export interface SymbolInfo {
  readonly name: string;
  readonly venue: string;
  readonly tickSize: number;
  readonly lotSize: number;
}

/** One book update; the caller may reuse it (and its arrays) for every publish. */
export interface BookUpdate {
  bid: number;
  ask: number;
  bidVolume: number;
  askVolume: number;
  last: number;
  volume24h: number;
  exchangeTsNs: number;
  receiveTsNs: number;
  /** SymbolStatus bits besides ACTIVE. */
  status: number;
  /** `[price, volume]` pairs interleaved, best first; `bidDepth` of them are valid. */
  readonly bids: Float64Array;
  bidDepth: number;
  readonly asks: Float64Array;
  askDepth: number;
}

export function emptyBookUpdate(): BookUpdate {
  return {
    bid: 0, ask: 0, bidVolume: 0, askVolume: 0, last: 0, volume24h: 0,
    exchangeTsNs: 0, receiveTsNs: 0, status: 0,
    bids: new Float64Array(BOOK_DEPTH * 2), bidDepth: 0,
    asks: new Float64Array(BOOK_DEPTH * 2), askDepth: 0,
  };
}

export class MarketDataWriter {
  private readonly slot: SymbolSlotView;
  private readonly seqWords: Uint32Array;
  private readonly f64: Float64Array;
  private readonly updateCounts = new Float64Array(MAX_SYMBOLS);

  constructor(private readonly segment: Segment) {
    this.slot = new SymbolSlotView(segment.accessors.views);
    this.seqWords = segment.accessors.views.u32;
    this.f64 = segment.accessors.views.f64;
  }

  /** Puts a symbol into slot `index`; slots are used from 0 up, without gaps. */
  register(index: number, info: SymbolInfo): void {
    checkIndex(index);
    const slot = this.begin(index);
    slot.name = info.name;
    slot.venue = info.venue;
    slot.tickSize = info.tickSize;
    slot.lotSize = info.lotSize;
    slot.status = SymbolStatus.ACTIVE;
    this.end(slot);
    const header = this.segment.header;
    if (header.symbolCount <= index) header.symbolCount = index + 1;
  }

  /** Publishes one update of symbol `index`; returns its update count. */
  publish(index: number, update: BookUpdate): number {
    const bidDepth = Math.min(update.bidDepth, BOOK_DEPTH);
    const askDepth = Math.min(update.askDepth, BOOK_DEPTH);
    const count = this.updateCounts[index]! + 1;
    this.updateCounts[index] = count;
    const slot = this.begin(index);
    slot.status = SymbolStatus.ACTIVE | update.status;
    slot.bid = update.bid;
    slot.ask = update.ask;
    slot.bidVolume = update.bidVolume;
    slot.askVolume = update.askVolume;
    slot.last = update.last;
    slot.volume24h = update.volume24h;
    slot.exchangeTsNs = update.exchangeTsNs;
    slot.receiveTsNs = update.receiveTsNs;
    slot.updateCount = count;
    slot.bidDepth = bidDepth;
    slot.askDepth = askDepth;
    // Levels are copied whole-array (a memcpy); levels past the depth are left as they were.
    this.f64.set(update.bids.subarray(0, bidDepth * 2), bidsOffset(index, 0) >>> 3);
    this.f64.set(update.asks.subarray(0, askDepth * 2), asksOffset(index, 0) >>> 3);
    slot.publishTsNs = Number(process.hrtime.bigint());
    this.end(slot);
    return count;
  }

  /** The update count the next publish of `index` will carry. */
  nextUpdateCount(index: number): number {
    return this.updateCounts[index]! + 1;
  }

  /** Replaces the status bits (ACTIVE stays) without a book change: stale, halted... */
  setStatus(index: number, bits: number): void {
    const slot = this.begin(index);
    slot.status = SymbolStatus.ACTIVE | bits;
    this.end(slot);
  }

  private begin(index: number): SymbolSlotView {
    const slot = this.slot.at(symbolsOffset(index));
    // Odd from here on: readers retry. Atomics.add is a full barrier, so no payload store moves above it.
    Atomics.add(this.seqWords, slot.seqIndex, 1);
    return slot;
  }

  private end(slot: SymbolSlotView): void {
    // Even again: the payload stores above are visible before the new version.
    Atomics.add(this.seqWords, slot.seqIndex, 1);
  }
}

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_SYMBOLS) {
    throw new RangeError(`symbol index ${index} is outside 0..${MAX_SYMBOLS - 1}`);
  }
}
