/** How the tables and plots print a value with its unit: nanoseconds scaled to µs, ms or s, three significant digits. */
const TIME_SCALES = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']];

const significant = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toPrecision(3))));

export function formatValue(value, unit) {
  if (unit === 'ns') {
    const [scale, name] = TIME_SCALES.find(([s]) => value >= s) ?? TIME_SCALES.at(-1);
    return `${significant(value / scale)} ${name}`;
  }
  return `${significant(value)} ${unit}`;
}

/** A ratio as "3.2x" (two significant digits under 10). */
export function formatRatio(ratio) {
  return `${ratio >= 10 ? Math.round(ratio).toLocaleString('en-US') : Number(ratio.toPrecision(2))}x`;
}
