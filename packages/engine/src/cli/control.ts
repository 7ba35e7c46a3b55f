/**
 * The operator's commands that need a running engine's main thread, through its control
 * socket: the control mode, SEMI_AUTO approvals, breaker resets, re-enabling a throttled
 * strategy, and pre-trade limits.
 */
import { CliError } from './command.js';
import { defineControlCommand, integerArgument } from './control-command.js';

const MODES = ['MANUAL', 'SEMI_AUTO', 'FULL_AUTO', 'EMERGENCY'];

export const mode = defineControlCommand({
  name: 'mode',
  summary: 'set the control mode of a running engine (through its control socket)',
  description: `MODE is one of ${MODES.join(', ')}. EMERGENCY is entered at once; leaving it needs --operator and a passing recovery check.`,
  positionals: ['MODE'],
  options: {
    reason: { type: 'string', help: 'why, for the audit trail', default: 'set with cwts mode', placeholder: 'TEXT' },
    operator: { type: 'boolean', help: 'the explicit operator action that leaving EMERGENCY needs' },
  },
  request([to], values) {
    if (!MODES.includes(to!)) throw new CliError(`MODE must be one of ${MODES.join(', ')}, got ${JSON.stringify(to)}`);
    return { cmd: 'mode.set', args: { mode: to, reason: values.reason, operator: values.operator === true } };
  },
  describe: (result) => `mode ${(result as { mode: string }).mode}`,
});

const decision = (name: 'approve' | 'refuse') =>
  defineControlCommand({
    name,
    summary: `${name} a SEMI_AUTO order waiting for an operator`,
    description: `ORDER_ID is the engine order id of the 'approval' event (topic approval on the event socket).`,
    positionals: ['ORDER_ID'],
    request: ([orderId]) => ({ cmd: name, args: { orderId: integerArgument(orderId!, 'ORDER_ID') } }),
    describe: (result) => `order ${(result as { orderId: number }).orderId} ${(result as { decision: string }).decision}`,
  });

export const approve = decision('approve');
export const refuse = decision('refuse');

export const resetBreakers = defineControlCommand({
  name: 'reset-breakers',
  summary: 'reset every tripped circuit breaker of a running engine',
  description: 'The operator reset that breakers with reset: operator wait for. The mode stays where the trip put it.',
  positionals: [],
  request: () => ({ cmd: 'breakers.reset' }),
  describe: (result) => `breakers reset; mode ${(result as { mode: string }).mode}`,
});

export const enableStrategy = defineControlCommand({
  name: 'enable-strategy',
  summary: 'let a strategy the repeated-execution throttle disabled trade again',
  description: 'STRATEGY_ID is the strategy id of its signals.',
  positionals: ['STRATEGY_ID'],
  request: ([id]) => ({ cmd: 'strategy.enable', args: { strategyId: integerArgument(id!, 'STRATEGY_ID') } }),
  describe: (result) => `strategy ${(result as { strategyId: number }).strategyId} enabled`,
});

export const limit = defineControlCommand({
  name: 'limit',
  summary: 'change one pre-trade limit of a running engine, for its next order',
  description: [
    'STRATEGY is a strategy id, "*" (every strategy without its own entry) or "account" (only creditLimit).',
    'FIELD is maxOrderSize, maxOrderValue, creditLimit, priceCollarPct, maxOrdersPerSecond, duplicateWindowMs or maxFillsPerMinute.',
    'Prints the limits in force afterwards.',
  ].join('\n'),
  positionals: ['STRATEGY', 'FIELD', 'VALUE'],
  request([strategy, field, value]) {
    const target = strategy === '*' || strategy === 'account' ? strategy : integerArgument(strategy!, 'STRATEGY');
    const number = Number(value);
    if (value === '' || !Number.isFinite(number)) throw new CliError(`VALUE must be a number, got ${JSON.stringify(value)}`);
    return { cmd: 'limits.set', args: { strategy: target, field, value: number } };
  },
});

export const limits = defineControlCommand({
  name: 'limits',
  summary: 'print the pre-trade limits a running engine enforces now',
  description: 'The config\'s limits with every update since the start, as JSON.',
  positionals: [],
  request: () => ({ cmd: 'limits.get' }),
});
