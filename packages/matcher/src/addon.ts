/** Loads the matcher addon (native/addon.cpp) and types its functions. */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** An opaque handle to one C++ OrderBook. */
export type BookHandle = { readonly __brand: 'BookHandle' };

export interface MatcherAddon {
  bookCreate(capacity: number): BookHandle;
  bookExecute(book: BookHandle, commands: Float64Array, count: number, out: Float64Array): number;
  bookCopyEvents(book: BookHandle, from: number, out: Float64Array): number;
  bookLevels(book: BookHandle, side: number, out: Float64Array): number;
  bookOrderCount(book: BookHandle): number;
  bookCheck(book: BookHandle): string;
}

/** The same relative path works from src/ and dist/. */
export const ADDON_PATH = fileURLToPath(new URL('../build/Release/cwts_matcher.node', import.meta.url));

let addon: MatcherAddon | undefined;

export function loadMatcher(): MatcherAddon {
  if (addon) return addon;
  try {
    addon = createRequire(import.meta.url)(ADDON_PATH) as MatcherAddon;
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'MODULE_NOT_FOUND';
    throw new Error(missing ? `the matcher addon is not built (no ${ADDON_PATH}): \`npm run build\` builds it` : `cannot load ${ADDON_PATH}: ${(error as Error).message}`, { cause: error });
  }
  return addon;
}
