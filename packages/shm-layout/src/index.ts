/** @cwts/shm-layout: the spec of the segment, its computed layout, and the generated accessors. */
export * from './spec.js';
export * from './layout.js';
export { SegmentViews } from './views.js';
export * from './generated/layout.js';
export { formatSegment, type SegmentIdentity } from './format.js';
