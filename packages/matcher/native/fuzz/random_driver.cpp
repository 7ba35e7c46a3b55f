// A stand-in for libFuzzer where clang is not installed: feeds LLVMFuzzerTestOneInput random
// inputs (and mutations of the previous one) for the seconds given, then reports how many.
//   matcher_fuzz [seconds] [seed]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 5.0;
  const unsigned seed = argc > 2 ? static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10)) : std::random_device{}();
  std::mt19937 rng(seed);
  std::vector<uint8_t> input;
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  uint64_t runs = 0;
  while (std::chrono::steady_clock::now() < end) {
    if (input.empty() || rng() % 4 == 0) {
      input.resize(rng() % 4096);
      for (auto& b : input) b = static_cast<uint8_t>(rng());
    } else {
      for (int flips = 1 + rng() % 8; flips > 0; --flips) input[rng() % input.size()] = static_cast<uint8_t>(rng());
    }
    LLVMFuzzerTestOneInput(input.data(), input.size());
    ++runs;
  }
  std::printf("matcher fuzz: %llu inputs in %.0f s (seed %u), no invariant broken, no sanitizer report\n",
              static_cast<unsigned long long>(runs), seconds, seed);
  return 0;
}
