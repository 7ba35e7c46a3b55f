// Order id -> pool index, open addressing with linear probing and backward-shift deletion
// (no tombstones, so lookups stay short after many cancels). Capacity is a power of two and
// doubles at half load: allocation only on growth, never per order.
#pragma once
#include <cstdint>
#include <vector>

namespace cwts {

class IdMap {
 public:
  static constexpr uint32_t kMissing = UINT32_MAX;

  explicit IdMap(size_t capacity) { rehash(round_up(capacity * 2)); }

  uint32_t find(uint64_t id) const {
    for (size_t i = slot(id);; i = (i + 1) & mask_) {
      const Entry& e = entries_[i];
      if (e.value == kMissing) return kMissing;
      if (e.key == id) return e.value;
    }
  }

  // The caller checks find() first: ids are unique.
  void insert(uint64_t id, uint32_t value) {
    if ((size_ + 1) * 2 > entries_.size()) rehash(entries_.size() * 2);
    size_t i = slot(id);
    while (entries_[i].value != kMissing) i = (i + 1) & mask_;
    entries_[i] = {id, value};
    ++size_;
  }

  void erase(uint64_t id) {
    size_t i = slot(id);
    while (entries_[i].key != id || entries_[i].value == kMissing) {
      if (entries_[i].value == kMissing) return;
      i = (i + 1) & mask_;
    }
    // Backward shift: pull later entries of the probe run into the hole.
    for (size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      if (entries_[j].value == kMissing) break;
      const size_t home = slot(entries_[j].key);
      // Move j into i unless its home lies cyclically in (i, j].
      const bool stays = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
      if (!stays) {
        entries_[i] = entries_[j];
        i = j;
      }
    }
    entries_[i].value = kMissing;
    --size_;
  }

  size_t size() const { return size_; }

 private:
  struct Entry {
    uint64_t key = 0;
    uint32_t value = kMissing;
  };

  static size_t round_up(size_t n) {
    size_t c = 16;
    while (c < n) c <<= 1;
    return c;
  }

  // Fibonacci hashing spreads sequential ids over the table.
  size_t slot(uint64_t id) const { return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> shift_); }

  void rehash(size_t capacity) {
    std::vector<Entry> old;
    old.swap(entries_);
    entries_.assign(capacity, Entry{});
    mask_ = capacity - 1;
    shift_ = 64;
    for (size_t c = capacity; c > 1; c >>= 1) --shift_;
    size_ = 0;
    for (const Entry& e : old)
      if (e.value != kMissing) insert(e.key, e.value);
  }

  std::vector<Entry> entries_;
  size_t mask_ = 0;
  unsigned shift_ = 0;
  size_t size_ = 0;
};

}  // namespace cwts
