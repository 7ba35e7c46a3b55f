/**
 * The path of a signal, as stages: decode and validate → pre-trade risk → venue →
 * reports and positions. Every signal gets exactly one terminal report: FILLED, CANCELLED,
 * REJECTED (with its RejectReason) or EXPIRED; a new order may get ACCEPTED and
 * PARTIALLY_FILLED first. CANCEL and MODIFY are answered on the order they target, and on
 * their own client order id only when rejected. Runs on the hot-loop thread; knows nothing
 * of threads itself.
 */
import { ControlMode, HeaderFlag, RejectReason, ReportKind, SignalAction, SymbolStatus, TimeInForce } from '@cwts/shm-layout';
import type { Report, Signal } from '@cwts/py-bridge';
import { transition, type OrderState } from './order-state.js';
import { fromUnits, incrementsOf } from '../units.js';
import { Position } from './position.js';
import type { ApprovalRecord, RiskRecord, VenueEvent, VoteRecord } from './record-ring.js';
import { RISK_MULTIPLIER } from '../modes/control-mode.js';
import { RISK_CONTROLS, type PreTradeRisk } from '../risk/pre-trade.js';
import type { LimitUpdate } from '../risk/limit-update.js';
import { VENUE_EVENT_TYPE } from './record-ring.js';
import type { MirrorLevels, VenueFill, VenueOutcome } from './simulated-venue.js';
import type { Venue } from './venue.js';
import { validateSignal, type InstrumentTable, type OrderIntent } from './signal-validation.js';

/** What the execution needs to know of the market, per symbol slot. */
export interface MarketView extends InstrumentTable {
  /** The symbol slot's name, e.g. BTC/USDT. */
  name(symbolIndex: number): string;
  /** The book as the venue should mirror it, in ticks and lots; undefined while it has none. */
  book(symbolIndex: number): { readonly bids: MirrorLevels; readonly asks: MirrorLevels; readonly updateCount: number; readonly status: number } | undefined;
  headerFlags(): number;
  /** ControlMode from the segment header. */
  controlMode(): number;
}

/** The client order id of the first order the kill switch's flatten sends; later ones count down from it. */
export const FLATTEN_CLIENT_ORDER_ID = Number.MAX_SAFE_INTEGER;

/** What a start takes over from the last run (recovery/crash-recovery.ts), by this run's symbol slots. */
export interface Carried {
  readonly positions: readonly { strategyId: number; symbolIndex: number; size: number; avgPrice: number; realizedPnl: number }[];
  readonly endedOrders: readonly { strategyId: number; clientOrderId: number; symbolIndex: number; orderId: number; filled: number; accepted: boolean }[];
}

export interface ExecutionSinks {
  report(report: Report): void;
  /** A pre-trade refusal with its numbers, or a throttle that disabled a strategy. */
  risk(record: RiskRecord): void;
  /** A SEMI_AUTO order waiting for an operator. */
  approval(request: ApprovalRecord): void;
  position(strategyId: number, symbolIndex: number, figures: ReturnType<Position['figures']>): void;
  /** A fusion voter's new-order signal, taken as its vote. */
  vote?(record: VoteRecord): void;
}

interface Order {
  readonly orderId: number;
  readonly clientOrderId: number;
  readonly strategyId: number;
  readonly symbolIndex: number;
  readonly side: 'buy' | 'sell';
  readonly signalPosition: number;
  /** Limit price in ticks; 0 for a market order. */
  priceTicks: number;
  lots: number;
  filledLots: number;
  state: OrderState;
}

export class Execution {
  private readonly working = new Map<number, Order>();
  /** Every client order id a strategy used, `${strategy} ${id}` → engine order id: duplicates are refused. */
  private readonly clientIds = new Map<string, number>();
  private readonly positions = new Map<string, Position>();
  /** SEMI_AUTO orders waiting for an operator, by engine order id. */
  private readonly awaiting = new Map<number, { order: Order; intent: OrderIntent; deadlineMs: number }>();
  /** Cancel and modify signals a live venue has not answered yet, by the order they target. */
  private readonly requests = new Map<number, Signal>();
  /** Book update count each symbol's mirror was last synced at. */
  private readonly syncedAt = new Map<number, number>();
  private nextOrderId = 1;
  private flattenOrders = 0;
  readonly counts = { signals: 0, rejected: 0, fills: 0 };

