// A price-time priority limit order book of one symbol: the simulated venue's matcher.
// Prices are integer ticks and quantities integer lots. Orders and price levels live in
// pools (free lists, grown by doubling only when full), an order id finds its order in
// O(1) through IdMap, and each level is an intrusive FIFO list: steady state allocates
// nothing per order. Every outcome is an Event appended to the caller's vector.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "id_map.hpp"

namespace cwts {

enum class Side : uint8_t { Buy = 0, Sell = 1 };
enum class OrderType : uint8_t { Limit = 0, Market = 1 };
enum class TimeInForce : uint8_t { GoodTillCancel = 0, ImmediateOrCancel = 1, FillOrKill = 2, PostOnly = 3 };
// What happens when a taker meets a resting order of the same owner.
enum class SelfTrade : uint8_t { CancelTaker = 0, CancelMaker = 1, CancelBoth = 2 };

enum class EventType : uint8_t {
  Rested = 0,     // the order (or its remainder) now works in the book
  Fill = 1,       // taker and maker traded `qty` at `price`
  Cancelled = 2,  // terminal: removed, `reason` says why
  Rejected = 3,   // terminal: refused before it touched the book
  Modified = 4,   // size reduced in place, priority kept
};

enum class Reason : uint8_t {
  None = 0,
  DuplicateId = 1,
  UnknownOrder = 2,
  InvalidQuantity = 3,
  InvalidPrice = 4,
  InvalidEnum = 5,
  PostOnlyWouldCross = 6,
  FillOrKillUnfilled = 7,
  NoLiquidity = 8,  // market or IOC remainder with nothing left to take
  SelfTrade = 9,
  Requested = 10,   // cancelled on request
};

struct Event {
  EventType type;
  Reason reason;
  uint64_t order_id;
  uint64_t maker_id;        // Fill: the resting order
  int64_t price;            // Fill: the maker's price; Rested/Modified: the order's price
  int64_t qty;              // Fill: traded; Cancelled: what was left
  int64_t remaining;        // the order's open quantity after this event
  int64_t maker_remaining;  // Fill: the maker's open quantity after it
};

struct OrderRequest {
  uint64_t id;
  uint32_t owner;
  uint8_t side;  // raw enum values: the book checks them (they may come from a shared-memory ring)
  uint8_t type;
  uint8_t time_in_force;
  uint8_t self_trade;
  int64_t price;  // ignored for market orders
  int64_t qty;
};

struct LevelView {
  int64_t price;
  int64_t qty;
  uint32_t orders;
};

class OrderBook {
 public:
  explicit OrderBook(size_t order_capacity = 1024);

  void submit(const OrderRequest& request, std::vector<Event>& out);
  void cancel(uint64_t id, std::vector<Event>& out);
  // New price and open quantity. A smaller quantity at the same price keeps the order's
  // place; anything else takes it out and submits it again (it may trade, and loses time priority).
  void modify(uint64_t id, int64_t price, int64_t qty, std::vector<Event>& out);

  // Levels best first: i = 0 is the best bid or ask.
  size_t depth(Side side) const { return sides_[index(side)].size(); }
  LevelView level(Side side, size_t i) const;
  size_t order_count() const { return ids_.size(); }
  int64_t open_quantity(Side side) const;
  // Empty when the book is sound; otherwise what is wrong (sorted, uncrossed, totals, links, map).
  std::string check_invariants() const;

 private:
  static constexpr uint32_t kNone = UINT32_MAX;

  struct Order {
    uint64_t id;
    uint32_t owner;
    Side side;
    SelfTrade self_trade;  // kept for a modify that resubmits
    int64_t qty;
    uint32_t level;
    uint32_t prev;
    uint32_t next;  // also the free-list link
  };

  struct Level {
    int64_t price;
    int64_t total;
    uint32_t head;
    uint32_t tail;
    uint32_t orders;
    uint32_t next_free;
  };

  static size_t index(Side side) { return side == Side::Buy ? 0 : 1; }
  static bool crosses(Side taker, int64_t limit, int64_t maker_price) {
    return taker == Side::Buy ? maker_price <= limit : maker_price >= limit;
  }

  void match(uint64_t id, uint32_t owner, Side side, bool market, int64_t limit, SelfTrade stp, int64_t& qty,
             std::vector<Event>& out);
  int64_t available(uint32_t owner, Side taker, bool market, int64_t limit) const;
  void rest(uint64_t id, uint32_t owner, Side side, SelfTrade stp, int64_t price, int64_t qty);
  void remove(uint32_t order);
  uint32_t level_for(Side side, int64_t price);
  uint32_t new_order();
  uint32_t new_level();
  const Order& order_at(uint32_t i) const { return orders_[i]; }

  std::vector<Order> orders_;
  std::vector<Level> levels_;
  uint32_t free_order_ = kNone;
  uint32_t free_level_ = kNone;
  // Level indices per side, worst first and best last, so taking or adding at the top is cheap.
  std::vector<uint32_t> sides_[2];
  IdMap ids_;
};

}  // namespace cwts
