// The matcher's own tests: every order type, time in force, self-trade mode and event, then
// random order streams checked against the book invariants and quantity conservation.
// Built and run by `npm test` (scripts/c-programs.mjs); exits non-zero on any failure.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "../order_book.hpp"

using namespace cwts;

namespace {

int failures = 0;
int checks = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    ++checks;                                                                \
    if (!(cond)) {                                                           \
      ++failures;                                                            \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                        \
  } while (0)

constexpr uint8_t B = 0, S = 1, LIMIT = 0, MARKET = 1, GTC = 0, IOC = 1, FOK = 2, POST = 3, CT = 0, CM = 1, CB = 2;

OrderRequest order(uint64_t id, uint8_t side, int64_t price, int64_t qty, uint8_t tif = GTC, uint32_t owner = 1,
                   uint8_t type = LIMIT, uint8_t stp = CT) {
  return OrderRequest{id, owner, side, type, tif, stp, price, qty};
}

std::vector<Event> run(OrderBook& book, const OrderRequest& r) {
  std::vector<Event> out;
  book.submit(r, out);
  return out;
}

void test_rests_and_sorts() {
  OrderBook book;
  CHECK(run(book, order(1, B, 100, 5))[0].type == EventType::Rested);
  run(book, order(2, B, 102, 1));
  run(book, order(3, B, 101, 1));
  run(book, order(4, S, 105, 2));
  run(book, order(5, S, 103, 2));
  CHECK(book.depth(Side::Buy) == 3 && book.depth(Side::Sell) == 2);
  CHECK(book.level(Side::Buy, 0).price == 102 && book.level(Side::Buy, 2).price == 100);
  CHECK(book.level(Side::Sell, 0).price == 103 && book.level(Side::Sell, 1).price == 105);
  CHECK(book.check_invariants().empty());
}

void test_price_time_priority_and_partial_fills() {
  OrderBook book;
  run(book, order(1, S, 100, 3, GTC, 1));
  run(book, order(2, S, 100, 4, GTC, 2));
  run(book, order(3, S, 101, 5, GTC, 3));
  auto out = run(book, order(4, B, 101, 9, GTC, 4));
  // Oldest first at the best price, then the next price; the taker fills completely.
  CHECK(out.size() == 3);
  CHECK(out[0].type == EventType::Fill && out[0].maker_id == 1 && out[0].qty == 3 && out[0].price == 100 && out[0].remaining == 6 && out[0].maker_remaining == 0);
  CHECK(out[1].maker_id == 2 && out[1].qty == 4 && out[1].remaining == 2);
  CHECK(out[2].maker_id == 3 && out[2].qty == 2 && out[2].price == 101 && out[2].remaining == 0 && out[2].maker_remaining == 3);
  CHECK(book.order_count() == 1 && book.level(Side::Sell, 0).qty == 3);
  // A limit that crosses only partly rests the rest at its own price.
  out = run(book, order(5, B, 101, 5, GTC, 5));
  CHECK(out.size() == 2 && out[0].qty == 3 && out[1].type == EventType::Rested && out[1].remaining == 2 && out[1].price == 101);
  CHECK(book.level(Side::Buy, 0).price == 101 && book.depth(Side::Sell) == 0);
  CHECK(book.check_invariants().empty());
}

void test_market_ioc_fok_post_only() {
  OrderBook book;
  run(book, order(1, S, 100, 2, GTC, 1));
  run(book, order(2, S, 102, 2, GTC, 1));
  auto out = run(book, order(3, B, 0, 3, GTC, 2, MARKET));
  CHECK(out.size() == 2 && out[0].price == 100 && out[1].price == 102 && out[1].qty == 1 && out[1].remaining == 0);
  out = run(book, order(4, B, 0, 5, GTC, 2, MARKET));  // only 1 left: the rest is cancelled, never rests
  CHECK(out.size() == 2 && out[1].type == EventType::Cancelled && out[1].reason == Reason::NoLiquidity && out[1].qty == 4);
  CHECK(book.order_count() == 0);

  run(book, order(10, S, 100, 2, GTC, 1));
  out = run(book, order(11, B, 100, 5, IOC, 2));
  CHECK(out.size() == 2 && out[0].qty == 2 && out[1].type == EventType::Cancelled && out[1].qty == 3);
  CHECK(book.order_count() == 0);

  run(book, order(20, S, 100, 2, GTC, 1));
  run(book, order(21, S, 101, 2, GTC, 1));
  out = run(book, order(22, B, 101, 5, FOK, 2));  // 4 available: all or nothing means nothing
  CHECK(out.size() == 1 && out[0].type == EventType::Rejected && out[0].reason == Reason::FillOrKillUnfilled);
  CHECK(book.order_count() == 2);
  out = run(book, order(23, B, 101, 4, FOK, 2));
  CHECK(out.size() == 2 && out[1].remaining == 0 && book.order_count() == 0);

  run(book, order(30, S, 100, 2, GTC, 1));
  out = run(book, order(31, B, 100, 1, POST, 2));
  CHECK(out.size() == 1 && out[0].type == EventType::Rejected && out[0].reason == Reason::PostOnlyWouldCross);
  out = run(book, order(32, B, 99, 1, POST, 2));
  CHECK(out.size() == 1 && out[0].type == EventType::Rested);
  CHECK(book.check_invariants().empty());
}

void test_self_trade_prevention() {
  for (uint8_t stp : {CT, CM, CB}) {
    OrderBook book;
    run(book, order(1, S, 100, 2, GTC, 7));
    run(book, order(2, S, 100, 2, GTC, 8));
    auto out = run(book, order(3, B, 100, 3, GTC, 7, LIMIT, stp));
    if (stp == CT) {  // the taker goes, the maker stays
      CHECK(out.size() == 1 && out[0].type == EventType::Cancelled && out[0].order_id == 3 && out[0].reason == Reason::SelfTrade);
      CHECK(book.order_count() == 2);
    } else if (stp == CM) {  // the maker goes, the taker trades on with the next one and rests the rest
      CHECK(out.size() == 3 && out[0].order_id == 1 && out[0].reason == Reason::SelfTrade);
      CHECK(out[1].type == EventType::Fill && out[1].maker_id == 2 && out[1].qty == 2);
      CHECK(out[2].type == EventType::Rested && out[2].remaining == 1);
    } else {  // both go
      CHECK(out.size() == 2 && out[0].order_id == 1 && out[1].order_id == 3 && out[1].type == EventType::Cancelled);
      CHECK(book.order_count() == 1);
    }
    CHECK(book.check_invariants().empty());
  }
  // A fill-or-kill does not count the owner's own liquidity.
  OrderBook book;
  run(book, order(1, S, 100, 5, GTC, 7));
  CHECK(run(book, order(2, B, 100, 1, FOK, 7))[0].reason == Reason::FillOrKillUnfilled);
}

void test_cancel_modify_and_bad_input() {
  OrderBook book;
  run(book, order(1, B, 100, 5, GTC, 1));
  run(book, order(2, B, 100, 5, GTC, 2));
  std::vector<Event> out;
  book.modify(1, 100, 3, out);  // smaller at the same price: keeps its place
  CHECK(out.size() == 1 && out[0].type == EventType::Modified && book.level(Side::Buy, 0).qty == 8);
  out.clear();
  run(book, order(3, S, 100, 3, GTC, 3));
  CHECK(book.order_count() == 1);  // id 1 was still first
  out.clear();
  book.modify(2, 101, 6, out);  // moves and grows: a new place
  CHECK(out.size() == 2 && out[1].type == EventType::Rested && book.level(Side::Buy, 0).price == 101 && book.level(Side::Buy, 0).qty == 6);
  out.clear();
  book.cancel(2, out);
  CHECK(out.size() == 1 && out[0].type == EventType::Cancelled && out[0].reason == Reason::Requested && out[0].qty == 6);
  out.clear();
  book.cancel(2, out);
  CHECK(out[0].type == EventType::Rejected && out[0].reason == Reason::UnknownOrder);
  out.clear();
  book.modify(99, 100, 1, out);
  CHECK(out[0].reason == Reason::UnknownOrder);

  OrderBook bad;
  run(bad, order(5, B, 100, 1));
  CHECK(run(bad, order(5, B, 100, 1))[0].reason == Reason::DuplicateId);
  CHECK(run(bad, order(0, B, 100, 1))[0].reason == Reason::DuplicateId);
  CHECK(run(bad, order(6, B, 100, 0))[0].reason == Reason::InvalidQuantity);
  CHECK(run(bad, order(7, B, 100, -3))[0].reason == Reason::InvalidQuantity);
  CHECK(run(bad, order(8, B, 0, 1))[0].reason == Reason::InvalidPrice);
  CHECK(run(bad, order(9, B, -1, 1))[0].reason == Reason::InvalidPrice);
  CHECK(run(bad, order(10, 2, 100, 1))[0].reason == Reason::InvalidEnum);
  CHECK(run(bad, order(11, B, 100, 1, 4))[0].reason == Reason::InvalidEnum);
  CHECK(run(bad, order(12, B, 100, 1, GTC, 1, 2))[0].reason == Reason::InvalidEnum);
  CHECK(run(bad, order(13, B, 100, 1, GTC, 1, LIMIT, 3))[0].reason == Reason::InvalidEnum);
  CHECK(run(bad, order(14, B, 0, 1, POST, 1, MARKET))[0].reason == Reason::InvalidEnum);
  CHECK(bad.order_count() == 1 && bad.check_invariants().empty());
}

// Random streams: after every operation the book is sound, and quantity is conserved: each
// order's open quantity, followed through its events alone, equals what the book holds.
void test_random_streams() {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    OrderBook book(64);  // small on purpose: the pools and the id map must grow correctly
    std::vector<Event> out;
    std::vector<uint64_t> ids;
    std::unordered_map<uint64_t, int64_t> open;
    uint64_t next_id = 1;
    std::string why;
    for (int step = 0; step < 20000 && why.empty(); ++step) {
      out.clear();
      const int op = static_cast<int>(rng() % 10);
      if (op < 6 || ids.empty()) {
        const uint64_t id = next_id++;
        const auto type = static_cast<uint8_t>(rng() % 10 == 0 ? MARKET : LIMIT);
        const auto tif = static_cast<uint8_t>(type == MARKET ? rng() % 3 : rng() % 4);
        const OrderRequest r{id, static_cast<uint32_t>(rng() % 5), static_cast<uint8_t>(rng() % 2), type, tif,
                             static_cast<uint8_t>(rng() % 3), static_cast<int64_t>(990 + rng() % 21), static_cast<int64_t>(1 + rng() % 20)};
        book.submit(r, out);
        if (out[0].type != EventType::Rejected) open[id] = r.qty;
        ids.push_back(id);
      } else if (op < 8) {
        book.cancel(ids[rng() % ids.size()], out);
      } else {
        book.modify(ids[rng() % ids.size()], static_cast<int64_t>(990 + rng() % 21), static_cast<int64_t>(1 + rng() % 20), out);
      }
      for (const Event& e : out) {
        switch (e.type) {
          case EventType::Fill:
            open[e.order_id] -= e.qty;
            open[e.maker_id] -= e.qty;
            if (open[e.order_id] != e.remaining || open[e.maker_id] != e.maker_remaining) why = "fill remaining disagrees";
            break;
          case EventType::Cancelled:
            if (open[e.order_id] != e.qty) why = "cancelled quantity disagrees";
            open[e.order_id] = 0;
            break;
          case EventType::Modified:
            open[e.order_id] = e.qty;
            break;
          case EventType::Rested:
            if (open[e.order_id] != e.remaining) why = "rested quantity disagrees";
            break;
          case EventType::Rejected:
            break;
        }
      }
      int64_t total = 0;
      size_t working = 0;
      for (const auto& [id, qty] : open) {
        if (qty < 0) why = "negative open quantity";
        total += qty;
        working += qty > 0;
      }
      if (total != book.open_quantity(Side::Buy) + book.open_quantity(Side::Sell)) why = "open quantity not conserved";
      if (working != book.order_count()) why = "working orders disagree with the book";
      if (why.empty()) why = book.check_invariants();
      if (!why.empty()) std::fprintf(stderr, "seed %u step %d: %s\n", seed, step, why.c_str());
    }
    CHECK(why.empty());
  }
}

}  // namespace

int main() {
  test_rests_and_sorts();
  test_price_time_priority_and_partial_fills();
  test_market_ioc_fok_post_only();
  test_self_trade_prevention();
  test_cancel_modify_and_bad_input();
  test_random_streams();
  std::printf("matcher: %d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
