# Generated from packages/shm-layout/src/spec.ts by `npm run generate`. Do not edit.
from libc.stdint cimport uint8_t, uint32_t, int32_t, uint64_t

cdef extern from "cwts_shm.h" nogil:
    const uint64_t CWTS_MAGIC
    const uint64_t CWTS_LAYOUT_HASH
    enum:
        CWTS_LAYOUT_VERSION
        CWTS_PAGE_SIZE
        CWTS_SEGMENT_SIZE
        CWTS_SHARED_OFFSET
        CWTS_MAX_SYMBOLS
        CWTS_BOOK_DEPTH
        CWTS_SIGNAL_CAPACITY
        CWTS_REPORT_CAPACITY
        CWTS_MAX_STRATEGIES
        CWTS_SYMBOL_NAME_BYTES
        CWTS_HEADER_OFFSET
        CWTS_HEADER_STRIDE
        CWTS_SYMBOLS_OFFSET
        CWTS_SYMBOLS_STRIDE
        CWTS_BIDS_OFFSET
        CWTS_BIDS_STRIDE
        CWTS_ASKS_OFFSET
        CWTS_ASKS_STRIDE
        CWTS_REPORT_CONTROL_OFFSET
        CWTS_REPORT_CONTROL_STRIDE
        CWTS_REPORTS_OFFSET
        CWTS_REPORTS_STRIDE
        CWTS_POSITIONS_OFFSET
        CWTS_POSITIONS_STRIDE
        CWTS_SIGNAL_CONTROL_OFFSET
        CWTS_SIGNAL_CONTROL_STRIDE
        CWTS_SIGNALS_OFFSET
        CWTS_SIGNALS_STRIDE
        CWTS_HEADER_FLAG_ENGINE_ALIVE
        CWTS_HEADER_FLAG_KILL_ENGAGED
        CWTS_HEADER_FLAG_STOPPED_CLEANLY
        CWTS_HEADER_FLAG_BREAKER_TRIPPED
        CWTS_CONTROL_MODE_MANUAL
        CWTS_CONTROL_MODE_SEMI_AUTO
        CWTS_CONTROL_MODE_FULL_AUTO
        CWTS_CONTROL_MODE_EMERGENCY
        CWTS_SYMBOL_STATUS_ACTIVE
        CWTS_SYMBOL_STATUS_STALE
        CWTS_SYMBOL_STATUS_CROSSED
        CWTS_SYMBOL_STATUS_HALTED
        CWTS_SYMBOL_STATUS_OUTLIER
        CWTS_SYMBOL_STATUS_SEQUENCE_GAP
        CWTS_SIGNAL_ACTION_HOLD
        CWTS_SIGNAL_ACTION_BUY
        CWTS_SIGNAL_ACTION_SELL
        CWTS_SIGNAL_ACTION_CANCEL
        CWTS_SIGNAL_ACTION_MODIFY
        CWTS_ORDER_TYPE_LIMIT
        CWTS_ORDER_TYPE_MARKET
        CWTS_TIME_IN_FORCE_GTC
        CWTS_TIME_IN_FORCE_IOC
        CWTS_TIME_IN_FORCE_FOK
        CWTS_TIME_IN_FORCE_POST_ONLY
        CWTS_REPORT_KIND_ACCEPTED
        CWTS_REPORT_KIND_PARTIALLY_FILLED
        CWTS_REPORT_KIND_FILLED
        CWTS_REPORT_KIND_CANCELLED
        CWTS_REPORT_KIND_REJECTED
        CWTS_REPORT_KIND_EXPIRED
        CWTS_REPORT_KIND_MODIFIED
        CWTS_REJECT_REASON_NONE
        CWTS_REJECT_REASON_INVALID_SIZE
        CWTS_REJECT_REASON_INVALID_PRICE
        CWTS_REJECT_REASON_UNKNOWN_SYMBOL
        CWTS_REJECT_REASON_UNKNOWN_ACTION
        CWTS_REJECT_REASON_UNKNOWN_ORDER_TYPE
        CWTS_REJECT_REASON_UNKNOWN_TIME_IN_FORCE
        CWTS_REJECT_REASON_DUPLICATE_CLIENT_ORDER_ID
        CWTS_REJECT_REASON_UNKNOWN_ORDER
        CWTS_REJECT_REASON_PRICE_OFF_TICK
        CWTS_REJECT_REASON_SIZE_OFF_LOT
        CWTS_REJECT_REASON_POST_ONLY_WOULD_CROSS
        CWTS_REJECT_REASON_FILL_OR_KILL_UNFILLED
        CWTS_REJECT_REASON_NO_LIQUIDITY
        CWTS_REJECT_REASON_SELF_TRADE
        CWTS_REJECT_REASON_NO_MARKET_DATA
        CWTS_REJECT_REASON_INVALID_FIELD
        CWTS_REJECT_REASON_KILL_ENGAGED
        CWTS_REJECT_REASON_HOLD
        CWTS_REJECT_REASON_VENUE_REJECTED
        CWTS_REJECT_REASON_ENGINE_STOPPED
        CWTS_REJECT_REASON_RISK_NOT_CONFIGURED
        CWTS_REJECT_REASON_RISK_MAX_ORDER_SIZE
        CWTS_REJECT_REASON_RISK_MAX_ORDER_VALUE
        CWTS_REJECT_REASON_RISK_CREDIT_LIMIT
        CWTS_REJECT_REASON_RISK_PRICE_COLLAR
        CWTS_REJECT_REASON_RISK_RATE_LIMIT
        CWTS_REJECT_REASON_RISK_DUPLICATE_ORDER
        CWTS_REJECT_REASON_RISK_RESTRICTED_SYMBOL
        CWTS_REJECT_REASON_RISK_STRATEGY_DISABLED
        CWTS_REJECT_REASON_MODE_MANUAL
        CWTS_REJECT_REASON_MODE_EMERGENCY
        CWTS_REJECT_REASON_APPROVAL_REJECTED
        CWTS_REJECT_REASON_APPROVAL_TIMEOUT

    ctypedef struct cwts_header_t:
        uint64_t magic
        uint32_t layout_version
        uint32_t flags
        uint64_t layout_hash
        uint64_t total_size
        uint64_t heartbeat_ns
        uint64_t created_ns
        uint32_t engine_pid
        uint32_t symbol_count
        uint32_t control_mode

    ctypedef struct cwts_symbol_slot_t:
        uint32_t seq
        uint32_t status
        char name[32]
        double bid
        double ask
        double bid_volume
        double ask_volume
        double last
        double volume_24h
        uint64_t exchange_ts_ns
        uint64_t receive_ts_ns
        uint64_t publish_ts_ns
        uint64_t update_count
        uint32_t bid_depth
        uint32_t ask_depth
        char venue[16]
        double tick_size
        double lot_size

    ctypedef struct cwts_level_t:
        double price
        double volume

    ctypedef struct cwts_signal_ring_control_t:
        uint64_t tail
        uint64_t next_client_order_id
        uint64_t head
        uint64_t abandoned
        uint32_t consumer_sleeping
        uint32_t consumer_wake
        uint32_t report_waiters

    ctypedef struct cwts_signal_slot_t:
        uint32_t seq
        uint32_t action
        uint32_t order_type
        uint32_t time_in_force
        uint32_t symbol_index
        uint32_t strategy_id
        uint64_t client_order_id
        double size
        double price
        double confidence
        uint64_t created_ns
        uint32_t producer_pid
        uint32_t flags
        uint64_t target_client_order_id

    ctypedef struct cwts_report_ring_control_t:
        uint32_t write_position
        uint32_t capacity

    ctypedef struct cwts_report_slot_t:
        uint32_t seq
        uint32_t kind
        uint32_t position
        uint32_t reason
        uint64_t client_order_id
        uint32_t strategy_id
        uint32_t symbol_index
        uint64_t signal_position
        double fill_size
        double fill_price
        double cumulative_filled
        double remaining
        uint64_t ts_ns
        uint64_t order_id

    ctypedef struct cwts_position_slot_t:
        uint32_t seq
        uint32_t flags
        uint32_t strategy_id
        uint32_t symbol_index
        double size
        double avg_price
        double realized_pnl
        double unrealized_pnl
        uint64_t updated_ns

    ctypedef struct cwts_segment_t:
        cwts_header_t header[1]
        cwts_symbol_slot_t symbols[100]
        cwts_level_t bids[100][50]
        cwts_level_t asks[100][50]
        cwts_report_ring_control_t report_control[1]
        cwts_report_slot_t reports[2048]
        cwts_position_slot_t positions[16][100]
        cwts_signal_ring_control_t signal_control[1]
        cwts_signal_slot_t signals[1000]
