// Fuzz target of the matcher, in libFuzzer's interface: the input bytes are a stream of
// commands (submit / cancel / modify with raw, unchecked field values, as a hostile ring
// could deliver them). After every command the book must be sound; any violation aborts.
//
// With clang:  clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined order_book_fuzz.cpp ../order_book.cpp
// Without (gcc, as `npm test` runs it): linked with random_driver.cpp, see scripts/c-programs.mjs.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../order_book.hpp"

namespace {

template <typename T>
T take(const uint8_t*& data, size_t& size) {
  T value{};
  const size_t n = size < sizeof(T) ? size : sizeof(T);
  std::memcpy(&value, data, n);
  data += n;
  size -= n;
  return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cwts::OrderBook book(8);
  std::vector<cwts::Event> out;
  while (size > 0) {
    out.clear();
    const uint8_t op = take<uint8_t>(data, size) % 3;
    // Small id, price and quantity ranges make collisions, crossings and partial fills common.
    const uint64_t id = take<uint8_t>(data, size);
    if (op == 0) {
      const cwts::OrderRequest r{id, take<uint8_t>(data, size) % 4u, take<uint8_t>(data, size), take<uint8_t>(data, size),
                                 take<uint8_t>(data, size), take<uint8_t>(data, size), static_cast<int64_t>(take<int8_t>(data, size)),
                                 static_cast<int64_t>(take<int8_t>(data, size))};
      book.submit(r, out);
    } else if (op == 1) {
      book.cancel(id, out);
    } else {
      book.modify(id, take<int8_t>(data, size), take<int8_t>(data, size), out);
    }
    const std::string why = book.check_invariants();
    if (!why.empty()) {
      std::fprintf(stderr, "matcher invariant broken: %s\n", why.c_str());
      std::abort();
    }
  }
  return 0;
}
