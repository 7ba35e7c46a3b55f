// The matcher in C++ alone: runs an order stream (command rows of 9 doubles, as the JS batch
// interface takes them, written by benchmarks/matcher.mjs) through one OrderBook, timing each
// command. Prints one JSON line: operations per second and per-operation percentiles.
//   matcher_bench STREAM_FILE
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "../order_book.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: matcher_bench STREAM_FILE\n");
    return 2;
  }
  std::FILE* file = std::fopen(argv[1], "rb");
  if (!file) {
    std::perror(argv[1]);
    return 1;
  }
  std::vector<double> rows;
  double buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, sizeof(double), 4096, file)) > 0) rows.insert(rows.end(), buffer, buffer + n);
  std::fclose(file);
  const size_t count = rows.size() / 9;
  cwts::OrderBook book(1 << 16);
  std::vector<cwts::Event> out;
  out.reserve(1024);
  std::vector<double> latencies(count);
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < count; ++i) {
    const double* c = &rows[i * 9];
    const auto t0 = std::chrono::steady_clock::now();
    out.clear();
    const auto id = static_cast<uint64_t>(c[1]);
    if (c[0] == 0) {
      book.submit(cwts::OrderRequest{id, static_cast<uint32_t>(c[2]), static_cast<uint8_t>(c[3]), static_cast<uint8_t>(c[4]), static_cast<uint8_t>(c[5]),
                                     static_cast<uint8_t>(c[6]), static_cast<int64_t>(c[7]), static_cast<int64_t>(c[8])}, out);
    } else if (c[0] == 1) {
      book.cancel(id, out);
    } else {
      book.modify(id, static_cast<int64_t>(c[7]), static_cast<int64_t>(c[8]), out);
    }
    latencies[i] = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(latencies.begin(), latencies.end());
  const auto at = [&](double p) { return latencies[std::min(count - 1, static_cast<size_t>(p * count))]; };
  std::printf("{\"operations\":%zu,\"opsPerSecond\":%.0f,\"perOpNs\":{\"p50\":%.0f,\"p90\":%.0f,\"p99\":%.0f,\"p999\":%.0f,\"max\":%.0f,\"count\":%zu},\"restingAtEnd\":%zu}\n",
              count, count / seconds, at(0.5), at(0.9), at(0.99), at(0.999), latencies[count - 1], count, book.order_count());
  return 0;
}
