// The GPIO kill line (see gpio_line.h). The watcher thread sets the kill bit itself, with an
// atomic OR on the segment's flags word, before JS hears of the edge: Python strategies see the
// flag while the event loop may still be busy. JS then gets each event through a threadsafe
// function. The watcher reads any fd that delivers struct gpio_v2_line_event, so tests drive
// this same code with crafted events on a FIFO when the kernel has no GPIO.
#include "gpio_line.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "napi_helpers.h"

#define EVENT_SIZE sizeof(struct gpio_v2_line_event)
_Static_assert(sizeof(struct gpio_v2_line_event) == 48, "uAPI v2 line events are 48 bytes");
// The kernel buffers 16 events per line by default: one read can take them all.
#define READ_EVENTS 16
// Software debounce adds its whole period to the edge latency; a second is already absurd for a kill switch.
#define MAX_DEBOUNCE_US 1000000
#define LABEL_BYTES 160

typedef struct {
  bool active_low;
  uint64_t bias_flag;  // 0: leave the bias as it is
  uint32_t debounce_us;
  char consumer[GPIO_MAX_NAME_SIZE];
} line_options_t;

// ---------------------------------------------------------------------------------------------
// Options and the request

static bool get_bool_property(napi_env env, napi_value obj, const char *key, bool fallback, bool *out) {
  napi_value v;
  napi_valuetype type;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok || napi_typeof(env, v, &type) != napi_ok) return false;
  if (type == napi_undefined) return (*out = fallback), true;
  if (type != napi_boolean) {
    char msg[96];
    snprintf(msg, sizeof msg, "GPIO option %s must be a boolean", key);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  return napi_get_value_bool(env, v, out) == napi_ok;
}

