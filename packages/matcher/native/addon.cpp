// Node-API binding of the matcher: a book is an external handle; orders go in as numbers
// one call at a time or as a batch in a Float64Array (one crossing for many orders); events
// come out as rows of kEventFields doubles in a Float64Array the caller owns.
#include <node_api.h>

#include <cmath>
#include <string>
#include <vector>

#include "order_book.hpp"

namespace {

using cwts::Event;
using cwts::OrderBook;
using cwts::OrderRequest;

constexpr size_t kEventFields = 9;    // command, type, reason, order id, maker id, price, qty, remaining, maker remaining
constexpr size_t kCommandFields = 9;  // op, id, owner, side, type, tif, stp, price, qty
constexpr double kMaxSafe = 9007199254740991.0;  // 2^53 - 1: ids and quantities JS can hold exactly

struct Book {
  OrderBook book;
  std::vector<Event> events;
  std::vector<uint32_t> commands;  // which batch command produced events[i]
  explicit Book(size_t capacity) : book(capacity) { events.reserve(1024); commands.reserve(1024); }
};

#define NAPI_CALL(env, call)                                   \
  do {                                                         \
    if ((call) != napi_ok) {                                   \
      napi_throw_error((env), nullptr, "node-api call failed: " #call); \
      return nullptr;                                          \
    }                                                          \
  } while (0)

// A double from JS as an exact integer, or `fallback` when it is not one (NaN, infinite,
// fractional, out of range): the fallback makes the book reject it with the right reason.
int64_t integer(double v, int64_t fallback) {
  if (!std::isfinite(v) || v != std::floor(v) || std::fabs(v) > kMaxSafe) return fallback;
  return static_cast<int64_t>(v);
}

uint8_t small(double v) {
  // Out-of-range enum values become 255, which the book rejects as InvalidEnum.
  return (std::isfinite(v) && v >= 0 && v <= 254 && v == std::floor(v)) ? static_cast<uint8_t>(v) : 255;
}

bool args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc < want) {
    napi_throw_type_error(env, nullptr, "missing arguments");
    return false;
  }
  return true;
}

Book* book_of(napi_env env, napi_value v) {
  void* data = nullptr;
  if (napi_get_value_external(env, v, &data) != napi_ok || data == nullptr) {
    napi_throw_type_error(env, nullptr, "the first argument must be a book handle from bookCreate");
    return nullptr;
  }
  return static_cast<Book*>(data);
}

// The arguments of a book function, the first being the handle; nullptr (with a JS error) when not.
Book* book_args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  return args(env, info, want, argv) ? book_of(env, argv[0]) : nullptr;
}

double number(napi_env env, napi_value v) {
  double d = NAN;
  napi_get_value_double(env, v, &d);  // a non-number stays NaN and is rejected downstream
  return d;
}

bool float64s(napi_env env, napi_value v, double** data, size_t* length) {
  napi_typedarray_type type;
  void* raw = nullptr;
  if (napi_get_typedarray_info(env, v, &type, length, &raw, nullptr, nullptr) != napi_ok || type != napi_float64_array) {
    napi_throw_type_error(env, nullptr, "expected a Float64Array");
    return false;
  }
  *data = static_cast<double*>(raw);
  return true;
}

napi_value uint(napi_env env, size_t n) {
  napi_value v;
  napi_create_double(env, static_cast<double>(n), &v);
  return v;
}

// Copies events [from, ...) into `out` rows; returns how many rows it wrote.
size_t copy_events(const Book& b, size_t from, double* out, size_t rows) {
  size_t n = 0;
  for (size_t i = from; i < b.events.size() && n < rows; ++i, ++n) {
    const Event& e = b.events[i];
    double* row = out + n * kEventFields;
    row[0] = b.commands.empty() ? 0 : b.commands[i];
    row[1] = static_cast<double>(e.type);
    row[2] = static_cast<double>(e.reason);
    row[3] = static_cast<double>(e.order_id);
    row[4] = static_cast<double>(e.maker_id);
    row[5] = static_cast<double>(e.price);
    row[6] = static_cast<double>(e.qty);
    row[7] = static_cast<double>(e.remaining);
    row[8] = static_cast<double>(e.maker_remaining);
  }
  return n;
}

