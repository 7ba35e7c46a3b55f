#include "order_book.hpp"

#include <algorithm>
#include <sstream>

namespace cwts {

namespace {

Event event(EventType type, Reason reason, uint64_t id, int64_t price, int64_t qty, int64_t remaining) {
  return Event{type, reason, id, 0, price, qty, remaining, 0};
}

Event reject(uint64_t id, Reason reason) { return event(EventType::Rejected, reason, id, 0, 0, 0); }

}  // namespace

OrderBook::OrderBook(size_t order_capacity) : ids_(order_capacity) {
  orders_.reserve(order_capacity);
  levels_.reserve(order_capacity / 4 + 16);
  sides_[0].reserve(256);
  sides_[1].reserve(256);
}

void OrderBook::submit(const OrderRequest& r, std::vector<Event>& out) {
  // Stage 1: validate. Raw enum values are checked here because they may come from a ring.
  if (r.id == 0 || ids_.find(r.id) != IdMap::kMissing) return out.push_back(reject(r.id, Reason::DuplicateId));
  if (r.side > 1 || r.type > 1 || r.time_in_force > 3 || r.self_trade > 2) return out.push_back(reject(r.id, Reason::InvalidEnum));
  if (r.qty <= 0) return out.push_back(reject(r.id, Reason::InvalidQuantity));
  const bool market = r.type == static_cast<uint8_t>(OrderType::Market);
  if (!market && r.price <= 0) return out.push_back(reject(r.id, Reason::InvalidPrice));
  const Side side = static_cast<Side>(r.side);
  const auto tif = static_cast<TimeInForce>(r.time_in_force);
  if (market && tif == TimeInForce::PostOnly) return out.push_back(reject(r.id, Reason::InvalidEnum));

  // Stage 2: conditions that refuse the whole order before it touches the book.
  const std::vector<uint32_t>& opposite = sides_[index(side == Side::Buy ? Side::Sell : Side::Buy)];
  if (tif == TimeInForce::PostOnly && !opposite.empty() && crosses(side, r.price, levels_[opposite.back()].price)) {
    return out.push_back(reject(r.id, Reason::PostOnlyWouldCross));
  }
  if (tif == TimeInForce::FillOrKill && available(r.owner, side, market, r.price) < r.qty) {
    return out.push_back(reject(r.id, Reason::FillOrKillUnfilled));
  }

  // Stage 3: match, then rest or cancel what is left.
  int64_t qty = r.qty;
  match(r.id, r.owner, side, market, r.price, static_cast<SelfTrade>(r.self_trade), qty, out);
  if (qty <= 0) return;
  if (!out.empty() && out.back().type == EventType::Cancelled && out.back().order_id == r.id) return;  // self-trade cancelled it
  if (market || tif == TimeInForce::ImmediateOrCancel || tif == TimeInForce::FillOrKill) {
    return out.push_back(event(EventType::Cancelled, Reason::NoLiquidity, r.id, 0, qty, 0));
  }
  rest(r.id, r.owner, side, static_cast<SelfTrade>(r.self_trade), r.price, qty);
  out.push_back(event(EventType::Rested, Reason::None, r.id, r.price, qty, qty));
}

void OrderBook::match(uint64_t id, uint32_t owner, Side side, bool market, int64_t limit, SelfTrade stp, int64_t& qty,
                      std::vector<Event>& out) {
  std::vector<uint32_t>& opposite = sides_[index(side == Side::Buy ? Side::Sell : Side::Buy)];
  while (qty > 0 && !opposite.empty()) {
    Level& level = levels_[opposite.back()];
    if (!market && !crosses(side, limit, level.price)) break;
    const uint32_t maker = level.head;
    Order& m = orders_[maker];
    if (m.owner == owner) {
      const bool cancel_maker = stp != SelfTrade::CancelTaker;
      const bool cancel_taker = stp != SelfTrade::CancelMaker;
      if (cancel_maker) {
        out.push_back(event(EventType::Cancelled, Reason::SelfTrade, m.id, level.price, m.qty, 0));
        remove(maker);
      }
      if (cancel_taker) {
        out.push_back(event(EventType::Cancelled, Reason::SelfTrade, id, 0, qty, 0));
        return;
      }
      continue;
    }
    const int64_t fill = std::min(qty, m.qty);
    qty -= fill;
    m.qty -= fill;
    level.total -= fill;
    out.push_back(Event{EventType::Fill, Reason::None, id, m.id, level.price, fill, qty, m.qty});
    if (m.qty == 0) remove(maker);
  }
}

int64_t OrderBook::available(uint32_t owner, Side taker, bool market, int64_t limit) const {
  const std::vector<uint32_t>& opposite = sides_[index(taker == Side::Buy ? Side::Sell : Side::Buy)];
  int64_t sum = 0;
  for (auto it = opposite.rbegin(); it != opposite.rend(); ++it) {
    const Level& level = levels_[*it];
    if (!market && !crosses(taker, limit, level.price)) break;
    // The owner's own orders would not fill it (self-trade prevention), so they do not count.
    for (uint32_t o = level.head; o != kNone; o = orders_[o].next)
      if (orders_[o].owner != owner) sum += orders_[o].qty;
  }
  return sum;
}

void OrderBook::cancel(uint64_t id, std::vector<Event>& out) {
  const uint32_t o = ids_.find(id);
  if (o == IdMap::kMissing) return out.push_back(reject(id, Reason::UnknownOrder));
  const Order& order = orders_[o];
  out.push_back(event(EventType::Cancelled, Reason::Requested, id, levels_[order.level].price, order.qty, 0));
  remove(o);
}

void OrderBook::modify(uint64_t id, int64_t price, int64_t qty, std::vector<Event>& out) {
  const uint32_t o = ids_.find(id);
  if (o == IdMap::kMissing) return out.push_back(reject(id, Reason::UnknownOrder));
  if (qty <= 0) return out.push_back(reject(id, Reason::InvalidQuantity));
  if (price <= 0) return out.push_back(reject(id, Reason::InvalidPrice));
  Order& order = orders_[o];
  Level& level = levels_[order.level];
  if (price == level.price && qty <= order.qty) {
    level.total -= order.qty - qty;
    order.qty = qty;
    return out.push_back(event(EventType::Modified, Reason::None, id, price, qty, qty));
  }
  const OrderRequest again{id, order.owner, static_cast<uint8_t>(order.side), static_cast<uint8_t>(OrderType::Limit),
                           static_cast<uint8_t>(TimeInForce::GoodTillCancel), static_cast<uint8_t>(order.self_trade), price, qty};
  remove(o);
  out.push_back(event(EventType::Modified, Reason::None, id, price, qty, qty));
  submit(again, out);
}

void OrderBook::rest(uint64_t id, uint32_t owner, Side side, SelfTrade stp, int64_t price, int64_t qty) {
  const uint32_t lv = level_for(side, price);
  const uint32_t o = new_order();
  Level& level = levels_[lv];
  orders_[o] = Order{id, owner, side, stp, qty, lv, level.tail, kNone};
  if (level.tail != kNone) orders_[level.tail].next = o;
  else level.head = o;
  level.tail = o;
  level.total += qty;
  ++level.orders;
  ids_.insert(id, o);
}

void OrderBook::remove(uint32_t o) {
  Order& order = orders_[o];
  Level& level = levels_[order.level];
  if (order.prev != kNone) orders_[order.prev].next = order.next;
  else level.head = order.next;
  if (order.next != kNone) orders_[order.next].prev = order.prev;
  else level.tail = order.prev;
  level.total -= order.qty;
  --level.orders;
  ids_.erase(order.id);
  if (level.orders == 0) {
    std::vector<uint32_t>& side = sides_[index(order.side)];
    // Emptied levels are almost always the best one (taken by a fill), at the back.
    auto it = std::find(side.rbegin(), side.rend(), order.level);
    side.erase(std::next(it).base());
    level.next_free = free_level_;
    free_level_ = order.level;
  }
  order.next = free_order_;
  free_order_ = o;
}

uint32_t OrderBook::level_for(Side side, int64_t price) {
  std::vector<uint32_t>& levels = sides_[index(side)];
  // Worst first, best last: bids ascend in price, asks descend.
  const bool buy = side == Side::Buy;
  auto it = std::lower_bound(levels.begin(), levels.end(), price, [&](uint32_t lv, int64_t p) {
    return buy ? levels_[lv].price < p : levels_[lv].price > p;
  });
  if (it != levels.end() && levels_[*it].price == price) return *it;
  const uint32_t lv = new_level();
  levels_[lv] = Level{price, 0, kNone, kNone, 0, kNone};
  levels.insert(it, lv);
  return lv;
}

uint32_t OrderBook::new_order() {
  if (free_order_ != kNone) {
    const uint32_t o = free_order_;
    free_order_ = orders_[o].next;
    return o;
  }
  orders_.emplace_back();
  return static_cast<uint32_t>(orders_.size() - 1);
}

uint32_t OrderBook::new_level() {
  if (free_level_ != kNone) {
    const uint32_t lv = free_level_;
    free_level_ = levels_[lv].next_free;
    return lv;
  }
  levels_.emplace_back();
  return static_cast<uint32_t>(levels_.size() - 1);
}

LevelView OrderBook::level(Side side, size_t i) const {
  const std::vector<uint32_t>& levels = sides_[index(side)];
  const Level& level = levels_[levels[levels.size() - 1 - i]];
  return LevelView{level.price, level.total, level.orders};
}

int64_t OrderBook::open_quantity(Side side) const {
  int64_t sum = 0;
  for (uint32_t lv : sides_[index(side)]) sum += levels_[lv].total;
  return sum;
}

std::string OrderBook::check_invariants() const {
  std::ostringstream why;
  size_t orders = 0;
  for (size_t s = 0; s < 2; ++s) {
    const std::vector<uint32_t>& levels = sides_[s];
    for (size_t i = 0; i < levels.size(); ++i) {
      const Level& level = levels_[levels[i]];
      if (i > 0) {
        const int64_t before = levels_[levels[i - 1]].price;
        if (s == 0 ? before >= level.price : before <= level.price) why << "side " << s << " not sorted at " << i << "; ";
      }
      int64_t total = 0;
      uint32_t count = 0;
      uint32_t prev = kNone;
      for (uint32_t o = level.head; o != kNone; prev = o, o = orders_[o].next) {
        const Order& order = orders_[o];
        if (order.prev != prev) why << "order " << order.id << " prev link broken; ";
        if (order.qty <= 0) why << "order " << order.id << " has qty " << order.qty << "; ";
        if (order.level != levels[i]) why << "order " << order.id << " points at another level; ";
        if (ids_.find(order.id) != o) why << "order " << order.id << " not found by id; ";
        total += order.qty;
        ++count;
      }
      if (level.tail != prev) why << "level " << level.price << " tail broken; ";
      if (count == 0) why << "empty level " << level.price << " kept; ";
      if (total != level.total || count != level.orders) why << "level " << level.price << " totals drifted; ";
      orders += count;
    }
  }
  if (!sides_[0].empty() && !sides_[1].empty() && levels_[sides_[0].back()].price >= levels_[sides_[1].back()].price) {
    why << "crossed: bid " << levels_[sides_[0].back()].price << " >= ask " << levels_[sides_[1].back()].price << "; ";
  }
  if (orders != ids_.size()) why << orders << " orders in levels but " << ids_.size() << " ids; ";
  return why.str();
}

}  // namespace cwts
