import { ControlMode, HeaderFlag, RejectReason, ReportKind, SignalAction, SymbolStatus } from '@cwts/shm-layout';
import { emptySignal, type Report, type Signal } from '@cwts/py-bridge';
import { describe, expect, it } from 'vitest';
import { Execution, FLATTEN_CLIENT_ORDER_ID, type MarketView } from '../src/execution/execution.js';
import { IllegalTransition, canTransition, isTerminal, transition, type OrderState } from '../src/execution/order-state.js';
import { Position } from '../src/execution/position.js';
import { SimulatedVenue } from '../src/execution/simulated-venue.js';
import { validateSignal } from '../src/execution/signal-validation.js';
import { PreTradeRisk } from '../src/risk/pre-trade.js';
import { validateConfig } from '../src/config/load.js';
import { OrderLedger, reconcile } from '../src/execution/reconciliation.js';
import { VENUE_EVENT_TYPE } from '../src/execution/record-ring.js';

const STATES: OrderState[] = ['created', 'accepted', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired'];
const instruments = { instrument: (i: number) => (i === 0 ? { tickSize: 0.1, lotSize: 0.001 } : undefined) };
const signal = (fields: Partial<Signal>): Signal => ({ ...emptySignal(), confidence: 1, action: SignalAction.BUY, size: 0.01, price: 100, clientOrderId: 1, ...fields });
const levels = (ticks: number[], lots: number[]) => ({ ticks, lots, count: ticks.length });
/** Limits that let every test order through: the risk tests below tighten them. */
const OPEN_RISK = validateConfig({
  risk: { account: { creditLimit: 1e12 }, strategies: { '*': { maxOrderSize: 1e9, maxOrderValue: 1e12, creditLimit: 1e12, priceCollarPct: 50, maxOrdersPerSecond: 1e6, duplicateWindowMs: 0, maxFillsPerMinute: 1e6 } } },
}).risk;
const name = () => 'X/Y';
const controlMode = () => ControlMode.FULL_AUTO;

describe('order states', () => {
  it('allows exactly the transitions of the table, and none out of a terminal state', () => {
    const legal = new Set(['created>accepted', 'created>rejected', 'accepted>partially_filled', 'accepted>filled', 'accepted>cancelled', 'accepted>expired',
      'partially_filled>partially_filled', 'partially_filled>filled', 'partially_filled>cancelled', 'partially_filled>expired']);
    for (const from of STATES) {
      for (const to of STATES) {
        expect(canTransition(from, to), `${from} -> ${to}`).toBe(legal.has(`${from}>${to}`));
        const order = { state: from, orderId: 1 };
        if (legal.has(`${from}>${to}`)) transition(order, to);
        else expect(() => transition(order, to)).toThrow(IllegalTransition);
      }
    }
    expect(STATES.filter(isTerminal)).toEqual(['filled', 'cancelled', 'rejected', 'expired']);
  });
});

describe('signal validation', () => {
  it('turns decimals into ticks and lots, and names each bad field', () => {
    expect(validateSignal(signal({ price: 100.3, size: 0.025 }), instruments)).toEqual({ ok: true, intent: { kind: 'new', side: 'buy', market: false, timeInForce: 0, priceTicks: 1003, lots: 25 } });
    const reason = (fields: Partial<Signal>) => {
      const v = validateSignal(signal(fields), instruments);
      return v.ok ? 'ok' : v.reason;
    };
    expect(reason({ size: NaN })).toBe(RejectReason.INVALID_SIZE);
    expect(reason({ size: 0.0005 })).toBe(RejectReason.SIZE_OFF_LOT);
    expect(reason({ price: 0 })).toBe(RejectReason.INVALID_PRICE);
    expect(reason({ price: 100.05 })).toBe(RejectReason.PRICE_OFF_TICK);
    expect(reason({ symbolIndex: 1 })).toBe(RejectReason.UNKNOWN_SYMBOL);
    expect(reason({ action: 77 })).toBe(RejectReason.UNKNOWN_ACTION);
    expect(reason({ orderType: 2 })).toBe(RejectReason.UNKNOWN_ORDER_TYPE);
    expect(reason({ timeInForce: 4 })).toBe(RejectReason.UNKNOWN_TIME_IN_FORCE);
    expect(reason({ flags: 1 })).toBe(RejectReason.INVALID_FIELD);
    expect(reason({ confidence: -0.1 })).toBe(RejectReason.INVALID_FIELD);
    expect(reason({ action: SignalAction.HOLD })).toBe(RejectReason.HOLD);
    expect(reason({ orderType: 1, price: NaN })).toBe('ok'); // a market order's price is not read
  });
});

describe('position', () => {
  it('realizes P&L first in, first out, exactly in ticks and lots', () => {
    const p = new Position();
    p.apply('buy', 1000, 2);
    p.apply('buy', 1010, 2);
    p.apply('sell', 1020, 3); // closes 2 @1000 (+40) and 1 @1010 (+10)
    expect(p.lots).toBe(1);
    expect(p.realizedTickLots).toBe(50);
    expect(p.costTickLots).toBe(1010);
    p.apply('sell', 990, 3); // closes 1 @1010 (-20), opens a short of 2 @990
    expect([p.lots, p.realizedTickLots, p.costTickLots]).toEqual([-2, 30, 1980]);
    p.apply('buy', 980, 2); // the short gains 10 a lot
    expect([p.lots, p.realizedTickLots]).toEqual([0, 50]);
    expect(p.figures(0.1, 0.001, 99)).toEqual({ size: 0, avgPrice: 0, realizedPnl: 50 * 0.1 * 0.001, unrealizedPnl: 0 });
  });
});

describe('simulated venue', () => {
  it('fills against the mirrored market, and fills a working order when the market moves through it', () => {
    const venue = new SimulatedVenue();
    venue.syncMarket(0, levels([999, 998], [5, 5]), levels([1001, 1002], [3, 10]));
    const taken = venue.submit(0, 1, 7, 'buy', true, 0, 0, 4);
    expect(taken.fills.map((f) => [f.priceTicks, f.lots, f.remainingLots])).toEqual([[1001, 3, 1], [1002, 1, 0]]);
    expect(venue.submit(0, 2, 7, 'sell', false, 0, 1005, 2)).toMatchObject({ resting: true, fills: [] });
    // The market's bid jumps to 1006: the mirror's new bid trades with the working sell at its price.
    const moved = venue.syncMarket(0, levels([1006, 1005], [1, 5]), levels([1007], [5]));
    expect(moved.get(2)?.fills.map((f) => [f.priceTicks, f.lots, f.remainingLots])).toEqual([[1005, 1, 1], [1005, 1, 0]]);
  });
});

describe('execution stages', () => {
  function harness(flags = 0) {
    const reports: Report[] = [];
    const positions: [number, number][] = [];
    const market: MarketView = {
      ...instruments,
      name,
      controlMode,
      book: (i) => (i === 0 ? { bids: levels([999], [50]), asks: levels([1001], [50]), updateCount: 1, status: SymbolStatus.ACTIVE } : undefined),
      headerFlags: () => flags,
    };
    const execution = new Execution(market, new SimulatedVenue(), new PreTradeRisk(OPEN_RISK), { report: (r) => reports.push(r), position: (strategyId, _, p) => positions.push([strategyId, p.size]), risk: () => undefined, approval: () => undefined });
    return { execution, reports, positions };
  }

  it('gives every signal one terminal report, refuses a reused client order id, and honours the kill flag', () => {
    const { execution, reports } = harness();
    execution.handle(signal({ orderType: 1, size: 0.01, clientOrderId: 10 }));
    expect(reports.map((r) => [r.kind, r.clientOrderId, r.fillPrice, r.fillSize])).toEqual([[ReportKind.ACCEPTED, 10, 0, 0], [ReportKind.FILLED, 10, 100.1, 0.01]]);
    execution.handle(signal({ orderType: 1, clientOrderId: 10 }));
    expect(reports.at(-1)).toMatchObject({ kind: ReportKind.REJECTED, reason: RejectReason.DUPLICATE_CLIENT_ORDER_ID });
    execution.handle(signal({ orderType: 1, clientOrderId: 10, strategyId: 2 })); // another strategy may use the same id
    expect(reports.at(-1)).toMatchObject({ kind: ReportKind.FILLED, strategyId: 2 });
    const killed = harness(HeaderFlag.KILL_ENGAGED);
    killed.execution.handle(signal({ clientOrderId: 1 }));
    expect(killed.reports).toMatchObject([{ kind: ReportKind.REJECTED, reason: RejectReason.KILL_ENGAGED }]);
  });

  it('on a kill, cancels working orders (and parked ones), then flattens every open position with market orders', () => {
    const { execution, reports, positions } = harness();
    execution.handle(signal({ orderType: 1, size: 0.02, clientOrderId: 1, strategyId: 4 })); // long 0.02
    execution.handle(signal({ action: SignalAction.SELL, orderType: 1, size: 0.005, clientOrderId: 2, strategyId: 5 })); // short 0.005
    execution.handle(signal({ price: 90, clientOrderId: 3, strategyId: 4 })); // resting
    reports.length = 0;
    expect(execution.cancelAll(RejectReason.KILL_ENGAGED)).toBe(1);
    expect(reports).toMatchObject([{ kind: ReportKind.CANCELLED, clientOrderId: 3, reason: RejectReason.KILL_ENGAGED }]);
    reports.length = 0;
    expect(execution.flatten()).toBe(2);
    expect(reports.map((r) => [r.kind, r.strategyId, r.clientOrderId, r.fillPrice, r.fillSize])).toEqual([
      [ReportKind.ACCEPTED, 4, FLATTEN_CLIENT_ORDER_ID, 0, 0], [ReportKind.FILLED, 4, FLATTEN_CLIENT_ORDER_ID, 99.9, 0.02],
      [ReportKind.ACCEPTED, 5, FLATTEN_CLIENT_ORDER_ID - 1, 0, 0], [ReportKind.FILLED, 5, FLATTEN_CLIENT_ORDER_ID - 1, 100.1, 0.005],
    ]);
    expect(positions.slice(-2)).toEqual([[4, 0], [5, 0]]);
    expect(execution.flatten()).toBe(0); // nothing left open
  });

  it('modifies a working order and cancels it by its client order id', () => {
    const { execution, reports } = harness();
    execution.handle(signal({ price: 90, clientOrderId: 20 }));
    execution.handle(signal({ action: SignalAction.MODIFY, targetClientOrderId: 20, clientOrderId: 21, price: 95, size: 0.02 }));
    expect(reports.at(-1)).toMatchObject({ kind: ReportKind.MODIFIED, clientOrderId: 20, remaining: 0.02 });
    execution.handle(signal({ action: SignalAction.CANCEL, targetClientOrderId: 20, clientOrderId: 22 }));
    expect(reports.at(-1)).toMatchObject({ kind: ReportKind.CANCELLED, clientOrderId: 20, remaining: 0 });
    execution.handle(signal({ action: SignalAction.CANCEL, targetClientOrderId: 20, clientOrderId: 23 }));
    expect(reports.at(-1)).toMatchObject({ kind: ReportKind.REJECTED, clientOrderId: 23, reason: RejectReason.UNKNOWN_ORDER });
  });
});

describe('signal decoder and execution under random input (fuzz)', () => {
  it('never throws, and answers every signal with a report whose reason is a known code', () => {
    let s = 12345;
    const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32);
    const nasty = [NaN, Infinity, -Infinity, 0, -0, -1, 1e308, 5e-324, 2 ** 53, 2 ** 64, 0.1, 100, 100.05, 0.01, 0.001];
    const pick = (): number => (rand() < 0.5 ? nasty[Math.floor(rand() * nasty.length)]! : Math.floor(rand() * 2 ** 32));
    const known = new Set(Object.values(RejectReason));
    const reports: Report[] = [];
    const market: MarketView = {
      ...instruments,
      name,
      controlMode,
      book: (i) => (i === 0 ? { bids: levels([999, 998], [50, 50]), asks: levels([1001, 1002], [50, 50]), updateCount: 1, status: SymbolStatus.ACTIVE } : undefined),
      headerFlags: () => 0,
    };
    const execution = new Execution(market, new SimulatedVenue(), new PreTradeRisk(OPEN_RISK), { report: (r) => reports.push(r), position: () => undefined, risk: () => undefined, approval: () => undefined });
    for (let i = 0; i < 20_000; i++) {
      const fields: Partial<Signal> = {
        action: Math.floor(rand() * 7), orderType: Math.floor(rand() * 3), timeInForce: Math.floor(rand() * 5),
        symbolIndex: rand() < 0.8 ? 0 : pick(), strategyId: Math.floor(rand() * 3), clientOrderId: Math.floor(rand() * 500),
        targetClientOrderId: Math.floor(rand() * 500), size: rand() < 0.5 ? 0.001 * Math.ceil(rand() * 20) : pick(),
        price: rand() < 0.5 ? 0.1 * (990 + Math.floor(rand() * 20)) : pick(), confidence: rand() < 0.9 ? rand() : pick(), flags: rand() < 0.95 ? 0 : pick(),
      };
      const before = reports.length;
      expect(() => execution.handle(signal(fields))).not.toThrow();
      expect(reports.length).toBeGreaterThan(before);
      for (const r of reports.slice(before)) expect(known.has(r.reason as never)).toBe(true);
    }
  });
});

