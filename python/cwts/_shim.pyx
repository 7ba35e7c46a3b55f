# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The fast backend of cwts.Bridge: the segment mapped with libc mmap and read through the
C structs of cwts_shm.h (see docs/segment.md for every protocol used here).

The engine-written part [0, CWTS_SHARED_OFFSET) is mapped PROT_READ, the shared part
PROT_READ | PROT_WRITE, at consecutive addresses, so `cwts_segment_t*` addresses all of it
and a stray write into the market data faults.
"""

from libc.stdint cimport uint8_t, uint32_t, int32_t, int64_t, uint64_t
from libc.string cimport memcpy
from posix.mman cimport mmap, munmap, PROT_READ, PROT_WRITE, MAP_SHARED, MAP_FIXED, MAP_FAILED
from posix.time cimport clock_gettime, timespec, CLOCK_MONOTONIC
from posix.unistd cimport getpid
from libc.errno cimport errno
cimport numpy as cnp

from cwts._layout cimport (
    CWTS_SEGMENT_SIZE, CWTS_SHARED_OFFSET, CWTS_MAX_SYMBOLS, CWTS_BOOK_DEPTH, CWTS_SIGNAL_CAPACITY,
    CWTS_REPORT_CAPACITY, CWTS_MAX_STRATEGIES, CWTS_SYMBOL_NAME_BYTES,
    cwts_segment_t, cwts_symbol_slot_t, cwts_level_t, cwts_signal_slot_t, cwts_signal_ring_control_t,
    cwts_report_slot_t, cwts_report_ring_control_t, cwts_position_slot_t, cwts_header_t,
)

import os

from cwts.errors import CwtsError, EngineUnavailable, RingFull, SignalAbandoned

cnp.import_array()

cdef extern from *:
    """
    #include <sys/syscall.h>
    #include <linux/futex.h>
    #include <unistd.h>
    #include <sched.h>

    static inline void cwts_cpu_relax(void) {
    #if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
    #elif defined(__aarch64__)
        __asm__ __volatile__("yield" ::: "memory");
    #endif
    }

    /* FUTEX_WAKE without FUTEX_PRIVATE_FLAG: the waiter is another process. */
    static inline long cwts_futex_wake(uint32_t *addr, int count) {
        return syscall(SYS_futex, addr, FUTEX_WAKE, count, NULL, NULL, 0);
    }

    /* FUTEX_WAIT without FUTEX_PRIVATE_FLAG, relative timeout; returns 0 or -1 with errno. */
    static inline long cwts_futex_wait(uint32_t *addr, uint32_t expected, int64_t timeout_ns) {
        struct timespec ts;
        if (timeout_ns < 0) timeout_ns = 0;
        ts.tv_sec = (time_t)(timeout_ns / 1000000000);
        ts.tv_nsec = (long)(timeout_ns % 1000000000);
        return syscall(SYS_futex, addr, FUTEX_WAIT, expected, &ts, NULL, 0);
    }

    /* A write the test suite uses to prove the market data is mapped read-only. */
    static inline void cwts_poke(double *p) { *(volatile double *)p = 42.0; }
    """
    enum:
        __ATOMIC_RELAXED
        __ATOMIC_ACQUIRE
        __ATOMIC_RELEASE
        __ATOMIC_ACQ_REL
        __ATOMIC_SEQ_CST
    # GCC's generic atomic builtins, one C name per operand type.
    uint32_t atomic_load_u32 "__atomic_load_n"(uint32_t *p, int order) nogil
    uint64_t atomic_load_u64 "__atomic_load_n"(uint64_t *p, int order) nogil
    void atomic_store_u32 "__atomic_store_n"(uint32_t *p, uint32_t v, int order) nogil
    void atomic_thread_fence "__atomic_thread_fence"(int order) nogil
    bint atomic_cas_u64 "__atomic_compare_exchange_n"(uint64_t *p, uint64_t *expected, uint64_t desired,
                                                      bint weak, int success, int failure) nogil
    bint atomic_cas_u32 "__atomic_compare_exchange_n"(uint32_t *p, uint32_t *expected, uint32_t desired,
                                                      bint weak, int success, int failure) nogil
    uint64_t atomic_fetch_add_u64 "__atomic_fetch_add"(uint64_t *p, uint64_t v, int order) nogil
    uint32_t atomic_add_fetch_u32 "__atomic_add_fetch"(uint32_t *p, uint32_t v, int order) nogil
    uint32_t atomic_sub_fetch_u32 "__atomic_sub_fetch"(uint32_t *p, uint32_t v, int order) nogil
    void cwts_cpu_relax() nogil
    long cwts_futex_wake(uint32_t *addr, int count) nogil
    long cwts_futex_wait(uint32_t *addr, uint32_t expected, int64_t timeout_ns) nogil
    void cwts_poke(double *p) nogil
    int sched_yield() nogil
    size_t strnlen(const char *s, size_t maxlen) nogil


cdef enum:
    # Seqlock passes with the GIL held before a read goes on spinning without it.
    FAST_TRIES = 256
    # Passes between two looks at the clock while spinning without the GIL.
    SLOW_TRIES = 1024


cdef inline uint64_t monotonic_ns() noexcept nogil:
    cdef timespec ts
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return <uint64_t>ts.tv_sec * 1000000000ULL + <uint64_t>ts.tv_nsec


cdef inline uint32_t clip_depth(uint32_t depth, uint32_t want) noexcept nogil:
    if depth > CWTS_BOOK_DEPTH:
        depth = CWTS_BOOK_DEPTH
    return depth if depth < want else want


cdef inline str c_text(const char *chars, size_t size):
    return chars[:strnlen(chars, size)].decode("utf-8", "replace")


cdef bint try_copy(uint32_t *seq, void *dst, const void *src, size_t size, int tries,
                   uint64_t *retries) noexcept nogil:
    """The seqlock reader of docs/segment.md for one slot, at most `tries` passes."""
    cdef uint32_t s1, s2
    while tries > 0:
        tries -= 1
        s1 = atomic_load_u32(seq, __ATOMIC_ACQUIRE)  # payload loads stay after this
        if s1 & 1:  # a write is in progress
            retries[0] += 1
            cwts_cpu_relax()
            continue
        memcpy(dst, src, size)
        atomic_thread_fence(__ATOMIC_ACQUIRE)  # payload loads stay before the re-check
        s2 = atomic_load_u32(seq, __ATOMIC_RELAXED)
        if s1 == s2:
            return True
        retries[0] += 1
    return False


cdef class Segment:
    """One attachment: the mapping and the seqlock, ring and futex code over it."""

    cdef cwts_segment_t *seg
    cdef size_t size
    cdef public uint64_t retries
    cdef public uint64_t timeout_ns
    cdef readonly str backend

    def __cinit__(self):
        self.seg = NULL
        self.retries = 0
        self.timeout_ns = 1000000000
        self.backend = "cython"

    def __init__(self, int fd, double seqlock_timeout=1.0):
        cdef void *base
        cdef void *shared
        if self.seg != NULL:
            raise CwtsError("this Segment is already attached")
        self.timeout_ns = <uint64_t>(seqlock_timeout * 1e9)
        base = mmap(NULL, CWTS_SEGMENT_SIZE, PROT_READ, MAP_SHARED, fd, 0)
        if base == MAP_FAILED:
            raise CwtsError(f"mmap of the segment failed: {os.strerror(errno)}")
        # The shared tail again, writable, over the same addresses (CWTS_SHARED_OFFSET is page aligned).
        shared = mmap(<char *>base + CWTS_SHARED_OFFSET, CWTS_SEGMENT_SIZE - CWTS_SHARED_OFFSET,
                      PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, CWTS_SHARED_OFFSET)
        if shared == MAP_FAILED:
            err = errno
            munmap(base, CWTS_SEGMENT_SIZE)
            raise CwtsError(f"mmap of the shared region read-write failed: {os.strerror(err)}; "
                            "open the segment read-write (same user as the engine, mode 0600)")
        self.seg = <cwts_segment_t *>base
        self.size = CWTS_SEGMENT_SIZE

    def __dealloc__(self):
        if self.seg != NULL:
            munmap(self.seg, self.size)
            self.seg = NULL

    def close(self):
        if self.seg != NULL:
            munmap(self.seg, self.size)
            self.seg = NULL

    @property
    def closed(self) -> bool:
        return self.seg == NULL

    cdef inline cwts_segment_t *live(self) except NULL:
        if self.seg == NULL:
            raise CwtsError("the bridge is closed: attach again")
        return self.seg

    # ------------------------------------------------------------------ header
    def header(self) -> tuple:
        cdef cwts_header_t *h = &self.live().header[0]
        return (
            atomic_load_u64(&h.magic, __ATOMIC_RELAXED),
            atomic_load_u32(&h.layout_version, __ATOMIC_RELAXED),
            atomic_load_u32(&h.flags, __ATOMIC_ACQUIRE),
            atomic_load_u64(&h.layout_hash, __ATOMIC_RELAXED),
            atomic_load_u64(&h.total_size, __ATOMIC_RELAXED),
            atomic_load_u64(&h.heartbeat_ns, __ATOMIC_ACQUIRE),
            atomic_load_u64(&h.created_ns, __ATOMIC_RELAXED),
            atomic_load_u32(&h.engine_pid, __ATOMIC_RELAXED),
            atomic_load_u32(&h.symbol_count, __ATOMIC_ACQUIRE),
            atomic_load_u32(&h.control_mode, __ATOMIC_RELAXED),
        )

    def flags(self) -> int:
        return atomic_load_u32(&self.live().header[0].flags, __ATOMIC_ACQUIRE)

    def heartbeat_ns(self) -> int:
        return atomic_load_u64(&self.live().header[0].heartbeat_ns, __ATOMIC_ACQUIRE)

    def symbol_count(self) -> int:
        cdef uint32_t n = atomic_load_u32(&self.live().header[0].symbol_count, __ATOMIC_ACQUIRE)
        return n if n < CWTS_MAX_SYMBOLS else CWTS_MAX_SYMBOLS

    # ------------------------------------------------------------ market data
    cdef bint try_symbol(self, uint32_t i, cwts_symbol_slot_t *out, cwts_level_t *bids, cwts_level_t *asks,
                         uint32_t want, uint32_t *nb, uint32_t *na, int tries) noexcept nogil:
        """The seqlock reader of docs/segment.md, at most `tries` passes; true on a stable copy.
        Copies min(want, depth) levels per side; want > CWTS_BOOK_DEPTH copies all of them."""
        cdef cwts_segment_t *seg = self.seg
        cdef cwts_symbol_slot_t *slot = &seg.symbols[i]
        cdef uint32_t s1, s2
        while tries > 0:
            tries -= 1
            s1 = atomic_load_u32(&slot.seq, __ATOMIC_ACQUIRE)  # payload loads stay after this
            if s1 & 1:  # a write is in progress
                self.retries += 1
                cwts_cpu_relax()
                continue
            # the named fields only, not the never-written tail padding of the slot
            memcpy(out, slot, <size_t>(<char *>&slot.lot_size - <char *>slot) + sizeof(double))
            if want > CWTS_BOOK_DEPTH:
                nb[0] = CWTS_BOOK_DEPTH
                na[0] = CWTS_BOOK_DEPTH
            else:
                nb[0] = clip_depth(out.bid_depth, want)
                na[0] = clip_depth(out.ask_depth, want)
            if nb[0]:
                memcpy(bids, &seg.bids[i][0], nb[0] * sizeof(cwts_level_t))
            if na[0]:
                memcpy(asks, &seg.asks[i][0], na[0] * sizeof(cwts_level_t))
            atomic_thread_fence(__ATOMIC_ACQUIRE)  # payload loads stay before the re-check
            s2 = atomic_load_u32(&slot.seq, __ATOMIC_RELAXED)
            if s1 == s2:
                return True
            self.retries += 1
        return False

    cdef int read_symbol(self, uint32_t i, cwts_symbol_slot_t *out, cwts_level_t *bids, cwts_level_t *asks,
                         uint32_t want, uint32_t *nb, uint32_t *na) except -1:
        cdef bint ok
        cdef uint64_t deadline
        if i >= CWTS_MAX_SYMBOLS:
            raise IndexError(f"symbol index {i} is outside 0..{CWTS_MAX_SYMBOLS - 1}")
        self.live()
        if self.try_symbol(i, out, bids, asks, want, nb, na, FAST_TRIES):
            return 0
        # Still unstable: keep trying without the GIL, but not forever (a writer that died
        # inside its update leaves the word odd).
        with nogil:
            deadline = monotonic_ns() + self.timeout_ns
            while True:
                ok = self.try_symbol(i, out, bids, asks, want, nb, na, SLOW_TRIES)
                if ok or monotonic_ns() > deadline:
                    break
                sched_yield()
        if not ok:
            raise EngineUnavailable(
                f"symbol slot {i}: its seqlock stayed odd or changing (seq {self.seg.symbols[i].seq}) for "
                f"{self.timeout_ns / 1e9:g} s; expected an even, stable word: the engine died or stalled "
                "in the middle of an update; restart the engine")
        return 0

    cdef int copy_stable(self, uint32_t *seq, void *dst, const void *src, size_t size, str what) except -1:
        cdef bint ok
        cdef uint64_t deadline
        if try_copy(seq, dst, src, size, FAST_TRIES, &self.retries):
            return 0
        with nogil:
            deadline = monotonic_ns() + self.timeout_ns
            while True:
                ok = try_copy(seq, dst, src, size, SLOW_TRIES, &self.retries)
                if ok or monotonic_ns() > deadline:
                    break
                sched_yield()
        if not ok:
            raise EngineUnavailable(
                f"{what}: its seqlock stayed odd or changing (seq {seq[0]}) for {self.timeout_ns / 1e9:g} s; "
                "expected an even, stable word: the engine died or stalled in the middle of an update; "
                "restart the engine")
        return 0

    def name(self, uint32_t i) -> tuple:
        """(status, name) of slot i, read under its seqlock."""
        cdef cwts_symbol_slot_t s
        cdef uint32_t nb, na
        self.read_symbol(i, &s, NULL, NULL, 0, &nb, &na)
        return s.status, c_text(s.name, CWTS_SYMBOL_NAME_BYTES)

    def ticker(self, uint32_t i) -> dict:
        """Ticker fields of slot i from one seqlock pass; "symbol" holds the raw name bytes."""
        cdef cwts_symbol_slot_t s
        cdef uint32_t nb, na
        self.read_symbol(i, &s, NULL, NULL, 0, &nb, &na)
        return {
            "symbol": s.name[:strnlen(s.name, CWTS_SYMBOL_NAME_BYTES)],
            "bid": s.bid,
            "ask": s.ask,
            "bid_volume": s.bid_volume,
            "ask_volume": s.ask_volume,
            "last": s.last,
            "volume_24h": s.volume_24h,
            "exchange_ts_ns": s.exchange_ts_ns,
            "receive_ts_ns": s.receive_ts_ns,
            "publish_ts_ns": s.publish_ts_ns,
            "update_count": s.update_count,
            "status": s.status,
            "venue": c_text(s.venue, 16),
        }

    def book(self, uint32_t i, uint32_t depth) -> dict:
        """Book fields of slot i with min(depth, bid_depth/ask_depth) levels, from one seqlock pass."""
        cdef cwts_symbol_slot_t s
        cdef cwts_level_t bids[CWTS_BOOK_DEPTH]
        cdef cwts_level_t asks[CWTS_BOOK_DEPTH]
        cdef uint32_t nb, na
        cdef cnp.npy_intp dims[2]
        self.read_symbol(i, &s, bids, asks, depth, &nb, &na)
        dims[1] = 2
        dims[0] = nb
        b = cnp.PyArray_SimpleNew(2, dims, cnp.NPY_FLOAT64)
        if nb:
            memcpy(cnp.PyArray_DATA(<cnp.ndarray>b), bids, nb * sizeof(cwts_level_t))
        dims[0] = na
        a = cnp.PyArray_SimpleNew(2, dims, cnp.NPY_FLOAT64)
        if na:
            memcpy(cnp.PyArray_DATA(<cnp.ndarray>a), asks, na * sizeof(cwts_level_t))
        return {
            "symbol": s.name[:strnlen(s.name, CWTS_SYMBOL_NAME_BYTES)],
            "bids": b,
            "asks": a,
            "update_count": s.update_count,
            "publish_ts_ns": s.publish_ts_ns,
            "status": s.status,
        }

    def snapshot_raw(self, uint32_t i) -> dict:
        """Every field of slot i and all its levels, from one seqlock pass."""
        cdef cwts_symbol_slot_t s
        cdef cwts_level_t bids[CWTS_BOOK_DEPTH]
        cdef cwts_level_t asks[CWTS_BOOK_DEPTH]
        cdef uint32_t nb, na
        cdef cnp.npy_intp dims[2]
        self.read_symbol(i, &s, bids, asks, CWTS_BOOK_DEPTH + 1, &nb, &na)
        dims[0] = CWTS_BOOK_DEPTH
        dims[1] = 2
        b = cnp.PyArray_SimpleNew(2, dims, cnp.NPY_FLOAT64)
        memcpy(cnp.PyArray_DATA(<cnp.ndarray>b), bids, CWTS_BOOK_DEPTH * sizeof(cwts_level_t))
        a = cnp.PyArray_SimpleNew(2, dims, cnp.NPY_FLOAT64)
        memcpy(cnp.PyArray_DATA(<cnp.ndarray>a), asks, CWTS_BOOK_DEPTH * sizeof(cwts_level_t))
        return {
            "seq": s.seq,
            "status": s.status,
            "name": c_text(s.name, CWTS_SYMBOL_NAME_BYTES),
            "bid": s.bid,
            "ask": s.ask,
            "bid_volume": s.bid_volume,
            "ask_volume": s.ask_volume,
            "last": s.last,
            "volume_24h": s.volume_24h,
            "exchange_ts_ns": s.exchange_ts_ns,
            "receive_ts_ns": s.receive_ts_ns,
            "publish_ts_ns": s.publish_ts_ns,
            "update_count": s.update_count,
            "bid_depth": s.bid_depth,
            "ask_depth": s.ask_depth,
            "venue": c_text(s.venue, 16),
            "tick_size": s.tick_size,
            "lot_size": s.lot_size,
            "bids": b,
            "asks": a,
        }

    # --------------------------------------------------------------- reports
    def write_position(self) -> int:
        return atomic_load_u32(&self.live().report_control[0].write_position, __ATOMIC_ACQUIRE)

    def read_report(self, uint32_t index) -> tuple:
        """Slot index % capacity under its seqlock: (kind, position, reason, client_order_id, strategy_id,
        symbol_index, signal_position, fill_size, fill_price, cumulative_filled, remaining, ts_ns, order_id)."""
        cdef cwts_report_slot_t *slot = &self.live().reports[index % CWTS_REPORT_CAPACITY]
        cdef cwts_report_slot_t r
        self.copy_stable(&slot.seq, &r, slot, sizeof(cwts_report_slot_t), f"report slot {index % CWTS_REPORT_CAPACITY}")
        return (r.kind, r.position, r.reason, r.client_order_id, r.strategy_id, r.symbol_index, r.signal_position,
                r.fill_size, r.fill_price, r.cumulative_filled, r.remaining, r.ts_ns, r.order_id)

    def wait_write_position(self, uint32_t seen, double timeout) -> int:
        """Sleeps on report_control.write_position while it equals `seen`, at most `timeout` seconds."""
        cdef cwts_segment_t *seg = self.live()
        cdef uint32_t *word = &seg.report_control[0].write_position
        cdef uint32_t *waiters = &seg.signal_control[0].report_waiters
        cdef int64_t timeout_ns = <int64_t>(timeout * 1e9) if timeout > 0 else 0
        with nogil:
            atomic_add_fetch_u32(waiters, 1, __ATOMIC_SEQ_CST)
            # Re-check after registering: a report published before the writer saw us woke nobody.
            if timeout_ns > 0 and atomic_load_u32(word, __ATOMIC_SEQ_CST) == seen:
                cwts_futex_wait(word, seen, timeout_ns)
            atomic_sub_fetch_u32(waiters, 1, __ATOMIC_SEQ_CST)
        return atomic_load_u32(word, __ATOMIC_ACQUIRE)

    # ------------------------------------------------------------- positions
    def read_position(self, uint32_t row, uint32_t symbol) -> tuple:
        """positions[row][symbol] under its seqlock: (flags, strategy_id, symbol_index, size, avg_price,
        realized_pnl, unrealized_pnl, updated_ns)."""
        cdef cwts_segment_t *seg = self.live()
        cdef cwts_position_slot_t *slot
        cdef cwts_position_slot_t p
        if row >= CWTS_MAX_STRATEGIES or symbol >= CWTS_MAX_SYMBOLS:
            raise IndexError(f"position [{row}][{symbol}] is outside [0..{CWTS_MAX_STRATEGIES - 1}][0..{CWTS_MAX_SYMBOLS - 1}]")
        slot = &seg.positions[row][symbol]
        self.copy_stable(&slot.seq, &p, slot, sizeof(cwts_position_slot_t), f"position slot [{row}][{symbol}]")
        return (p.flags, p.strategy_id, p.symbol_index, p.size, p.avg_price, p.realized_pnl, p.unrealized_pnl,
                p.updated_ns)

    # --------------------------------------------------------------- signals
    def signal_control(self) -> tuple:
        """(tail, next_client_order_id, head, abandoned, consumer_sleeping, consumer_wake, report_waiters)."""
        cdef cwts_signal_ring_control_t *c = &self.live().signal_control[0]
        return (atomic_load_u64(&c.tail, __ATOMIC_ACQUIRE), atomic_load_u64(&c.next_client_order_id, __ATOMIC_ACQUIRE),
                atomic_load_u64(&c.head, __ATOMIC_ACQUIRE), atomic_load_u64(&c.abandoned, __ATOMIC_ACQUIRE),
                atomic_load_u32(&c.consumer_sleeping, __ATOMIC_ACQUIRE), atomic_load_u32(&c.consumer_wake, __ATOMIC_ACQUIRE),
                atomic_load_u32(&c.report_waiters, __ATOMIC_ACQUIRE))

    def submit(self, uint32_t action, uint32_t order_type, uint32_t time_in_force, uint32_t symbol_index,
               uint32_t strategy_id, double size, double price, double confidence,
               uint64_t target_client_order_id, uint64_t own_client_order_id=0) -> tuple:
        """The producer of docs/segment.md; returns (client_order_id, ring position).

        own_client_order_id: the strategy's own id; 0 takes the next from the segment's counter.
        """
        cdef cwts_segment_t *seg = self.live()
        cdef cwts_signal_ring_control_t *ctl = &seg.signal_control[0]
        cdef cwts_signal_slot_t *slot
        cdef uint64_t p, client_order_id
        cdef uint32_t s, expected
        cdef int32_t d
        # 1. claim a position
        while True:
            p = atomic_load_u64(&ctl.tail, __ATOMIC_ACQUIRE)
            slot = &seg.signals[p % CWTS_SIGNAL_CAPACITY]
            s = atomic_load_u32(&slot.seq, __ATOMIC_ACQUIRE)
            d = <int32_t>(s - <uint32_t>p)
            if d == 0:
                if atomic_cas_u64(&ctl.tail, &p, p + 1, False, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED):
                    break
            elif d < 0:
                raise RingFull(
                    f"the signal ring is full: slot {p % CWTS_SIGNAL_CAPACITY} still holds the unconsumed signal "
                    f"of position {p - CWTS_SIGNAL_CAPACITY} (expected it free for position {p}); "
                    f"all {CWTS_SIGNAL_CAPACITY} slots wait for the engine: nothing was written, "
                    "retry later or check that the engine consumes signals")
            cwts_cpu_relax()
        # 2. the payload
        if own_client_order_id:
            client_order_id = own_client_order_id
        else:
            client_order_id = atomic_fetch_add_u64(&ctl.next_client_order_id, 1, __ATOMIC_SEQ_CST)
        slot.action = action
        slot.order_type = order_type
        slot.time_in_force = time_in_force
        slot.symbol_index = symbol_index
        slot.strategy_id = strategy_id
        slot.client_order_id = client_order_id
        slot.size = size
        slot.price = price
        slot.confidence = confidence
        slot.created_ns = monotonic_ns()
        slot.producer_pid = <uint32_t>getpid()
        slot.flags = 0
        slot.target_client_order_id = target_client_order_id
        # 3. commit: at least release order (seq_cst, the same lock cmpxchg on x86, also orders it
        # before the load of consumer_sleeping below, which the sleep handshake needs)
        expected = <uint32_t>p
        if not atomic_cas_u32(&slot.seq, &expected, <uint32_t>(p + 1), False, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED):
            raise SignalAbandoned(
                f"signal position {p} (client order id {client_order_id}) was abandoned by the engine: "
                f"its slot seq is {expected}, expected {<uint32_t>p}; the claim-to-commit took longer than "
                "the engine's abandon timeout (was this process stopped?); the signal was not taken: submit again")
        # 4. wake the consumer only if it sleeps
        if atomic_load_u32(&ctl.consumer_sleeping, __ATOMIC_SEQ_CST):
            atomic_add_fetch_u32(&ctl.consumer_wake, 1, __ATOMIC_SEQ_CST)
            cwts_futex_wake(&ctl.consumer_wake, 1)
        return client_order_id, p


def _poke_readonly_for_test(obj) -> None:
    """Writes into symbols[0].bid through the read-only mapping: the process must die of SIGSEGV.
    Takes a Segment or a Bridge using this backend. Only for the test suite."""
    cdef Segment segment = obj if isinstance(obj, Segment) else obj._impl
    cwts_poke(&segment.live().symbols[0].bid)