  constructor(
    private readonly market: MarketView,
    private readonly venue: Venue,
    private readonly risk: PreTradeRisk,
    private readonly sinks: ExecutionSinks,
    private readonly approvalTimeoutMs = 30_000,
    /** Strategies whose new orders are votes for the fusion stage (fusion.sources `strategy:<id>`). */
    private readonly voters: ReadonlySet<number> = new Set(),
  ) {}

  /**
   * Cancels every working order, with `reason`: KILL_ENGAGED when the kill switch engaged (the
   * header flag is already set, so strategies stopped sending; new orders are refused until it
   * is released), ENGINE_STOPPED when the engine stops. Orders parked for approval end too.
   */
  cancelAll(reason: number): number {
    const orders = [...this.working.values()];
    for (const order of orders) {
      const answered = this.venue.cancel(order.symbolIndex, order.orderId);
      // A live venue confirms each cancel later; the simulated one has done it.
      if (answered !== undefined) this.finish(order, order.state === 'created' ? 'rejected' : 'cancelled', order.state === 'created' ? ReportKind.REJECTED : ReportKind.CANCELLED, reason);
    }
    for (const [orderId, parked] of this.awaiting) {
      this.awaiting.delete(orderId);
      this.refuseParked(parked.order, reason);
    }
    return orders.length;
  }

  /**
   * The kill switch's flatten option, after cancelAll: a market order against every open
   * position, straight to the venue (it is the risk action itself, so pre-trade risk and the
   * kill refusal do not apply). Their client order ids count down from FLATTEN_CLIENT_ORDER_ID.
   */
  flatten(): number {
    let sent = 0;
    for (const [key, position] of this.positions) {
      if (position.lots === 0) continue;
      const [strategyId, symbolIndex] = key.split(' ').map(Number) as [number, number];
      const clientOrderId = FLATTEN_CLIENT_ORDER_ID - this.flattenOrders++;
      const side = position.lots > 0 ? 'sell' : 'buy';
      const lots = Math.abs(position.lots);
      const order: Order = { orderId: this.nextOrderId++, clientOrderId, strategyId, symbolIndex, side, signalPosition: 0, priceTicks: 0, lots, filledLots: 0, state: 'created' };
      this.clientIds.set(`${strategyId} ${clientOrderId}`, order.orderId);
      this.route(order, { kind: 'new', side, market: true, timeInForce: TimeInForce.IOC, priceTicks: 0, lots });
      sent++;
    }
    return sent;
  }

  /**
   * At start: positions as the last run left them, published again; the last run's working
   * orders, which the simulated venue lost, answered with their terminal report.
   */
  takeOver(carried: Carried): void {
    for (const p of carried.positions) {
      const { tick, lot } = incrementsOf(this.market.instrument(p.symbolIndex));
      const position = Position.carried(Math.round(p.size / lot), p.avgPrice / tick, p.realizedPnl / (tick * lot));
      this.positions.set(`${p.strategyId} ${p.symbolIndex}`, position);
      this.sinks.position(p.strategyId, p.symbolIndex, position.figures(tick, lot, this.mid(p.symbolIndex)));
    }
    for (const o of carried.endedOrders) {
      this.sinks.report({
        kind: o.accepted ? ReportKind.CANCELLED : ReportKind.REJECTED, reason: RejectReason.ENGINE_STOPPED, clientOrderId: o.clientOrderId, strategyId: o.strategyId,
        symbolIndex: o.symbolIndex, signalPosition: 0, fillSize: 0, fillPrice: 0, cumulativeFilled: o.filled, remaining: 0, orderId: o.orderId,
      });
    }
  }

  /** The operator's action after the repeated-execution throttle disabled a strategy. */
  enableStrategy(strategyId: number): void {
    this.risk.enable(strategyId);
  }

  /** An operator's limit update, already checked by the main thread. */
  updateLimit(update: LimitUpdate): void {
    this.risk.update(update);
  }