describe('reconciliation', () => {
  it('follows working orders from reports and pairs them with the venue by client id', () => {
    const ledger = new OrderLedger((i) => ['BTC/USDT'][i] ?? '?');
    const report = (orderId: number, kind: number, remaining: number): Report => ({ kind, reason: 0, clientOrderId: orderId * 10, strategyId: 1, symbolIndex: 0, signalPosition: 0, fillSize: 0, fillPrice: 0, cumulativeFilled: 0, remaining, orderId });
    ledger.apply(report(1, ReportKind.ACCEPTED, 2));
    ledger.apply(report(2, ReportKind.ACCEPTED, 1));
    ledger.apply(report(3, ReportKind.ACCEPTED, 1));
    ledger.apply(report(3, ReportKind.FILLED, 0));
    ledger.apply(report(4, ReportKind.ACCEPTED, 5));
    ledger.apply(report(4, ReportKind.PARTIALLY_FILLED, 4));
    const venue = [
      { clientId: 'x1', exchangeId: 'a', symbol: 'BTC/USDT', remaining: 2 },
      { clientId: 'x4', exchangeId: 'b', symbol: 'BTC/USDT', remaining: 3 },
      { clientId: 'x9', exchangeId: 'c', symbol: 'BTC/USDT', remaining: 1 },
    ];
    const result = reconcile('test', ledger.orders(), venue, (id) => `x${id}`);
    expect(result.matched).toBe(1);
    expect(result.onlyInEngine.map((o) => o.orderId)).toEqual([2]);
    expect(result.onlyAtVenue.map((o) => o.clientId)).toEqual(['x9']);
    expect(result.sizeMismatch.map((m) => [m.engine.remaining, m.venue.remaining])).toEqual([[4, 3]]);
  });
});

