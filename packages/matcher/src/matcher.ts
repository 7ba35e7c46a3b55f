/**
 * The typed face of the C++ matcher: one Matcher is one symbol's price-time priority book.
 * Prices are integer ticks and quantities integer lots (the caller converts). `submit`,
 * `cancel` and `modify` cross into C++ once each; `execute` runs many command rows in one
 * crossing and leaves the events in `events`, for callers that count nanoseconds.
 */
import { loadMatcher, type BookHandle, type MatcherAddon } from './addon.js';

export const Side = { BUY: 0, SELL: 1 } as const;
export const OrderType = { LIMIT: 0, MARKET: 1 } as const;
export const TimeInForce = { GTC: 0, IOC: 1, FOK: 2, POST_ONLY: 3 } as const;
export const SelfTrade = { CANCEL_TAKER: 0, CANCEL_MAKER: 1, CANCEL_BOTH: 2 } as const;
export const EventType = { RESTED: 0, FILL: 1, CANCELLED: 2, REJECTED: 3, MODIFIED: 4 } as const;
export const Reason = {
  NONE: 0, DUPLICATE_ID: 1, UNKNOWN_ORDER: 2, INVALID_QUANTITY: 3, INVALID_PRICE: 4, INVALID_ENUM: 5,
  POST_ONLY_WOULD_CROSS: 6, FILL_OR_KILL_UNFILLED: 7, NO_LIQUIDITY: 8, SELF_TRADE: 9, REQUESTED: 10,
} as const;

type ValueOf<T> = T[keyof T];

export interface NewOrder {
  readonly id: number;
  readonly owner: number;
  readonly side: ValueOf<typeof Side>;
  readonly type?: ValueOf<typeof OrderType>;
  readonly timeInForce?: ValueOf<typeof TimeInForce>;
  readonly selfTrade?: ValueOf<typeof SelfTrade>;
  /** Ticks; ignored for market orders. */
  readonly price: number;
  /** Lots. */
  readonly qty: number;
}

export type Command =
  | ({ readonly op: 'submit' } & NewOrder)
  | { readonly op: 'cancel'; readonly id: number }
  | { readonly op: 'modify'; readonly id: number; readonly price: number; readonly qty: number };

export interface MatchEvent {
  /** Index of the command in a batch (0 for single calls). */
  readonly command: number;
  readonly type: ValueOf<typeof EventType>;
  readonly reason: ValueOf<typeof Reason>;
  readonly orderId: number;
  /** Fill: the resting order. */
  readonly makerId: number;
  readonly price: number;
  readonly qty: number;
  readonly remaining: number;
  readonly makerRemaining: number;
}

export interface LevelView {
  readonly price: number;
  readonly qty: number;
  readonly orders: number;
}

/** Doubles per command row: op, id, owner, side, type, tif, self-trade, price, qty. */
export const COMMAND_FIELDS = 9;
/** Doubles per event row: command, type, reason, order id, maker id, price, qty, remaining, maker remaining. */
export const EVENT_FIELDS = 9;
const OP = { submit: 0, cancel: 1, modify: 2 } as const;

export class Matcher {
  private readonly addon: MatcherAddon;
  private readonly handle: BookHandle;
  private readonly row = new Float64Array(COMMAND_FIELDS);
  /** Event rows of the last call; grown when a call produced more than fit. */
  events = new Float64Array(256 * EVENT_FIELDS);

  constructor(capacity = 4096) {
    this.addon = loadMatcher();
    this.handle = this.addon.bookCreate(capacity);
  }

  submit(order: NewOrder): MatchEvent[] {
    return this.single({ op: 'submit', ...order });
  }

  cancel(id: number): MatchEvent[] {
    return this.single({ op: 'cancel', id });
  }

  /** New price and open quantity; a smaller quantity at the same price keeps time priority. */
  modify(id: number, price: number, qty: number): MatchEvent[] {
    return this.single({ op: 'modify', id, price, qty });
  }

  /** Many commands in one crossing into C++. */
  batch(commands: readonly Command[]): MatchEvent[] {
    const rows = new Float64Array(commands.length * COMMAND_FIELDS);
    commands.forEach((c, i) => writeCommand(rows, i, c));
    return this.read(this.execute(rows, commands.length));
  }

  /** The raw path: `count` command rows in, the number of event rows now in `events` out. */
  execute(rows: Float64Array, count: number): number {
    const produced = this.addon.bookExecute(this.handle, rows, count, this.events);
    if (produced * EVENT_FIELDS > this.events.length) {
      const fitted = this.events.length / EVENT_FIELDS;
      const grown = new Float64Array(Math.max(produced, fitted * 2) * EVENT_FIELDS);
      grown.set(this.events);
      this.addon.bookCopyEvents(this.handle, fitted, grown.subarray(fitted * EVENT_FIELDS));
      this.events = grown;
    }
    return produced;
  }

  levels(side: ValueOf<typeof Side>, max = 50): LevelView[] {
    const out = new Float64Array(max * 3);
    const n = this.addon.bookLevels(this.handle, side, out);
    return Array.from({ length: n }, (_, i) => ({ price: out[3 * i]!, qty: out[3 * i + 1]!, orders: out[3 * i + 2]! }));
  }

  get orderCount(): number {
    return this.addon.bookOrderCount(this.handle);
  }

  /** '' when the book is sorted, uncrossed, and its totals, links and id map agree. */
  checkInvariants(): string {
    return this.addon.bookCheck(this.handle);
  }

  private single(command: Command): MatchEvent[] {
    writeCommand(this.row, 0, command);
    return this.read(this.execute(this.row, 1));
  }

  private read(count: number): MatchEvent[] {
    const e = this.events;
    return Array.from({ length: count }, (_, i) => {
      const r = i * EVENT_FIELDS;
      return {
        command: e[r]!, type: e[r + 1]! as MatchEvent['type'], reason: e[r + 2]! as MatchEvent['reason'], orderId: e[r + 3]!,
        makerId: e[r + 4]!, price: e[r + 5]!, qty: e[r + 6]!, remaining: e[r + 7]!, makerRemaining: e[r + 8]!,
      };
    });
  }
}

/** Writes one command as row `i` of `rows`. */
export function writeCommand(rows: Float64Array, i: number, c: Command): void {
  const r = i * COMMAND_FIELDS;
  rows.fill(0, r, r + COMMAND_FIELDS);
  rows[r] = OP[c.op];
  rows[r + 1] = c.id;
  if (c.op === 'submit') {
    rows[r + 2] = c.owner;
    rows[r + 3] = c.side;
    rows[r + 4] = c.type ?? OrderType.LIMIT;
    rows[r + 5] = c.timeInForce ?? TimeInForce.GTC;
    rows[r + 6] = c.selfTrade ?? SelfTrade.CANCEL_TAKER;
  }
  if (c.op !== 'cancel') {
    rows[r + 7] = c.price;
    rows[r + 8] = c.qty;
  }
}
