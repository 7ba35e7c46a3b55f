/*
 * Reads the TS-written golden image through the generated C structs and checks every
 * value in the expected list (`path type value` lines). Each field is reached by its
 * struct member name, so a header whose layout disagrees with the TS writer fails here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cwts_shm.h"

typedef struct {
  const void *at;
  const char *type; /* "u32", "u64", "f64" or "text" */
} field_ref;

/* One macro per C type: the member access is what is under test. */
#define U32(m) if (strcmp(f, #m) == 0) return (field_ref){&s->m, "u32"};
#define U64(m) if (strcmp(f, #m) == 0) return (field_ref){&s->m, "u64"};
#define F64(m) if (strcmp(f, #m) == 0) return (field_ref){&s->m, "f64"};
#define TXT(m) if (strcmp(f, #m) == 0) return (field_ref){s->m, "text"};
#define NONE return (field_ref){NULL, NULL};

static field_ref header_field(const cwts_header_t *s, const char *f) {
  U64(magic) U32(layout_version) U32(flags) U64(layout_hash) U64(total_size) U64(heartbeat_ns)
  U64(created_ns) U32(engine_pid) U32(symbol_count) U32(control_mode) NONE
}

static field_ref symbol_field(const cwts_symbol_slot_t *s, const char *f) {
  U32(seq) U32(status) TXT(name) F64(bid) F64(ask) F64(bid_volume) F64(ask_volume) F64(last)
  F64(volume_24h) U64(exchange_ts_ns) U64(receive_ts_ns) U64(publish_ts_ns) U64(update_count)
  U32(bid_depth) U32(ask_depth) TXT(venue) F64(tick_size) F64(lot_size) NONE
}

static field_ref level_field(const cwts_level_t *s, const char *f) { F64(price) F64(volume) NONE }

static field_ref report_field(const cwts_report_slot_t *s, const char *f) {
  U32(seq) U32(kind) U32(position) U32(reason) U64(client_order_id) U32(strategy_id) U32(symbol_index)
  U64(signal_position) F64(fill_size) F64(fill_price) F64(cumulative_filled) F64(remaining) U64(ts_ns)
  U64(order_id) NONE
}

static field_ref report_control_field(const cwts_report_ring_control_t *s, const char *f) {
  U32(write_position) U32(capacity) NONE
}

static field_ref position_field(const cwts_position_slot_t *s, const char *f) {
  U32(seq) U32(flags) U32(strategy_id) U32(symbol_index) F64(size) F64(avg_price) F64(realized_pnl)
  F64(unrealized_pnl) U64(updated_ns) NONE
}

static field_ref signal_control_field(const cwts_signal_ring_control_t *s, const char *f) {
  U64(tail) U64(next_client_order_id) U64(head) U64(abandoned) U32(consumer_sleeping) U32(consumer_wake)
  U32(report_waiters) NONE
}

/* `region[i][j].field` → the field in the segment, or {NULL} for an unknown path. */
static field_ref resolve(const cwts_segment_t *seg, const char *path) {
  char region[32] = {0}, field[64] = {0};
  int i = 0, j = 0;
  if (sscanf(path, "%31[a-z_][%d][%d].%63s", region, &i, &j, field) == 4) {
    if (i < 0 || j < 0 || j >= (int)CWTS_MAX_SYMBOLS) return (field_ref){NULL, NULL};
    int level_ok = i < (int)CWTS_MAX_SYMBOLS && j < (int)CWTS_BOOK_DEPTH;
    if (strcmp(region, "bids") == 0 && level_ok) return level_field(&seg->bids[i][j], field);
    if (strcmp(region, "asks") == 0 && level_ok) return level_field(&seg->asks[i][j], field);
    if (strcmp(region, "positions") == 0 && i < (int)CWTS_MAX_STRATEGIES) return position_field(&seg->positions[i][j], field);
  } else if (sscanf(path, "%31[a-z_][%d].%63s", region, &i, field) == 3) {
    if (strcmp(region, "symbols") == 0 && i >= 0 && i < (int)CWTS_MAX_SYMBOLS) return symbol_field(&seg->symbols[i], field);
    if (strcmp(region, "reports") == 0 && i >= 0 && i < (int)CWTS_REPORT_CAPACITY) return report_field(&seg->reports[i], field);
  } else if (sscanf(path, "%31[a-z_].%63s", region, field) == 2) {
    if (strcmp(region, "header") == 0) return header_field(&seg->header[0], field);
    if (strcmp(region, "report_control") == 0) return report_control_field(&seg->report_control[0], field);
    if (strcmp(region, "signal_control") == 0) return signal_control_field(&seg->signal_control[0], field);
  }
  return (field_ref){NULL, NULL};
}

static int check(const cwts_segment_t *seg, const char *path, const char *type, const char *value) {
  field_ref ref = resolve(seg, path);
  if (ref.at == NULL) {
    fprintf(stderr, "FAIL %s: no such field in cwts_shm.h\n", path);
    return 0;
  }
  if (strcmp(ref.type, type) != 0) {
    fprintf(stderr, "FAIL %s: C type %s, expected %s\n", path, ref.type, type);
    return 0;
  }
  char found[128];
  int ok;
  if (strcmp(type, "u32") == 0) {
    uint32_t v;
    memcpy(&v, ref.at, sizeof v);
    ok = v == (uint32_t)strtoul(value, NULL, 10);
    snprintf(found, sizeof found, "%" PRIu32, v);
  } else if (strcmp(type, "u64") == 0) {
    uint64_t v;
    memcpy(&v, ref.at, sizeof v);
    ok = v == (uint64_t)strtoull(value, NULL, 10);
    snprintf(found, sizeof found, "%" PRIu64, v);
  } else if (strcmp(type, "f64") == 0) {
    double v;
    memcpy(&v, ref.at, sizeof v);
    ok = v == strtod(value, NULL); /* exact: both sides print and parse round-trip values */
    snprintf(found, sizeof found, "%.17g", v);
  } else {
    ok = strcmp((const char *)ref.at, value) == 0;
    snprintf(found, sizeof found, "%s", (const char *)ref.at);
  }
  if (!ok) fprintf(stderr, "FAIL %s: found %s, expected %s\n", path, found, value);
  return ok;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: golden_check SEGMENT_IMAGE EXPECTED_FILE\n");
    return 2;
  }
  /* Page alignment like a real mapping, so every struct is naturally aligned. */
  cwts_segment_t *seg = aligned_alloc(CWTS_PAGE_SIZE, sizeof(cwts_segment_t));
  FILE *image = fopen(argv[1], "rb");
  if (seg == NULL || image == NULL || fread(seg, 1, sizeof *seg, image) != sizeof *seg || fgetc(image) != EOF) {
    fprintf(stderr, "golden_check: cannot read %s as a %u-byte segment image\n", argv[1], CWTS_SEGMENT_SIZE);
    return 2;
  }
  fclose(image);
  FILE *expected = fopen(argv[2], "r");
  if (expected == NULL) {
    fprintf(stderr, "golden_check: cannot open %s\n", argv[2]);
    return 2;
  }
  int passed = 0, failed = 0;
  char line[512];
  while (fgets(line, sizeof line, expected) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    char path[128], type[8];
    int consumed = 0;
    if (sscanf(line, "%127s %7s %n", path, type, &consumed) < 2) continue;
    if (check(seg, path, type, line + consumed)) passed++;
    else failed++;
  }
  fclose(expected);
  free(seg);
  printf("C golden vectors: %d passed, %d failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}