describe('execution against a venue that answers later', () => {
  function live() {
    const reports: Report[] = [];
    const sent: string[] = [];
    const market: MarketView = {
      ...instruments,
      name,
      controlMode,
      book: (i) => (i === 0 ? { bids: levels([999], [50]), asks: levels([1001], [50]), updateCount: 1, status: SymbolStatus.ACTIVE } : undefined),
      headerFlags: () => 0,
    };
    const venue = {
      submit: (_s: number, id: number) => void sent.push(`new ${id}`),
      cancel: (_s: number, id: number) => void sent.push(`cancel ${id}`),
      modify: (_s: number, id: number) => void sent.push(`modify ${id}`),
    };
    const execution = new Execution(market, venue, new PreTradeRisk(OPEN_RISK), { report: (r) => reports.push(r), position: () => undefined, risk: () => undefined, approval: () => undefined });
    const event = (type: number, orderId: number, fields: Partial<{ price: number; size: number; remaining: number; reason: number }> = {}) =>
      execution.onVenueEvent({ type, orderId, price: 0, size: 0, remaining: 0, reason: 0, ...fields });
    return { execution, reports, sent, event };
  }

  it('waits for the venue to accept, fills from its events, and answers a refused cancel on the cancel signal', () => {
    const { execution, reports, sent, event } = live();
    execution.handle(signal({ clientOrderId: 1, price: 90 }));
    expect(reports).toEqual([]); // created: nothing until the venue answers
    event(VENUE_EVENT_TYPE.ACCEPTED, 1);
    event(VENUE_EVENT_TYPE.FILL, 1, { price: 90, size: 0.004, remaining: 0.006 });
    execution.handle(signal({ action: SignalAction.CANCEL, targetClientOrderId: 1, clientOrderId: 2 }));
    event(VENUE_EVENT_TYPE.REQUEST_REFUSED, 1, { reason: RejectReason.VENUE_REJECTED });
    execution.handle(signal({ action: SignalAction.MODIFY, targetClientOrderId: 1, clientOrderId: 3, price: 91, size: 0.005 }));
    event(VENUE_EVENT_TYPE.MODIFIED, 1, { price: 91, size: 0.005 });
    execution.handle(signal({ action: SignalAction.CANCEL, targetClientOrderId: 1, clientOrderId: 4 }));
    event(VENUE_EVENT_TYPE.FILL, 1, { price: 91, size: 0.005, remaining: 0 }); // filled before the cancel got there
    expect(sent).toEqual(['new 1', 'cancel 1', 'modify 1', 'cancel 1']);
    expect(reports.map((r) => [r.kind, r.clientOrderId, r.reason])).toEqual([
      [ReportKind.ACCEPTED, 1, 0],
      [ReportKind.PARTIALLY_FILLED, 1, 0],
      [ReportKind.REJECTED, 2, RejectReason.VENUE_REJECTED],
      [ReportKind.MODIFIED, 1, 0],
      [ReportKind.FILLED, 1, 0],
      [ReportKind.REJECTED, 4, RejectReason.UNKNOWN_ORDER],
    ]);
    expect(reports[4]).toMatchObject({ cumulativeFilled: 0.009, fillPrice: 91 });
  });

  it('ends an order the venue refuses before accepting it', () => {
    const { execution, reports, event } = live();
    execution.handle(signal({ clientOrderId: 5, price: 90 }));
    event(VENUE_EVENT_TYPE.REJECTED, 1, { reason: RejectReason.VENUE_REJECTED });
    expect(reports.map((r) => [r.kind, r.reason])).toEqual([[ReportKind.REJECTED, RejectReason.VENUE_REJECTED]]);
  });
});
