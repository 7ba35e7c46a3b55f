/** Name conventions shared by the generators: one spelling of each concept per language. */

export const GENERATED_BANNER = 'Generated from packages/shm-layout/src/spec.ts by `npm run generate`. Do not edit.';

export function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function pascal(snake: string): string {
  const c = camel(snake);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

/** `SymbolSlot` → `SYMBOL_SLOT`, `report_control` → `REPORT_CONTROL`. */
export function upperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** `SymbolSlot` → `symbol_slot`. */
export function lowerSnake(name: string): string {
  return upperSnake(name).toLowerCase();
}

export function cStructName(structName: string): string {
  return `cwts_${lowerSnake(structName)}_t`;
}