  handle(signal: Signal): void {
    this.counts.signals++;
    const checked = validateSignal(signal, this.market);
    if (!checked.ok) return this.reject(signal, checked.reason);
    const intent = checked.intent;
    if (intent.kind === 'new') return this.voters.has(signal.strategyId) ? this.vote(signal, intent) : this.newOrder(signal, intent);
    const target = this.working.get(this.clientIds.get(`${signal.strategyId} ${intent.target}`) ?? 0);
    if (!target || target.symbolIndex !== signal.symbolIndex) return this.reject(signal, RejectReason.UNKNOWN_ORDER);
    if (intent.kind === 'cancel') {
      // A live venue confirms the cancel later, as a venue event.
      if (this.venue.cancel(target.symbolIndex, target.orderId) === undefined) return void this.requests.set(target.orderId, { ...signal });
      return this.finish(target, 'cancelled', ReportKind.CANCELLED, RejectReason.NONE);
    }
    const refused = this.checkRisk(signal, target.side, intent.priceTicks, intent.lots, target.orderId);
    if (refused) return;
    this.sync(target.symbolIndex);
    const outcomes = this.venue.modify(target.symbolIndex, target.orderId, intent.priceTicks, intent.lots);
    if (outcomes === undefined) return void this.requests.set(target.orderId, { ...signal });
    const outcome = outcomes.get(target.orderId);
    if (outcome?.rejected) return this.reject(signal, outcome.endReason);
    target.lots = target.filledLots + intent.lots;
    target.priceTicks = intent.priceTicks;
    this.send(target, ReportKind.MODIFIED, RejectReason.NONE);
    this.apply(outcomes);
  }

  /** Re-mirrors the market for every symbol with working orders whose book moved; fills what it crossed. */
  syncWorking(): void {
    const symbols = new Set<number>();
    for (const order of this.working.values()) symbols.add(order.symbolIndex);
    for (const symbol of symbols) this.sync(symbol);
  }

  /**
   * A voter's signal goes to the fusion stage instead of the venue, and is answered EXPIRED
   * with reason HOLD: recorded, never an order of its own. Its client order id counts as used.
   */
  private vote(signal: Signal, intent: Extract<OrderIntent, { kind: 'new' }>): void {
    const key = `${signal.strategyId} ${signal.clientOrderId}`;
    if (signal.clientOrderId === 0 || this.clientIds.has(key)) return this.reject(signal, RejectReason.DUPLICATE_CLIENT_ORDER_ID);
    if (this.market.headerFlags() & HeaderFlag.KILL_ENGAGED) return this.reject(signal, RejectReason.KILL_ENGAGED);
    this.clientIds.set(key, 0);
    this.sinks.vote?.({ strategyId: signal.strategyId, clientOrderId: signal.clientOrderId, symbolIndex: signal.symbolIndex, buy: intent.side === 'buy' ? 1 : 0, confidence: signal.confidence });
    this.answer(signal, ReportKind.EXPIRED, RejectReason.HOLD);
  }

  private newOrder(signal: Signal, intent: OrderIntent): void {
    const key = `${signal.strategyId} ${signal.clientOrderId}`;
    if (signal.clientOrderId === 0 || this.clientIds.has(key)) return this.reject(signal, RejectReason.DUPLICATE_CLIENT_ORDER_ID);
    if (this.market.headerFlags() & HeaderFlag.KILL_ENGAGED) return this.reject(signal, RejectReason.KILL_ENGAGED);
    const book = this.market.book(signal.symbolIndex);
    if (!book || book.status & SymbolStatus.STALE || (book.bids.count === 0 && book.asks.count === 0)) return this.reject(signal, RejectReason.NO_MARKET_DATA);
    const mode = this.market.controlMode();
    if (mode === ControlMode.MANUAL) return this.reject(signal, RejectReason.MODE_MANUAL);
    const reducing = this.reduces(signal.strategyId, signal.symbolIndex, intent.side, intent.lots);
    if (mode === ControlMode.EMERGENCY && !reducing) return this.reject(signal, RejectReason.MODE_EMERGENCY);
    // EMERGENCY admits only reducing orders, and those at the full limits.
    const multiplier = mode === ControlMode.EMERGENCY ? 1 : (RISK_MULTIPLIER[mode] ?? 0);
    if (this.checkRisk(signal, intent.side, intent.market ? 0 : intent.priceTicks, intent.lots, 0, multiplier)) return;
    const order: Order = {
      orderId: this.nextOrderId++, clientOrderId: signal.clientOrderId, strategyId: signal.strategyId, symbolIndex: signal.symbolIndex,
      side: intent.side, signalPosition: signal.position, priceTicks: intent.market ? 0 : intent.priceTicks, lots: intent.lots, filledLots: 0, state: 'created',
    };
    this.clientIds.set(key, order.orderId);
    if (mode === ControlMode.SEMI_AUTO) {
      // Parked until an operator approves it, or the timeout refuses it.
      this.awaiting.set(order.orderId, { order, intent, deadlineMs: Date.now() + this.approvalTimeoutMs });
      const { tick, lot } = incrementsOf(this.market.instrument(order.symbolIndex));
      this.sinks.approval({ orderId: order.orderId, strategyId: order.strategyId, clientOrderId: order.clientOrderId, symbolIndex: order.symbolIndex, buy: order.side === 'buy' ? 1 : 0, size: fromUnits(order.lots, lot), price: fromUnits(order.priceTicks, tick) });
      return;
    }
    this.route(order, intent);
  }

