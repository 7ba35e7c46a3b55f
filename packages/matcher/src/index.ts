/** @cwts/matcher: the simulated venue's price-time priority matcher (C++ behind Node-API). */
export { Matcher, Side, OrderType, TimeInForce, SelfTrade, EventType, Reason, COMMAND_FIELDS, EVENT_FIELDS, writeCommand, type Command, type LevelView, type MatchEvent, type NewOrder } from './matcher.js';
export { loadMatcher, ADDON_PATH } from './addon.js';
