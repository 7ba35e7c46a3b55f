/**
 * The market as the hot-loop thread sees it: straight from the segment, each book copied
 * under its seqlock and turned into ticks and lots for the venue's mirror.
 */
import { BOOK_DEPTH, SymbolStatus } from '@cwts/shm-layout';
import type { MarketDataReader, Segment } from '@cwts/py-bridge';
import { incrementsOf } from '../units.js';
import type { MarketView } from './execution.js';

interface SymbolBook {
  readonly bidsRaw: Float64Array;
  readonly asksRaw: Float64Array;
  readonly bids: { ticks: Float64Array; lots: Float64Array; count: number };
  readonly asks: { ticks: Float64Array; lots: Float64Array; count: number };
  updateCount: number;
  status: number;
  tickSize: number;
  lotSize: number;
}

function side(): { ticks: Float64Array; lots: Float64Array; count: number } {
  return { ticks: new Float64Array(BOOK_DEPTH), lots: new Float64Array(BOOK_DEPTH), count: 0 };
}

export class SegmentMarket implements MarketView {
  private readonly books = new Map<number, SymbolBook>();
  private readonly names = new Map<number, string>();

  constructor(private readonly segment: Segment, private readonly reader: MarketDataReader) {}

  instrument(symbolIndex: number): { tickSize: number; lotSize: number } | undefined {
    const book = this.read(symbolIndex);
    return book && book.status & SymbolStatus.ACTIVE ? book : undefined;
  }

  book(symbolIndex: number): SymbolBook | undefined {
    const book = this.read(symbolIndex);
    return book && book.status & SymbolStatus.ACTIVE ? book : undefined;
  }

  /** A slot's name does not change while the engine runs: read once. */
  name(symbolIndex: number): string {
    let name = this.names.get(symbolIndex);
    if (name === undefined) this.names.set(symbolIndex, (name = this.reader.read(symbolIndex).name));
    return name;
  }

  headerFlags(): number {
    return this.segment.header.flags;
  }

  controlMode(): number {
    return this.segment.header.controlMode;
  }

  private read(symbolIndex: number): SymbolBook | undefined {
    if (!Number.isInteger(symbolIndex) || symbolIndex < 0 || symbolIndex >= this.reader.symbolCount) return undefined;
    let book = this.books.get(symbolIndex);
    if (!book) {
      book = { bidsRaw: new Float64Array(BOOK_DEPTH * 2), asksRaw: new Float64Array(BOOK_DEPTH * 2), bids: side(), asks: side(), updateCount: -1, status: 0, tickSize: 0, lotSize: 0 };
      this.books.set(symbolIndex, book);
    }
    // Unchanged since the last copy: the copy stands (an update in flight shows as a new count).
    if (book.updateCount >= 0 && this.reader.updateCount(symbolIndex) === book.updateCount) return book;
    const snapshot = this.reader.readBook(symbolIndex, book.bidsRaw, book.asksRaw);
    book.status = snapshot.status;
    book.tickSize = snapshot.tickSize;
    book.lotSize = snapshot.lotSize;
    if (snapshot.updateCount !== book.updateCount) {
      book.updateCount = snapshot.updateCount;
      const { tick, lot } = incrementsOf(book);
      toUnits(book.bidsRaw, snapshot.bidDepth, book.bids, tick, lot);
      toUnits(book.asksRaw, snapshot.askDepth, book.asks, tick, lot);
    }
    return book;
  }
}

/** Prices to ticks and sizes to lots (rounded: the book is on the venue's grid). */
function toUnits(raw: Float64Array, depth: number, out: { ticks: Float64Array; lots: Float64Array; count: number }, tick: number, lot: number): void {
  let n = 0;
  for (let i = 0; i < depth; i++) {
    const lots = Math.round(raw[2 * i + 1]! / lot);
    if (lots < 1) continue;
    out.ticks[n] = Math.round(raw[2 * i]! / tick);
    out.lots[n] = lots;
    n++;
  }
  out.count = n;
}
