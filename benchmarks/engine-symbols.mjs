/** A simulated-venue symbol list of any length (S000/USDT, S001/USDT, ...), for engine benchmarks. */
export function benchSymbols(count) {
  return Array.from({ length: count }, (_, i) => ({ symbol: `S${String(i).padStart(3, '0')}/USDT`, startPrice: 10 + i, tickSize: 0.01, lotSize: 0.01 }));
}
