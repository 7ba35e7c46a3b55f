/**
 * A run-time change of one pre-trade limit. The main thread checks it against the config
 * schema and applies it to its copy; the hot loop applies the same update, as a numeric
 * control record, to the copy its PreTradeRisk checks against. Both sides run this code, so
 * the two copies cannot disagree.
 */
import { strategyLimitsSchema, type RiskConfig, type StrategyLimits } from '../config/schema.js';

export const LIMIT_FIELDS = Object.keys(strategyLimitsSchema.shape) as (keyof StrategyLimits)[];

/** Whose limit: a strategy id, the "*" entry, or the account's credit limit. */
export type LimitTarget = number | '*' | 'account';

export interface LimitUpdate {
  readonly target: LimitTarget;
  /** A field of a strategy's limits; for the account, only 'creditLimit'. */
  readonly field: string;
  readonly value: number;
}

export class LimitUpdateError extends Error {}

const ALL_STRATEGIES = -1;
const ACCOUNT = -2;

/** The update as ring numbers: the target (-1 "*", -2 the account), the field's index and the value. */
export function encodeLimitUpdate(update: LimitUpdate): { strategyId: number; field: number; value: number } {
  const strategyId = update.target === '*' ? ALL_STRATEGIES : update.target === 'account' ? ACCOUNT : update.target;
  return { strategyId, field: LIMIT_FIELDS.indexOf(update.field as keyof StrategyLimits), value: update.value };
}

export function decodeLimitUpdate(record: { strategyId: number; field: number; value: number }): LimitUpdate {
  const target = record.strategyId === ALL_STRATEGIES ? '*' : record.strategyId === ACCOUNT ? 'account' : record.strategyId;
  return { target, field: LIMIT_FIELDS[record.field] ?? 'unknown', value: record.value };
}

/**
 * The config with one limit changed; throws LimitUpdateError naming what is wrong. A strategy
 * without an entry of its own gets a copy of "*" with the change: limits are never invented.
 */
export function applyLimitUpdate(config: RiskConfig, update: LimitUpdate): RiskConfig {
  const { target, field, value } = update;
  if (target === 'account') {
    if (field !== 'creditLimit') throw new LimitUpdateError(`the account has one limit, creditLimit; got ${JSON.stringify(field)}`);
    if (!(Number.isFinite(value) && value > 0)) throw new LimitUpdateError(`account creditLimit must be a positive number, got ${value}`);
    return { ...config, account: { creditLimit: value } };
  }
  if (target !== '*' && !(Number.isInteger(target) && target >= 0 && target <= 0xffffffff)) {
    throw new LimitUpdateError(`strategy must be "*", "account" or a strategy id (0..2^32-1), got ${JSON.stringify(target)}`);
  }
  if (!LIMIT_FIELDS.includes(field as keyof StrategyLimits)) throw new LimitUpdateError(`unknown limit ${JSON.stringify(field)}; one of ${LIMIT_FIELDS.join(', ')}`);
  const key = String(target);
  const current = config.strategies[key] ?? config.strategies['*'];
  if (!current) throw new LimitUpdateError(`strategy ${key} has no limits and there is no "*" entry: configure its limits in the config file first`);
  const checked = strategyLimitsSchema.shape[field as keyof StrategyLimits].safeParse(value);
  if (!checked.success) throw new LimitUpdateError(`${field} ${value} is invalid: ${checked.error.issues.map((i) => i.message).join('; ')}`);
  return { ...config, strategies: { ...config.strategies, [key]: { ...current, [field]: checked.data } } };
}