  /** An operator's answer to a parked SEMI_AUTO order. */
  decide(orderId: number, approved: boolean): void {
    const parked = this.awaiting.get(orderId);
    if (!parked) return;
    this.awaiting.delete(orderId);
    if (approved) this.route(parked.order, parked.intent);
    else this.refuseParked(parked.order, RejectReason.APPROVAL_REJECTED);
  }

  /** Refuses parked orders whose approval did not come in time. */
  expireApprovals(nowMs: number): void {
    for (const [orderId, parked] of this.awaiting) {
      if (nowMs < parked.deadlineMs) continue;
      this.awaiting.delete(orderId);
      this.refuseParked(parked.order, RejectReason.APPROVAL_TIMEOUT);
    }
  }

  private refuseParked(order: Order, reason: number): void {
    transition(order, 'rejected');
    this.send(order, ReportKind.REJECTED, reason);
  }

  /** Whether the order only takes the strategy's position in the symbol toward zero. */
  private reduces(strategyId: number, symbolIndex: number, side: 'buy' | 'sell', lots: number): boolean {
    const held = this.positions.get(`${strategyId} ${symbolIndex}`)?.lots ?? 0;
    return side === 'buy' ? held < 0 && lots <= -held : held > 0 && lots <= held;
  }

  /** Stage 3: the venue. */
  private route(order: Order, intent: OrderIntent): void {
    this.sync(order.symbolIndex);
    const outcome = this.venue.submit(order.symbolIndex, order.orderId, order.strategyId, order.side, intent.market, intent.timeInForce, order.priceTicks, order.lots);
    if (outcome === undefined) {
      // A live venue: the order waits, created, for the venue to accept or refuse it.
      this.working.set(order.orderId, order);
      return;
    }
    if (outcome.rejected) {
      transition(order, 'rejected');
      return this.send(order, ReportKind.REJECTED, outcome.endReason);
    }
    transition(order, 'accepted');
    this.working.set(order.orderId, order);
    this.send(order, ReportKind.ACCEPTED, RejectReason.NONE);
    this.applyOne(order, outcome);
  }

  /** What a live venue said about an order (accepted, a fill, cancelled, rejected). */
  onVenueEvent(event: VenueEvent): void {
    const order = this.working.get(event.orderId);
    if (!order) return;
    const request = this.requests.get(order.orderId);
    if (event.type === VENUE_EVENT_TYPE.REQUEST_REFUSED) {
      // The cancel or modify signal gets its reject; the order stays as it was.
      this.requests.delete(order.orderId);
      if (request) this.reject(request, event.reason);
      return;
    }
    if (event.type === VENUE_EVENT_TYPE.REJECTED) {
      if (order.state === 'created') this.finish(order, 'rejected', ReportKind.REJECTED, event.reason);
      return;
    }
    if (order.state === 'created') {
      if (event.type === VENUE_EVENT_TYPE.CANCELLED) return this.finish(order, 'rejected', ReportKind.REJECTED, event.reason || RejectReason.VENUE_REJECTED);
      transition(order, 'accepted');
      this.send(order, ReportKind.ACCEPTED, RejectReason.NONE);
    }
    const { tick, lot } = incrementsOf(this.market.instrument(order.symbolIndex));
    if (event.type === VENUE_EVENT_TYPE.FILL) {
      this.fill(order, { orderId: order.orderId, priceTicks: Math.round(event.price / tick), lots: Math.round(event.size / lot), remainingLots: Math.round(event.remaining / lot) });
    } else if (event.type === VENUE_EVENT_TYPE.MODIFIED) {
      this.requests.delete(order.orderId);
      order.lots = order.filledLots + Math.round(event.size / lot);
      order.priceTicks = Math.round(event.price / tick);
      this.send(order, ReportKind.MODIFIED, RejectReason.NONE);
    } else if (event.type === VENUE_EVENT_TYPE.CANCELLED) {
      this.requests.delete(order.orderId);
      this.finish(order, 'cancelled', ReportKind.CANCELLED, event.reason);
    }
  }