// A string property into buf (at most len - 1 bytes); undefined leaves buf as it is.
static bool get_string_property(napi_env env, napi_value obj, const char *key, char *buf, size_t len) {
  napi_value v;
  napi_valuetype type;
  size_t n = 0;
  char msg[128];
  if (napi_get_named_property(env, obj, key, &v) != napi_ok || napi_typeof(env, v, &type) != napi_ok) return false;
  if (type == napi_undefined) return true;
  if (type != napi_string || napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok || n == 0 || n >= len) {
    snprintf(msg, sizeof msg, "GPIO option %s must be a string of 1..%zu bytes", key, len - 1);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  if (napi_get_value_string_utf8(env, v, buf, len, &n) != napi_ok) return false;
  if (strlen(buf) != n) {
    snprintf(msg, sizeof msg, "GPIO option %s must not contain NUL", key);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  return true;
}

static bool get_line_options(napi_env env, napi_value obj, line_options_t *o) {
  napi_valuetype type;
  memset(o, 0, sizeof *o);
  snprintf(o->consumer, sizeof o->consumer, "cwts-kill");
  if (napi_typeof(env, obj, &type) != napi_ok) return false;
  if (type == napi_undefined) return true;
  if (type != napi_object) {
    napi_throw_type_error(env, NULL, "GPIO line options must be an object");
    return false;
  }
  char bias[16] = "as-is";
  napi_value v;
  double debounce = 0;
  if (!get_bool_property(env, obj, "activeLow", false, &o->active_low) ||
      !get_string_property(env, obj, "consumer", o->consumer, sizeof o->consumer) ||
      !get_string_property(env, obj, "bias", bias, sizeof bias) ||
      napi_get_named_property(env, obj, "debounceUs", &v) != napi_ok || napi_typeof(env, v, &type) != napi_ok)
    return false;
  if (type != napi_undefined && !get_integer(env, v, "GPIO option debounceUs", 0, MAX_DEBOUNCE_US, &debounce)) return false;
  o->debounce_us = (uint32_t)debounce;
  if (strcmp(bias, "as-is") == 0) o->bias_flag = 0;
  else if (strcmp(bias, "disabled") == 0) o->bias_flag = GPIO_V2_LINE_FLAG_BIAS_DISABLED;
  else if (strcmp(bias, "pull-up") == 0) o->bias_flag = GPIO_V2_LINE_FLAG_BIAS_PULL_UP;
  else if (strcmp(bias, "pull-down") == 0) o->bias_flag = GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN;
  else {
    napi_throw_range_error(env, NULL, "GPIO option bias must be one of as-is, disabled, pull-up, pull-down");
    return false;
  }
  return true;
}

// One input line with both edges detected, so the watcher sees it go active and inactive. The
// active-low flag makes the kernel report logical levels: "rising" always means "went active".
static void build_request(uint32_t offset, const line_options_t *o, struct gpio_v2_line_request *req) {
  memset(req, 0, sizeof *req);
  req->offsets[0] = offset;
  req->num_lines = 1;
  memcpy(req->consumer, o->consumer, sizeof req->consumer);
  req->config.flags = GPIO_V2_LINE_FLAG_INPUT | GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING | o->bias_flag |
                      (o->active_low ? GPIO_V2_LINE_FLAG_ACTIVE_LOW : 0);
  if (o->debounce_us > 0) {
    req->config.num_attrs = 1;
    req->config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
    req->config.attrs[0].attr.debounce_period_us = o->debounce_us;
    req->config.attrs[0].mask = 1;  // bit 0: the request's first (only) line
  }
}

static bool set_number(napi_env env, napi_value obj, const char *key, double value) {
  napi_value v;
  return napi_create_double(env, value, &v) == napi_ok && napi_set_named_property(env, obj, key, v) == napi_ok;
}

static bool set_bool(napi_env env, napi_value obj, const char *key, bool value) {
  napi_value v;
  return napi_get_boolean(env, value, &v) == napi_ok && napi_set_named_property(env, obj, key, v) == napi_ok;
}

static bool set_string(napi_env env, napi_value obj, const char *key, const char *value) {
  napi_value v;
  return napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &v) == napi_ok && napi_set_named_property(env, obj, key, v) == napi_ok;
}

static bool set_bigint(napi_env env, napi_value obj, const char *key, uint64_t value) {
  napi_value v;
  return napi_create_bigint_uint64(env, value, &v) == napi_ok && napi_set_named_property(env, obj, key, v) == napi_ok;
}

// The request as the kernel reads it, for logs and tests.
static napi_value describe_request(napi_env env, const struct gpio_v2_line_request *req) {
  napi_value obj;
  uint32_t debounce = req->config.num_attrs ? req->config.attrs[0].attr.debounce_period_us : 0;
  CHECK(napi_create_object(env, &obj));
  if (!set_number(env, obj, "offset", req->offsets[0]) || !set_string(env, obj, "consumer", req->consumer) ||
      !set_number(env, obj, "flags", (double)req->config.flags) || !set_number(env, obj, "numAttrs", req->config.num_attrs) ||
      !set_number(env, obj, "debounceUs", debounce) || !set_number(env, obj, "eventBufferSize", req->event_buffer_size))
    return NULL;
  return obj;
}

napi_value gpio_line_request_js(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  double offset;
  line_options_t o;
  struct gpio_v2_line_request req;
  if (!get_args(env, info, 2, argv, "gpioLineRequest") || !get_integer(env, argv[0], "GPIO line offset", 0, UINT32_MAX, &offset) ||
      !get_line_options(env, argv[1], &o))
    return NULL;
  build_request((uint32_t)offset, &o, &req);
  return describe_request(env, &req);
}

napi_value gpio_open_line_js(napi_env env, napi_callback_info info) {
  napi_value argv[3], result, fd_value;
  char chip[256];
  size_t len = 0;
  double offset_arg;
  line_options_t o;
  if (!get_args(env, info, 3, argv, "gpioOpenLine")) return NULL;
  if (napi_get_value_string_utf8(env, argv[0], chip, sizeof chip, &len) != napi_ok || len == 0 || len >= sizeof chip - 1 || strlen(chip) != len) {
    napi_throw_type_error(env, NULL, "GPIO chip path must be a string of 1..254 bytes without NUL");
    return NULL;
  }
  if (!get_integer(env, argv[1], "GPIO line offset", 0, UINT32_MAX, &offset_arg) || !get_line_options(env, argv[2], &o)) return NULL;
  uint32_t offset = (uint32_t)offset_arg;

  int chip_fd = open(chip, O_RDONLY | O_CLOEXEC);
  if (chip_fd < 0) return throw_errno(env, errno, "GPIO chip \"%s\" line %u: open", chip, offset);
  struct gpio_v2_line_request req;
  build_request(offset, &o, &req);
  int rc = ioctl(chip_fd, GPIO_V2_GET_LINE_IOCTL, &req), err = errno;
  close(chip_fd);  // the line request fd lives on without the chip fd
  if (rc < 0) {
    const char *why = err == ENOTTY ? " (not a GPIO character device, or a kernel without uAPI v2)"
                    : err == EBUSY ? " (another consumer holds the line)"
                    : err == EINVAL ? " (no such line on this chip, or a flag it does not support)" : "";
    return throw_errno(env, err, "GPIO chip \"%s\" line %u: GPIO_V2_GET_LINE_IOCTL%s", chip, offset, why);
  }
  // Edges alone miss a line that is already active: read the level now.
  struct gpio_v2_line_values values = {.bits = 0, .mask = 1};
  if (ioctl(req.fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &values) < 0) {
    err = errno;
    close(req.fd);
    return throw_errno(env, err, "GPIO chip \"%s\" line %u: GPIO_V2_LINE_GET_VALUES_IOCTL", chip, offset);
  }
  napi_value request = describe_request(env, &req);
  if (!request || napi_create_object(env, &result) != napi_ok || napi_create_int32(env, req.fd, &fd_value) != napi_ok ||
      napi_set_named_property(env, result, "fd", fd_value) != napi_ok || !set_bool(env, result, "active", (values.bits & 1) != 0) ||
      napi_set_named_property(env, result, "request", request) != napi_ok) {
    close(req.fd);
    return NULL;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// The watcher

typedef struct {
  int fd;       // the line request (or stand-in) fd; the caller owns it
  int stop_fd;  // an eventfd: writing it ends the poll loop
  uint32_t offset;
  uint32_t *word;
  uint32_t mask;
  napi_env env;
  napi_ref buffer_ref;  // keeps the mapping behind `word` alive while the thread runs
  napi_threadsafe_function tsfn;
  pthread_t thread;
  bool stopped;
  uint32_t last_seqno;
  // Written by the thread, read by stats() on the JS thread: __atomic accesses.
  uint64_t events, active_edges, gaps, errors;
  bool ended;
  char label[LABEL_BYTES];
} watcher_t;

typedef enum { MSG_EDGE, MSG_ERROR } message_kind_t;

typedef struct {
  message_kind_t kind;
  bool active;
  bool ended;  // the error stopped the watcher
  uint64_t timestamp_ns, flag_set_ns;
  uint32_t offset, seqno, line_seqno;
  uint64_t gaps, active_edges;
  char code[16];
  char message[LABEL_BYTES + 224];
} message_t;

static uint64_t monotonic_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);  // the clock the kernel stamps line events with
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t load(const uint64_t *counter) { return __atomic_load_n(counter, __ATOMIC_RELAXED); }
static void bump(uint64_t *counter, uint64_t by) { __atomic_fetch_add(counter, by, __ATOMIC_RELAXED); }

// Queues a message for JS. The queue is unbounded, so this never blocks the watcher; it only
// fails once the function is closing (env teardown), when nobody is left to tell.
static void post(watcher_t *w, message_t *m) {
  m->gaps = load(&w->gaps);
  m->active_edges = load(&w->active_edges);
  message_t *copy = malloc(sizeof *copy);
  if (!copy) return;
  *copy = *m;
  if (napi_call_threadsafe_function(w->tsfn, copy, napi_tsfn_nonblocking) != napi_ok) free(copy);
}

static void post_error(watcher_t *w, const char *code, bool ended, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void post_error(watcher_t *w, const char *code, bool ended, const char *fmt, ...) {
  message_t m = {.kind = MSG_ERROR, .ended = ended};
  char what[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  snprintf(m.code, sizeof m.code, "%s", code);
  snprintf(m.message, sizeof m.message, "%s: %s", w->label, what);
  bump(&w->errors, 1);
  post(w, &m);
}

static void post_errno(watcher_t *w, int err, const char *call) {
  char code[16], desc[128];
  const char *name = errno_name(err, code, sizeof code);
  post_error(w, name, true, "%s failed: %s (%s); the line is no longer watched", call, name, strerror_r(err, desc, sizeof desc));
}

// A struct the kernel would never send is reported and otherwise ignored: no flag change.
static void handle_event(watcher_t *w, const struct gpio_v2_line_event *ev) {
  if (ev->id != GPIO_V2_LINE_EVENT_RISING_EDGE && ev->id != GPIO_V2_LINE_EVENT_FALLING_EDGE)
    return post_error(w, "MALFORMED", false, "malformed event: id %u is neither rising (1) nor falling (2)", ev->id);
  if (ev->offset != w->offset)
    return post_error(w, "MALFORMED", false, "malformed event: it is for line %u, this is line %u", ev->offset, w->offset);
  if (ev->seqno <= w->last_seqno)
    return post_error(w, "MALFORMED", false, "malformed event: seqno %u does not follow %u", ev->seqno, w->last_seqno);
  message_t m = {.kind = MSG_EDGE, .active = ev->id == GPIO_V2_LINE_EVENT_RISING_EDGE};
  // The kernel drops the oldest events when its buffer overflows: gaps in seqno count them.
  bump(&w->gaps, ev->seqno - w->last_seqno - 1);
  w->last_seqno = ev->seqno;
  if (m.active) {
    __atomic_fetch_or(w->word, w->mask, __ATOMIC_SEQ_CST);  // the kill flag first, JS afterwards
    m.flag_set_ns = monotonic_ns();
    bump(&w->active_edges, 1);
  }
  bump(&w->events, 1);
  m.timestamp_ns = ev->timestamp_ns;
  m.offset = ev->offset;
  m.seqno = ev->seqno;
  m.line_seqno = ev->line_seqno;
  post(w, &m);
}

static void *watch_loop(void *arg) {
  watcher_t *w = arg;
  struct gpio_v2_line_event events[READ_EVENTS];
  struct pollfd fds[2] = {{.fd = w->fd, .events = POLLIN}, {.fd = w->stop_fd, .events = POLLIN}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      post_errno(w, errno, "poll");
      break;
    }
    if (fds[1].revents) break;
    if (fds[0].revents & POLLNVAL) {
      post_errno(w, EBADF, "poll");
      break;
    }
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    ssize_t n = read(w->fd, events, sizeof events);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      post_errno(w, errno, "read");
      break;
    }
    if (n == 0) {
      post_error(w, "EOF", true, "end of file: the line's events ended; the line is no longer watched");
      break;
    }
    size_t whole = (size_t)n / EVENT_SIZE, rest = (size_t)n % EVENT_SIZE;
    for (size_t i = 0; i < whole; i++) handle_event(w, &events[i]);
    // The kernel only ever returns whole events; a partial one is a broken source, never a half edge.
    if (rest) post_error(w, "SHORT_READ", false, "short read: %zd bytes is not a whole number of %zu-byte events; %zu bytes dropped", n, EVENT_SIZE, rest);
  }
  __atomic_store_n(&w->ended, true, __ATOMIC_RELEASE);
  return NULL;
}

// Runs on the JS thread for each message; env is NULL when the function is being torn down.
static void deliver(napi_env env, napi_value callback, void *context, void *data) {
  (void)context;
  message_t *m = data;
  napi_value event, undefined, ignored;
  if (env && napi_create_object(env, &event) == napi_ok && napi_get_undefined(env, &undefined) == napi_ok &&
      set_string(env, event, "kind", m->kind == MSG_EDGE ? "edge" : "error") && set_number(env, event, "gaps", (double)m->gaps) &&
      set_number(env, event, "activeEdges", (double)m->active_edges)) {
    bool built = m->kind == MSG_EDGE
        ? set_bool(env, event, "active", m->active) && set_bigint(env, event, "timestampNs", m->timestamp_ns) &&
          (!m->active || set_bigint(env, event, "flagSetNs", m->flag_set_ns)) && set_number(env, event, "offset", m->offset) &&
          set_number(env, event, "seqno", m->seqno) && set_number(env, event, "lineSeqno", m->line_seqno)
        : set_string(env, event, "code", m->code) && set_string(env, event, "message", m->message) && set_bool(env, event, "ended", m->ended);
    if (built && napi_call_function(env, undefined, callback, 1, &event, &ignored) == napi_pending_exception) {
      // A listener that throws is an uncaught exception, as for any other event source.
      napi_value error;
      if (napi_get_and_clear_last_exception(env, &error) == napi_ok) napi_fatal_exception(env, error);
    }
  }
  free(m);
}

// Idempotent; on the JS thread. Joins the thread before anything it uses goes away.
static void watcher_stop(watcher_t *w) {
  if (w->stopped) return;
  w->stopped = true;
  uint64_t one = 1;
  while (write(w->stop_fd, &one, sizeof one) < 0 && errno == EINTR) {}
  pthread_join(w->thread, NULL);
  close(w->stop_fd);
  napi_release_threadsafe_function(w->tsfn, napi_tsfn_release);
  napi_delete_reference(w->env, w->buffer_ref);
}

// The env (a worker, or the process) is going away with the watcher still running.
static void watcher_cleanup_hook(void *arg) { watcher_stop(arg); }

static void watcher_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  watcher_t *w = data;
  if (!w->stopped) {
    napi_remove_env_cleanup_hook(env, watcher_cleanup_hook, w);
    watcher_stop(w);
  }
  free(w);
}

static watcher_t *this_watcher(napi_env env, napi_callback_info info) {
  napi_value self;
  void *w = NULL;
  if (napi_get_cb_info(env, info, NULL, NULL, &self, NULL) != napi_ok || napi_unwrap(env, self, &w) != napi_ok) {
    napi_throw_type_error(env, NULL, "call this on the watcher gpioWatch returned");
    return NULL;
  }
  return w;
}

static napi_value watcher_stop_js(napi_env env, napi_callback_info info) {
  watcher_t *w = this_watcher(env, info);
  if (w && !w->stopped) {
    napi_remove_env_cleanup_hook(env, watcher_cleanup_hook, w);
    watcher_stop(w);
  }
  return NULL;
}

static napi_value watcher_stats_js(napi_env env, napi_callback_info info) {
  watcher_t *w = this_watcher(env, info);
  napi_value obj;
  if (!w) return NULL;
  CHECK(napi_create_object(env, &obj));
  if (!set_number(env, obj, "events", (double)load(&w->events)) || !set_number(env, obj, "activeEdges", (double)load(&w->active_edges)) ||
      !set_number(env, obj, "gaps", (double)load(&w->gaps)) || !set_number(env, obj, "errors", (double)load(&w->errors)) ||
      !set_bool(env, obj, "running", !w->stopped && !__atomic_load_n(&w->ended, __ATOMIC_ACQUIRE)))
    return NULL;
  return obj;
}

// Frees what gpio_watch_js made before the thread started, and throws.
static napi_value watch_failed(napi_env env, watcher_t *w, int err, const char *call) {
  if (w->stop_fd >= 0) close(w->stop_fd);
  if (w->tsfn) napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
  if (w->buffer_ref) napi_delete_reference(env, w->buffer_ref);
  char label[LABEL_BYTES];
  memcpy(label, w->label, sizeof label);
  free(w);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  return pending ? NULL : throw_errno(env, err, "%s: %s", label, call);
}

napi_value gpio_watch_js(napi_env env, napi_callback_info info) {
  napi_value argv[7], result, fn, name;
  double fd, offset, mask;
  size_t len = 0;
  napi_valuetype type;
  uint32_t *word;
  if (!get_args(env, info, 7, argv, "gpioWatch") || !get_integer(env, argv[0], "fd", 0, INT32_MAX, &fd) ||
      !get_integer(env, argv[1], "GPIO line offset", 0, UINT32_MAX, &offset) ||
      !(word = get_shared_word(env, argv[3], argv[4])) || !get_integer(env, argv[5], "mask", 1, UINT32_MAX, &mask))
    return NULL;
  if (napi_typeof(env, argv[6], &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, NULL, "gpioWatch: onEvent must be a function");
    return NULL;
  }
  watcher_t *w = calloc(1, sizeof *w);
  if (!w) return throw_errno(env, ENOMEM, "gpioWatch: calloc");
  w->fd = (int)fd;
  w->stop_fd = -1;
  w->offset = (uint32_t)offset;
  w->word = word;
  w->mask = (uint32_t)mask;
  w->env = env;
  if (napi_get_value_string_utf8(env, argv[2], w->label, sizeof w->label, &len) != napi_ok) {
    free(w);
    napi_throw_type_error(env, NULL, "gpioWatch: label must be a string");
    return NULL;
  }
  if (fcntl(w->fd, F_GETFD) < 0) return watch_failed(env, w, errno, "the line fd");
  w->stop_fd = eventfd(0, EFD_CLOEXEC);
  if (w->stop_fd < 0) return watch_failed(env, w, errno, "eventfd");
  if (napi_create_reference(env, argv[3], 1, &w->buffer_ref) != napi_ok ||
      napi_create_string_utf8(env, "cwts gpio watcher", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_threadsafe_function(env, argv[6], NULL, name, 0, 1, NULL, NULL, NULL, deliver, &w->tsfn) != napi_ok)
    return watch_failed(env, w, EINVAL, "napi_create_threadsafe_function");
  // Signals go to the other threads: poll here is only ever woken by the line or by stop.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int err = pthread_create(&w->thread, NULL, watch_loop, w);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (err) return watch_failed(env, w, err, "pthread_create");
  pthread_setname_np(w->thread, "cwts-gpio");

  if (napi_create_object(env, &result) != napi_ok || napi_wrap(env, result, w, watcher_finalize, NULL, NULL) != napi_ok) {
    watcher_stop(w);
    free(w);
    return NULL;
  }
  napi_add_env_cleanup_hook(env, watcher_cleanup_hook, w);
  CHECK(napi_create_function(env, "stop", NAPI_AUTO_LENGTH, watcher_stop_js, NULL, &fn));
  CHECK(napi_set_named_property(env, result, "stop", fn));
  CHECK(napi_create_function(env, "stats", NAPI_AUTO_LENGTH, watcher_stats_js, NULL, &fn));
  CHECK(napi_set_named_property(env, result, "stats", fn));
  return result;
}
