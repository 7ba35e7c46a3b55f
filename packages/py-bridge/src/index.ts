/** @cwts/py-bridge: the Node side of the shared-memory bridge to Python strategies. */
export { Segment, SegmentError, DEFAULT_SEGMENT_NAME, DEFAULT_SEGMENT_MODE, type CreateOptions, type SegmentErrorCode } from './segment.js';
export { MarketDataWriter, emptyBookUpdate, type BookUpdate, type SymbolInfo } from './market-data-writer.js';
export { MarketDataReader, type BookSnapshot, type SymbolSnapshot } from './market-data-reader.js';
export { SignalConsumer, emptySignal, wakeSignalConsumer, type Signal, type SignalConsumerOptions } from './signal-consumer.js';
export { SignalProducer, SignalProducerError, type SignalInput, type SignalProducerErrorCode } from './signal-producer.js';
export { ReportPublisher, type Report } from './report-publisher.js';
export { PositionWriter, type PositionUpdate } from './position-writer.js';
export { PositionReader, type PositionRead, type PositionSnapshot } from './position-reader.js';
export { runStressPublisher, stressUpdate, registerStressSymbols, type StressOptions, type StressResult } from './stress-publisher.js';
export { GpioLine, type FlagWord, type StandInLine } from './gpio-line.js';
export { StandInGpioLine } from './gpio-stand-in.js';
export { encodeLineEvent, LINE_EVENT_BYTES, LINE_EVENT_RISING_EDGE, LINE_EVENT_FALLING_EDGE, type LineEventFields } from './gpio-line-event.js';
export type { GpioBias, GpioLineOptions, GpioLineRequest, GpioLineEvent, GpioEdgeEvent, GpioErrorEvent, GpioWatcherStats } from './native.js';
export * as native from './native.js';