void run_command(Book& b, const double* c) {
  const int64_t id = integer(c[1], 0);
  switch (small(c[0])) {
    case 0: {
      const OrderRequest r{static_cast<uint64_t>(id < 0 ? 0 : id), static_cast<uint32_t>(integer(c[2], 0) & 0xffffffff), small(c[3]),
                           small(c[4]), small(c[5]), small(c[6]), integer(c[7], 0), integer(c[8], 0)};
      return b.book.submit(r, b.events);
    }
    case 1:
      return b.book.cancel(static_cast<uint64_t>(id < 0 ? 0 : id), b.events);
    case 2:
      return b.book.modify(static_cast<uint64_t>(id < 0 ? 0 : id), integer(c[7], 0), integer(c[8], 0), b.events);
    default:
      b.events.push_back(Event{cwts::EventType::Rejected, cwts::Reason::InvalidEnum, static_cast<uint64_t>(id < 0 ? 0 : id), 0, 0, 0, 0, 0});
  }
}

// bookCreate(capacity) -> handle
napi_value BookCreate(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!args(env, info, 1, argv)) return nullptr;
  const int64_t capacity = integer(number(env, argv[0]), -1);
  if (capacity < 1 || capacity > (1 << 26)) {
    napi_throw_range_error(env, nullptr, "capacity must be an integer in 1..67108864");
    return nullptr;
  }
  Book* b = new Book(static_cast<size_t>(capacity));
  napi_value handle;
  NAPI_CALL(env, napi_create_external(env, b, [](napi_env, void* data, void*) { delete static_cast<Book*>(data); }, nullptr, &handle));
  return handle;
}

// bookExecute(handle, commands: Float64Array, count, out: Float64Array) -> events produced.
// Rows beyond out's capacity stay in the book's buffer for bookCopyEvents.
napi_value BookExecute(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  Book* b = book_args(env, info, 4, argv);
  if (!b) return nullptr;
  double* commands;
  double* out;
  size_t commands_length, out_length;
  if (!float64s(env, argv[1], &commands, &commands_length) || !float64s(env, argv[3], &out, &out_length)) return nullptr;
  const int64_t count = integer(number(env, argv[2]), -1);
  if (count < 0 || static_cast<size_t>(count) * kCommandFields > commands_length) {
    napi_throw_range_error(env, nullptr, "count must be an integer from 0 to commands.length / 9");
    return nullptr;
  }
  b->events.clear();
  b->commands.clear();
  for (int64_t i = 0; i < count; ++i) {
    run_command(*b, commands + i * kCommandFields);
    b->commands.resize(b->events.size(), static_cast<uint32_t>(i));
  }
  copy_events(*b, 0, out, out_length / kEventFields);
  return uint(env, b->events.size());
}

// bookCopyEvents(handle, from, out) -> rows copied, for a batch whose events did not fit.
napi_value BookCopyEvents(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  Book* b = book_args(env, info, 3, argv);
  if (!b) return nullptr;
  double* out;
  size_t out_length;
  if (!float64s(env, argv[2], &out, &out_length)) return nullptr;
  const int64_t from = integer(number(env, argv[1]), -1);
  if (from < 0) {
    napi_throw_range_error(env, nullptr, "from must be an integer >= 0");
    return nullptr;
  }
  return uint(env, copy_events(*b, static_cast<size_t>(from), out, out_length / kEventFields));
}

// bookLevels(handle, side, out) -> levels written as rows of [price, qty, orders], best first.
napi_value BookLevels(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  Book* b = book_args(env, info, 3, argv);
  if (!b) return nullptr;
  double* out;
  size_t out_length;
  if (!float64s(env, argv[2], &out, &out_length)) return nullptr;
  const auto side = number(env, argv[1]) == 1 ? cwts::Side::Sell : cwts::Side::Buy;
  const size_t n = std::min(b->book.depth(side), out_length / 3);
  for (size_t i = 0; i < n; ++i) {
    const cwts::LevelView level = b->book.level(side, i);
    out[3 * i] = static_cast<double>(level.price);
    out[3 * i + 1] = static_cast<double>(level.qty);
    out[3 * i + 2] = level.orders;
  }
  return uint(env, n);
}

// bookOrderCount(handle) -> working orders
napi_value BookOrderCount(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Book* b = book_args(env, info, 1, argv);
  return b ? uint(env, b->book.order_count()) : nullptr;
}

// bookCheck(handle) -> '' when sound, else what is wrong
napi_value BookCheck(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Book* b = book_args(env, info, 1, argv);
  if (!b) return nullptr;
  const std::string why = b->book.check_invariants();
  napi_value v;
  NAPI_CALL(env, napi_create_string_utf8(env, why.c_str(), why.size(), &v));
  return v;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor fns[] = {
      {"bookCreate", nullptr, BookCreate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"bookExecute", nullptr, BookExecute, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"bookCopyEvents", nullptr, BookCopyEvents, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"bookLevels", nullptr, BookLevels, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"bookOrderCount", nullptr, BookOrderCount, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"bookCheck", nullptr, BookCheck, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(fns) / sizeof(fns[0]), fns);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
