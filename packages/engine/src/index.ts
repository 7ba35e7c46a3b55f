/** @cwts/engine: the engine (issue 3 brings feeds, books and the Engine class) and the cwts CLI. */
export { main as cliMain } from './cli/main.js';
