import { RejectReason } from '@cwts/shm-layout';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/load.js';
import { LIMIT_FIELDS, LimitUpdateError, applyLimitUpdate, decodeLimitUpdate, encodeLimitUpdate } from '../src/risk/limit-update.js';
import { PreTradeRisk, type OrderUnderCheck } from '../src/risk/pre-trade.js';

const LIMITS = { maxOrderSize: 1, maxOrderValue: 50_000, creditLimit: 100_000, priceCollarPct: 2, maxOrdersPerSecond: 1000, duplicateWindowMs: 0, maxFillsPerMinute: 100 };
const config = validateConfig({ risk: { account: { creditLimit: 150_000 }, strategies: { '*': LIMITS, '7': { ...LIMITS, maxOrderSize: 2 } } } }).risk;
const order = (fields: Partial<OrderUnderCheck> = {}): OrderUnderCheck => ({
  strategyId: 7, symbol: 'BTC/USDT', side: 'buy', size: 0.5, price: 100, reference: 100, touch: 100, strategyExposure: 0, accountExposure: 0, nowMs: 1, multiplier: 1, ...fields,
});

describe('limit updates at run time', () => {
  it('change one field of a strategy, of "*", or the account, and leave the rest and the original alone', () => {
    const a = applyLimitUpdate(config, { target: 7, field: 'maxOrderSize', value: 3 });
    expect(a.strategies['7']).toEqual({ ...LIMITS, maxOrderSize: 3 });
    expect(config.strategies['7']?.maxOrderSize).toBe(2);
    // A strategy without its own entry gets a copy of "*" with the change.
    expect(applyLimitUpdate(config, { target: 8, field: 'priceCollarPct', value: 5 }).strategies['8']).toEqual({ ...LIMITS, priceCollarPct: 5 });
    expect(applyLimitUpdate(config, { target: '*', field: 'maxFillsPerMinute', value: 7 }).strategies['*']?.maxFillsPerMinute).toBe(7);
    expect(applyLimitUpdate(config, { target: 'account', field: 'creditLimit', value: 1 }).account).toEqual({ creditLimit: 1 });
  });

  it('refuse what the config schema refuses, naming why', () => {
    const bad = (update: Parameters<typeof applyLimitUpdate>[1], why: RegExp) => expect(() => applyLimitUpdate(config, update)).toThrow(why);
    bad({ target: 7, field: 'maxLeverage', value: 1 }, /unknown limit "maxLeverage"; one of maxOrderSize/);
    bad({ target: 7, field: 'maxOrderSize', value: 0 }, /maxOrderSize 0 is invalid/);
    bad({ target: 7, field: 'maxOrderSize', value: NaN }, /invalid/);
    bad({ target: 7, field: 'maxFillsPerMinute', value: 2.5 }, /invalid/);
    bad({ target: 7, field: 'duplicateWindowMs', value: -1 }, /invalid/);
    bad({ target: 'account', field: 'maxOrderSize', value: 1 }, /the account has one limit, creditLimit/);
    bad({ target: 'account', field: 'creditLimit', value: Infinity }, /positive number/);
    bad({ target: -3, field: 'maxOrderSize', value: 1 }, /strategy must be/);
    bad({ target: 1.5, field: 'maxOrderSize', value: 1 }, /strategy must be/);
    const noStar = validateConfig({ risk: { account: { creditLimit: 1 }, strategies: { '7': LIMITS } } }).risk;
    expect(() => applyLimitUpdate(noStar, { target: 8, field: 'maxOrderSize', value: 1 })).toThrow(LimitUpdateError);
  });

  it('travel to the hot loop as ring numbers and back unchanged', () => {
    for (const target of [0, 7, 0xffffffff, '*', 'account'] as const) {
      for (const field of LIMIT_FIELDS) {
        const update = { target, field, value: 12.5 };
        const encoded = encodeLimitUpdate(update);
        expect(Object.values(encoded).every(Number.isFinite)).toBe(true);
        expect(decodeLimitUpdate(encoded)).toEqual(update);
      }
    }
  });

  it('take effect in the pre-trade check at once', () => {
    const risk = new PreTradeRisk(config);
    expect(risk.check(order({ size: 1.5 }))).toBeUndefined();
    risk.update({ target: 7, field: 'maxOrderSize', value: 1 });
    expect(risk.check(order({ size: 1.5 }))).toMatchObject({ reason: RejectReason.RISK_MAX_ORDER_SIZE, limit: 1 });
    risk.update({ target: 'account', field: 'creditLimit', value: 10 });
    expect(risk.check(order({ size: 0.5 }))).toMatchObject({ reason: RejectReason.RISK_CREDIT_LIMIT, control: 'account credit limit', limit: 10 });
    expect(() => risk.update({ target: 7, field: 'nope', value: 1 })).toThrow(LimitUpdateError);
  });
});
