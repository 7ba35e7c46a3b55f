/*
 * The C reader of the torture test: maps /dev/shm/<name> read-only, takes seqlock
 * snapshots of the stress symbols round robin and checks every field against the stress
 * pattern of docs/segment.md. Prints one JSON line; exits 1 on any torn read or none read.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, shm_open */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cwts_shm.h"

typedef struct {
  cwts_symbol_slot_t slot;
  cwts_level_t bids[CWTS_BOOK_DEPTH];
  cwts_level_t asks[CWTS_BOOK_DEPTH];
} snapshot_t;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The reader half of the seqlock: returns the retries it needed. */
static uint64_t read_snapshot(const cwts_segment_t *seg, int k, snapshot_t *out) {
  uint64_t retries = 0;
  for (;;) {
    /* Acquire: the copies below cannot be hoisted above this load. */
    uint32_t s1 = __atomic_load_n(&seg->symbols[k].seq, __ATOMIC_ACQUIRE);
    if ((s1 & 1u) == 0) {
      memcpy(&out->slot, &seg->symbols[k], sizeof out->slot);
      memcpy(out->bids, seg->bids[k], sizeof out->bids);
      memcpy(out->asks, seg->asks[k], sizeof out->asks);
      /* Acquire fence: the copies complete before the re-check load. */
      __atomic_thread_fence(__ATOMIC_ACQUIRE);
      if (__atomic_load_n(&seg->symbols[k].seq, __ATOMIC_RELAXED) == s1) return retries;
    }
    retries++;
  }
}

/* Empty string when the snapshot is whole, else the first field that disagrees. */
static const char *torn_field(const snapshot_t *s, int k) {
  const cwts_symbol_slot_t *p = &s->slot;
  double n = (double)p->update_count;
  uint64_t c = p->update_count;
  char name[32];
  snprintf(name, sizeof name, "STRESS%d/USD", k);
  if (strcmp(p->name, name) != 0) return "name";
  if (p->bid != n) return "bid";
  if (p->ask != n + 1) return "ask";
  if (p->bid_volume != n + 2) return "bid_volume";
  if (p->ask_volume != n + 3) return "ask_volume";
  if (p->last != n + 0.5) return "last";
  if (p->volume_24h != 2 * n) return "volume_24h";
  if (p->exchange_ts_ns != 1000 * c) return "exchange_ts_ns";
  if (p->receive_ts_ns != 1000 * c + 1) return "receive_ts_ns";
  if (p->bid_depth != 1 + c % CWTS_BOOK_DEPTH) return "bid_depth";
  if (p->ask_depth != CWTS_BOOK_DEPTH - c % CWTS_BOOK_DEPTH) return "ask_depth";
  if (p->status != CWTS_SYMBOL_STATUS_ACTIVE) return "status";
  for (uint32_t j = 0; j < p->bid_depth; j++) {
    if (s->bids[j].price != n - j || s->bids[j].volume != n + k + j) return "bids";
  }
  for (uint32_t j = 0; j < p->ask_depth; j++) {
    if (s->asks[j].price != n + 1 + j || s->asks[j].volume != n + k + j + 1) return "asks";
  }
  return "";
}

static int compare_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static uint64_t percentile(const uint64_t *sorted, size_t count, double p) {
  if (count == 0) return 0;
  size_t i = (size_t)(p * (double)(count - 1) + 0.5);
  return sorted[i];
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: stress_check NAME SECONDS SYMBOLS\n  checks every snapshot of /dev/shm/NAME against the stress pattern\n");
    return 2;
  }
  const char *name = argv[1];
  double seconds = atof(argv[2]);
  int symbols = atoi(argv[3]);
  if (seconds <= 0 || symbols <= 0 || symbols > (int)CWTS_MAX_SYMBOLS) {
    fprintf(stderr, "stress_check: SECONDS must be > 0 and SYMBOLS in 1..%u\n", CWTS_MAX_SYMBOLS);
    return 2;
  }
  char path[256];
  snprintf(path, sizeof path, "/%s", name);
  int fd = shm_open(path, O_RDONLY, 0);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || (size_t)st.st_size != CWTS_SEGMENT_SIZE) {
    fprintf(stderr, "stress_check: /dev/shm/%s is missing or not a %u-byte layout v%u segment\n", name, CWTS_SEGMENT_SIZE, CWTS_LAYOUT_VERSION);
    return 2;
  }
  /* Read-only, like every strategy process: a stray write would fault. */
  const cwts_segment_t *seg = mmap(NULL, CWTS_SEGMENT_SIZE, PROT_READ, MAP_SHARED, fd, 0);
  close(fd);
  if (seg == MAP_FAILED) {
    perror("stress_check: mmap");
    return 2;
  }
  if (seg->header[0].magic != CWTS_MAGIC || seg->header[0].layout_hash != CWTS_LAYOUT_HASH) {
    fprintf(stderr, "stress_check: layout hash 0x%016" PRIx64 ", this reader was built for 0x%016" PRIx64 "\n",
            seg->header[0].layout_hash, (uint64_t)CWTS_LAYOUT_HASH);
    return 2;
  }
  size_t capacity = 1u << 22, samples = 0;
  uint64_t *latency = malloc(capacity * sizeof *latency);
  uint64_t *last_seen = calloc((size_t)symbols, sizeof *last_seen);
  uint64_t reads = 0, torn = 0, retries = 0;
  char first_torn[160] = "null";
  snapshot_t snap;
  uint64_t deadline = now_ns() + (uint64_t)(seconds * 1e9);
  for (int k = 0; now_ns() < deadline; k = (k + 1) % symbols) {
    retries += read_snapshot(seg, k, &snap);
    uint64_t seen = now_ns();
    if (snap.slot.update_count == 0) continue; /* not yet published */
    reads++;
    const char *bad = torn_field(&snap, k);
    if (*bad != '\0') {
      if (torn++ == 0) snprintf(first_torn, sizeof first_torn, "{\"symbol\": %d, \"update_count\": %" PRIu64 ", \"field\": \"%s\"}", k, snap.slot.update_count, bad);
      continue;
    }
    if (snap.slot.update_count != last_seen[k] && samples < capacity && seen >= snap.slot.publish_ts_ns) {
      latency[samples++] = seen - snap.slot.publish_ts_ns;
    }
    last_seen[k] = snap.slot.update_count;
  }
  qsort(latency, samples, sizeof *latency, compare_u64);
  printf("{\"backend\": \"c\", \"reads\": %" PRIu64 ", \"torn\": %" PRIu64 ", \"retries\": %" PRIu64 ", \"first_torn\": %s, "
         "\"latency_ns\": {\"p50\": %" PRIu64 ", \"p90\": %" PRIu64 ", \"p99\": %" PRIu64 ", \"p999\": %" PRIu64 ", \"max\": %" PRIu64 ", \"count\": %zu}}\n",
         reads, torn, retries, first_torn, percentile(latency, samples, 0.5), percentile(latency, samples, 0.9),
         percentile(latency, samples, 0.99), percentile(latency, samples, 0.999), samples ? latency[samples - 1] : 0, samples);
  free(latency);
  free(last_seen);
  return torn == 0 && reads > 0 ? 0 : 1;
}
