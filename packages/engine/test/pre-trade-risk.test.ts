import { RejectReason } from '@cwts/shm-layout';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/load.js';
import { EventWindow } from '../src/risk/event-window.js';
import { PreTradeRisk, type OrderUnderCheck } from '../src/risk/pre-trade.js';

const LIMITS = { maxOrderSize: 1, maxOrderValue: 50_000, creditLimit: 100_000, priceCollarPct: 2, maxOrdersPerSecond: 3, duplicateWindowMs: 1000, maxFillsPerMinute: 2 };
const risk = (extra: object = {}) =>
  new PreTradeRisk(validateConfig({ risk: { account: { creditLimit: 150_000 }, strategies: { '7': LIMITS }, restrictedSymbols: ['BAD/USDT'], ...extra } }).risk);
let t = 0;
const order = (fields: Partial<OrderUnderCheck> = {}): OrderUnderCheck => ({
  strategyId: 7, symbol: 'BTC/USDT', side: 'buy', size: 0.5, price: 64_000, reference: 64_000, touch: 64_010, strategyExposure: 0, accountExposure: 0, nowMs: (t += 1000), multiplier: 1, ...fields,
});

describe('pre-trade risk', () => {
  it('refuses everything when nothing is configured: no limit is not unlimited', () => {
    expect(new PreTradeRisk(validateConfig({}).risk).check(order())).toMatchObject({ reason: RejectReason.RISK_NOT_CONFIGURED, control: 'limits' });
    expect(risk().check(order({ strategyId: 8 }))).toMatchObject({ reason: RejectReason.RISK_NOT_CONFIGURED }); // no entry, no "*"
    expect(new PreTradeRisk(validateConfig({ risk: { strategies: { '*': LIMITS } } }).risk).check(order())).toMatchObject({ reason: RejectReason.RISK_NOT_CONFIGURED }); // no account limit
  });

  it('names each control and the numbers it compared', () => {
    const r = risk();
    expect(r.check(order())).toBeUndefined();
    expect(r.check(order({ symbol: 'BAD/USDT' }))).toMatchObject({ reason: RejectReason.RISK_RESTRICTED_SYMBOL, control: 'restricted symbol' });
    expect(r.check(order({ size: 1.5 }))).toEqual({ reason: RejectReason.RISK_MAX_ORDER_SIZE, control: 'max order size', limit: 1, attempted: 1.5, reference: 64_000 });
    expect(r.check(order({ size: 0.9 }))).toMatchObject({ reason: RejectReason.RISK_MAX_ORDER_VALUE, limit: 50_000, attempted: 57_600 });
    // A market order is valued at the touch.
    expect(r.check(order({ size: 0.79, price: undefined }))).toMatchObject({ reason: RejectReason.RISK_MAX_ORDER_VALUE, attempted: 0.79 * 64_010 });
    expect(r.check(order({ price: 65_500 }))).toMatchObject({ reason: RejectReason.RISK_PRICE_COLLAR, control: 'price collar', limit: 2 });
    expect(r.check(order({ reference: undefined }))).toMatchObject({ reason: RejectReason.RISK_PRICE_COLLAR, control: 'reference price' });
    expect(r.check(order({ strategyExposure: 90_000 }))).toMatchObject({ reason: RejectReason.RISK_CREDIT_LIMIT, control: 'strategy credit limit', limit: 100_000, attempted: 122_000 });
    expect(r.check(order({ accountExposure: 120_000 }))).toMatchObject({ reason: RejectReason.RISK_CREDIT_LIMIT, control: 'account credit limit', limit: 150_000 });
  });

  it('passes each control exactly at its limit and refuses just past it', () => {
    const at = (fields: Partial<OrderUnderCheck>) => risk().check(order({ price: 100, reference: 100, touch: 100, ...fields }))?.control;
    const past = 1 + 1e-9;
    expect([at({ size: 1 }), at({ size: past })]).toEqual([undefined, 'max order size']);
    expect([at({ size: 0.5, price: 100_000, reference: 100_000 }), at({ size: 0.5, price: 100_000 * past, reference: 100_000 })]).toEqual([undefined, 'max order value']);
    expect([at({ price: 102 }), at({ price: 102.000001 }), at({ price: 98 }), at({ price: 97.999999 })]).toEqual([undefined, 'price collar', undefined, 'price collar']);
    expect([at({ size: 1, strategyExposure: 99_900 }), at({ size: 1, strategyExposure: 99_900 * past })]).toEqual([undefined, 'strategy credit limit']);
    expect([at({ size: 1, accountExposure: 149_900 }), at({ size: 1, accountExposure: 149_900 * past })]).toEqual([undefined, 'account credit limit']);
    const r = risk();
    const now = 5_000_000;
    expect(r.check(order({ nowMs: now, size: 0.1 }))).toBeUndefined();
    expect(r.check(order({ nowMs: now + 999, size: 0.1 }))?.control).toBe('duplicate order'); // 1 ms inside the window
    expect(r.check(order({ nowMs: now + 1000, size: 0.1 }))).toBeUndefined(); // the window is over
  });

  it('scales the size, value and credit limits by the control mode\'s multiplier', () => {
    const r = risk();
    expect(r.check(order({ size: 0.6, multiplier: 0.5 }))).toMatchObject({ reason: RejectReason.RISK_MAX_ORDER_SIZE, limit: 0.5 });
    expect(r.check(order({ size: 0.6, multiplier: 0.75, price: 64_000 }))).toMatchObject({ reason: RejectReason.RISK_MAX_ORDER_VALUE, limit: 37_500 });
    expect(r.check(order({ size: 0.6, multiplier: 1 }))).toBeUndefined();
  });

  it('throttles the message rate and refuses duplicates within the window', () => {
    const r = risk();
    const now = 1_000_000;
    expect(r.check(order({ nowMs: now, size: 0.1 }))).toBeUndefined();
    expect(r.check(order({ nowMs: now + 10, size: 0.1 }))).toMatchObject({ reason: RejectReason.RISK_DUPLICATE_ORDER, attempted: 10 });
    expect(r.check(order({ nowMs: now + 20, size: 0.2 }))).toBeUndefined();
    expect(r.check(order({ nowMs: now + 30, size: 0.3 }))).toBeUndefined();
    expect(r.check(order({ nowMs: now + 40, size: 0.4 }))).toMatchObject({ reason: RejectReason.RISK_RATE_LIMIT, limit: 3, attempted: 4 });
    expect(r.check(order({ nowMs: now + 1500, size: 0.1 }))).toBeUndefined(); // a second later: both windows passed
  });

  it('disables a strategy that fills too often until an operator enables it', () => {
    const r = risk();
    expect(r.onFill(7, 0)).toBe(false);
    expect(r.onFill(7, 10)).toBe(false);
    expect(r.onFill(7, 20)).toBe(true); // the third fill within a minute trips it
    expect(r.check(order())).toMatchObject({ reason: RejectReason.RISK_STRATEGY_DISABLED, control: 'repeated-execution throttle' });
    r.enable(7);
    expect(r.check(order())).toBeUndefined();
  });

  it('validates limits in the config: every field, and strategy ids', () => {
    expect(() => validateConfig({ risk: { strategies: { '7': { maxOrderSize: 1 } } } })).toThrow(/risk\.strategies\.7\.maxOrderValue/);
    expect(() => validateConfig({ risk: { strategies: { alpha: LIMITS } } })).toThrow(/risk\.strategies\.alpha: Invalid key/);
  });

  it('keeps its windows exact over many events: counts, expiry, and a key seen again outliving its first sighting', () => {
    const window = new EventWindow<string>();
    const dropped: string[] = [];
    for (let t = 0; t < 5000; t++) window.record(t, `k${t}`);
    expect(window.count(4999, 1000, (k) => dropped.push(k))).toBe(1000);
    expect(dropped).toHaveLength(4000);
    expect(dropped.at(-1)).toBe('k3999');
    expect(window.count(6000, 1000)).toBe(0);
    // Through the risk check: the same order again after the window passes, and again within it.
    const risk = new PreTradeRisk(validateConfig({ risk: { account: { creditLimit: 1e9 }, strategies: { '*': { ...LIMITS, maxOrdersPerSecond: 1e9 } } } }).risk);
    const order = { strategyId: 1, symbol: 'BTC/USDT', side: 'buy' as const, size: 0.1, price: 100, reference: 100, touch: 100, strategyExposure: 0, accountExposure: 0, multiplier: 1 };
    for (let t = 0; t < 3000; t += 10) expect(risk.check({ ...order, price: 100 + t / 10_000, nowMs: t })).toBeUndefined(); // other orders pass and expire
    expect(risk.check({ ...order, nowMs: 3000 })).toBeUndefined();
    expect(risk.check({ ...order, nowMs: 3999 })?.control).toBe('duplicate order');
    expect(risk.check({ ...order, nowMs: 4000 })).toBeUndefined(); // the window passed: seen anew
    expect(risk.check({ ...order, nowMs: 4500 })?.control).toBe('duplicate order'); // the new sighting holds
  });
});