  /** Stage 2, pre-trade risk: true when it refused the signal (and reported why). */
  private checkRisk(signal: Signal, side: 'buy' | 'sell', priceTicks: number, lots: number, replacing = 0, multiplier = RISK_MULTIPLIER[this.market.controlMode()] ?? 0): boolean {
    const { tick, lot } = incrementsOf(this.market.instrument(signal.symbolIndex));
    const book = this.market.book(signal.symbolIndex);
    const best = (levels: MirrorLevels | undefined): number | undefined => (levels && levels.count ? levels.ticks[0]! * tick : undefined);
    const bid = best(book?.bids);
    const ask = best(book?.asks);
    const refusal = this.risk.check({
      strategyId: signal.strategyId, symbol: this.market.name(signal.symbolIndex), side, size: lots * lot,
      price: priceTicks ? priceTicks * tick : undefined,
      reference: bid !== undefined && ask !== undefined ? (bid + ask) / 2 : undefined,
      touch: side === 'buy' ? ask : bid,
      strategyExposure: this.exposure(signal.strategyId, replacing), accountExposure: this.exposure(undefined, replacing), nowMs: Date.now(), multiplier,
    });
    if (!refusal) return false;
    this.sinks.risk({ reason: refusal.reason, control: RISK_CONTROLS.indexOf(refusal.control), strategyId: signal.strategyId, clientOrderId: signal.clientOrderId, symbolIndex: signal.symbolIndex, limit: refusal.limit, attempted: refusal.attempted, reference: refusal.reference });
    this.reject(signal, refusal.reason);
    return true;
  }

  /** Open position value plus working orders value, quote currency: one strategy's, or (undefined) the account's. */
  private exposure(strategyId: number | undefined, excludeOrderId: number): number {
    let sum = 0;
    for (const order of this.working.values()) {
      if (order.orderId === excludeOrderId || (strategyId !== undefined && order.strategyId !== strategyId)) continue;
      const { tick, lot } = incrementsOf(this.market.instrument(order.symbolIndex));
      sum += (order.lots - order.filledLots) * lot * (order.priceTicks ? order.priceTicks * tick : this.mid(order.symbolIndex));
    }
    for (const [key, position] of this.positions) {
      const [strategy, symbol] = key.split(' ').map(Number) as [number, number];
      if (strategyId !== undefined && strategy !== strategyId) continue;
      sum += Math.abs(position.lots) * incrementsOf(this.market.instrument(symbol)).lot * this.mid(symbol);
    }
    return sum;
  }

  private mid(symbolIndex: number): number {
    const book = this.market.book(symbolIndex);
    const { tick } = incrementsOf(this.market.instrument(symbolIndex));
    return book && book.bids.count && book.asks.count ? ((book.bids.ticks[0]! + book.asks.ticks[0]!) / 2) * tick : 0;
  }

  private sync(symbolIndex: number): void {
    if (!this.venue.syncMarket) return;
    const book = this.market.book(symbolIndex);
    if (!book || this.syncedAt.get(symbolIndex) === book.updateCount) return;
    this.syncedAt.set(symbolIndex, book.updateCount);
    this.apply(this.venue.syncMarket(symbolIndex, book.bids, book.asks));
  }

  private apply(outcomes: Map<number, VenueOutcome>): void {
    for (const [orderId, outcome] of outcomes) {
      const order = this.working.get(orderId);
      if (order) this.applyOne(order, outcome);
    }
  }

