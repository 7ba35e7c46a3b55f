/**
 * Integer units (ticks, lots) back to venue decimals: `ticks * tickSize` in binary floating
 * point gives 63998.200000000004; rounding to the increment's decimals gives 63998.2.
 */
export function decimalsOf(increment: number): number {
  for (let d = 0; d <= 12; d++) if (Math.abs(Math.round(increment * 10 ** d) - increment * 10 ** d) < 1e-9) return d;
  return 12;
}

/** `count` increments as the decimal number a venue would print. */
export function fromUnits(count: number, increment: number, decimals = decimalsOf(increment)): number {
  const scale = 10 ** decimals;
  return Math.round(count * increment * scale) / scale;
}

/** The increment used where a venue gave none (a live feed before its markets load). */
export const FALLBACK_INCREMENT = 1e-8;

/** Tick and lot size of an instrument, the fallback standing in for an unknown (0) one. */
export function incrementsOf(instrument: { readonly tickSize: number; readonly lotSize: number } | undefined): { tick: number; lot: number } {
  return { tick: instrument?.tickSize || FALLBACK_INCREMENT, lot: instrument?.lotSize || FALLBACK_INCREMENT };
}
