#include "models/alloc/alloc_ref.hpp"

#include <algorithm>
#include <stdexcept>

namespace trimode {

AllocRef::AllocRef(uint32_t ram_base, uint32_t ram_size, uint32_t granule, AllocLimits limits)
    : ram_base_(ram_base), ram_end_(uint64_t{ram_base} + ram_size), granule_(granule),
      limits_(limits) {
  const bool pow2 = granule != 0 && (granule & (granule - 1)) == 0;
  if (!pow2 || ram_size == 0 || ram_base % granule != 0 || ram_size % granule != 0 ||
      ram_end_ > (uint64_t{1} << 32) || limits.max_segs == 0) {
    throw std::invalid_argument("AllocRef: bad RAM geometry or limits");
  }
}

uint64_t AllocRef::round(uint64_t n) const { return (n + granule_ - 1) / granule_ * granule_; }

std::vector<std::pair<uint64_t, uint64_t>> AllocRef::gaps(const Queue& q) const {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  uint64_t at = ram_base_;
  for (const auto& [base, t] : q) {
    if (base > at) out.emplace_back(at, base);
    at = base + t.size;
  }
  if (ram_end_ > at) out.emplace_back(at, ram_end_);
  return out;
}

void AllocRef::normalise(Queue* q) {
  for (auto it = q->begin(); it != q->end();) {
    auto next = std::next(it);
    if (next != q->end() && next->second.owner == it->second.owner &&
        it->first + it->second.size == next->first) {
      it->second.size += next->second.size;
      q->erase(next);  // stay on it: it may touch the one after too
    } else {
      it = next;
    }
  }
}

AllocStatus AllocRef::commit(Queue q, uint32_t owner) {
  normalise(&q);
  const auto held = std::count_if(q.begin(), q.end(),
                                  [owner](const auto& e) { return e.second.owner == owner; });
  const uint32_t limit = owner == 0 ? limits_.max_reserved : limits_.max_segs;
  if (static_cast<uint64_t>(held) > limit) return AllocStatus::kTable;
  q_ = std::move(q);
  return AllocStatus::kOk;
}

AllocStatus AllocRef::reserve(uint32_t base, uint32_t size) {
  if (size == 0) return AllocStatus::kInval;
  const uint64_t lo = base / granule_ * granule_;
  const uint64_t hi = round(uint64_t{base} + size);
  if (lo < ram_base_ || hi > ram_end_) return AllocStatus::kInval;
  for (const auto& [b, t] : q_) {
    if (b < hi && b + t.size > lo) return AllocStatus::kInval;
  }
  Queue next = q_;
  next[lo] = AllocTuple{static_cast<uint32_t>(lo), static_cast<uint32_t>(hi - lo), 0};
  return commit(std::move(next), 0);
}

AllocStatus AllocRef::alloc(uint32_t vm, uint32_t n) {
  if (!valid_vm(vm) || n == 0) return AllocStatus::kInval;
  uint64_t need = round(n);
  if (need > free_total()) return AllocStatus::kNoMem;
  Queue next = q_;
  for (const auto& [lo, hi] : gaps(q_)) {
    if (need == 0) break;
    const uint64_t take = std::min(hi - lo, need);
    next[lo] = AllocTuple{static_cast<uint32_t>(lo), static_cast<uint32_t>(take), vm};
    need -= take;
  }
  return commit(std::move(next), vm);
}

AllocStatus AllocRef::shrink(uint32_t vm, uint32_t n) { return shrink_below(vm, n, ram_end_); }

// Byte by byte in spirit: split every tuple of vm at limit, then take from the
// highest pieces below limit.
AllocStatus AllocRef::shrink_below(uint32_t vm, uint32_t n, uint64_t limit) {
  if (!valid_vm(vm) || n == 0) return AllocStatus::kInval;
  uint64_t give = round(n);
  Queue next;
  for (const auto& [base, t] : q_) {
    const uint64_t end = base + t.size;
    if (t.owner == vm && base < limit && end > limit) {
      next[base] = AllocTuple{t.base, static_cast<uint32_t>(limit - base), vm};
      next[limit] = AllocTuple{static_cast<uint32_t>(limit), static_cast<uint32_t>(end - limit), vm};
    } else {
      next[base] = t;
    }
  }
  uint64_t below = 0;
  for (const auto& [base, t] : next) {
    if (t.owner == vm && base < limit) below += t.size;
  }
  if (give > below) return AllocStatus::kInval;
  for (auto it = next.rbegin(); it != next.rend() && give > 0; ++it) {
    AllocTuple& t = it->second;
    if (t.owner != vm || it->first >= limit) continue;
    const uint64_t cut = std::min<uint64_t>(t.size, give);
    t.size -= static_cast<uint32_t>(cut);
    give -= cut;
  }
  for (auto it = next.begin(); it != next.end();) {
    it = it->second.size == 0 ? next.erase(it) : std::next(it);
  }
  return commit(std::move(next), vm);
}

AllocStatus AllocRef::free_all(uint32_t vm) {
  if (!valid_vm(vm)) return AllocStatus::kInval;
  for (auto it = q_.begin(); it != q_.end();) {
    it = it->second.owner == vm ? q_.erase(it) : std::next(it);
  }
  return AllocStatus::kOk;
}

std::vector<AllocTuple> AllocRef::global() const {
  std::vector<AllocTuple> out;
  for (const auto& e : q_) out.push_back(e.second);
  return out;
}

std::vector<AllocTuple> AllocRef::segments(uint32_t owner) const {
  std::vector<AllocTuple> out;
  for (const auto& e : q_) {
    if (e.second.owner == owner) out.push_back(e.second);
  }
  return out;
}

uint64_t AllocRef::total(uint32_t owner) const {
  uint64_t sum = 0;
  for (const auto& t : segments(owner)) sum += t.size;
  return sum;
}

uint64_t AllocRef::free_total() const {
  uint64_t used = 0;
  for (const auto& e : q_) used += e.second.size;
  return (ram_end_ - ram_base_) - used;
}

}  // namespace trimode