  private applyOne(order: Order, outcome: VenueOutcome): void {
    for (const fill of outcome.fills) this.fill(order, fill);
    // The venue ended what was left (IOC or market remainder, self-trade): a terminal cancel with its reason.
    if (order.state !== 'filled' && !outcome.resting && outcome.endReason !== 0) this.finish(order, 'cancelled', ReportKind.CANCELLED, outcome.endReason);
  }

  private fill(order: Order, fill: VenueFill): void {
    this.counts.fills++;
    order.filledLots += fill.lots;
    const done = fill.remainingLots === 0;
    transition(order, done ? 'filled' : 'partially_filled');
    const { tick, lot } = incrementsOf(this.market.instrument(order.symbolIndex));
    const key = `${order.strategyId} ${order.symbolIndex}`;
    let position = this.positions.get(key);
    if (!position) this.positions.set(key, (position = new Position()));
    position.apply(order.side, fill.priceTicks, fill.lots);
    if (this.risk.onFill(order.strategyId, Date.now())) {
      this.sinks.risk({ reason: RejectReason.RISK_STRATEGY_DISABLED, control: RISK_CONTROLS.indexOf('repeated-execution throttle'), strategyId: order.strategyId, clientOrderId: 0, symbolIndex: order.symbolIndex, limit: 0, attempted: 0, reference: 0 });
    }
    const mid = this.mid(order.symbolIndex);
    // The position first: a strategy that sees the fill's report finds it already moved.
    this.sinks.position(order.strategyId, order.symbolIndex, position.figures(tick, lot, mid));
    this.send(order, done ? ReportKind.FILLED : ReportKind.PARTIALLY_FILLED, RejectReason.NONE, fill);
    if (done) this.retire(order);
  }

  private finish(order: Order, state: OrderState, kind: number, reason: number): void {
    transition(order, state);
    this.send(order, kind, reason);
    this.retire(order);
  }

  /** The order is done; a cancel or modify still waiting on it can no longer happen. */
  private retire(order: Order): void {
    this.working.delete(order.orderId);
    const request = this.requests.get(order.orderId);
    if (!request) return;
    this.requests.delete(order.orderId);
    this.reject(request, RejectReason.UNKNOWN_ORDER);
  }

  private send(order: Order, kind: number, reason: number, fill?: VenueFill): void {
    const { tick, lot } = incrementsOf(this.market.instrument(order.symbolIndex));
    this.sinks.report({
      kind, reason, clientOrderId: order.clientOrderId, strategyId: order.strategyId, symbolIndex: order.symbolIndex,
      signalPosition: order.signalPosition, fillSize: fill ? fromUnits(fill.lots, lot) : 0, fillPrice: fill ? fromUnits(fill.priceTicks, tick) : 0,
      cumulativeFilled: fromUnits(order.filledLots, lot), remaining: isTerminalKind(kind) ? 0 : fromUnits(order.lots - order.filledLots, lot), orderId: order.orderId,
    });
  }

  private reject(signal: Pick<Signal, 'action' | 'clientOrderId' | 'strategyId' | 'symbolIndex' | 'position'>, reason: number): void {
    this.counts.rejected++;
    this.answer(signal, signal.action === SignalAction.HOLD ? ReportKind.EXPIRED : ReportKind.REJECTED, reason);
  }

  /** The one report a signal that makes no order gets. */
  private answer(signal: Pick<Signal, 'clientOrderId' | 'strategyId' | 'symbolIndex' | 'position'>, kind: number, reason: number): void {
    this.sinks.report({
      kind, reason, clientOrderId: signal.clientOrderId, strategyId: signal.strategyId, symbolIndex: signal.symbolIndex,
      signalPosition: signal.position, fillSize: 0, fillPrice: 0, cumulativeFilled: 0, remaining: 0, orderId: 0,
    });
  }
}

/** FILLED, CANCELLED, REJECTED, EXPIRED: an order's last report. */
export function isTerminalKind(kind: number): boolean {
  return kind === ReportKind.FILLED || kind === ReportKind.CANCELLED || kind === ReportKind.REJECTED || kind === ReportKind.EXPIRED;
}
