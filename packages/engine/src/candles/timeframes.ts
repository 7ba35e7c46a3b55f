/** The candle timeframes FreqTrade uses, 1m to 1d, and their length in ms. */
export const TIMEFRAMES = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function timeframeMs(timeframe: Timeframe): number {
  return Number(timeframe.slice(0, -1)) * UNIT_MS[timeframe.slice(-1) as keyof typeof UNIT_MS];
}
