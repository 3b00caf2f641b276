// Internal: a small LRU map from SQL text to a prepared statement. Bounded so that dynamically built SQL (IN lists
// of varying length, ...) cannot grow a connection's memory, or PostgreSQL's per-session prepared statements,
// without limit.
#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace pocketid::db::internal {

template <typename Stmt>
class StatementCache {
 public:
  explicit StatementCache(size_t capacity) : capacity_(capacity) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The cached statement for `sql`, marked most recently used; nullptr when absent.
  Stmt* Find(std::string_view sql) {
    auto it = index_.find(sql);
    if (it == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);
    return &it->second->second;
  }

  // Adds a statement; returns the least recently used one when that had to make room (the caller releases it).
  std::pair<Stmt*, std::optional<Stmt>> Insert(std::string sql, Stmt stmt) {
    std::optional<Stmt> evicted;
    if (entries_.size() >= capacity_ && !entries_.empty()) {
      auto& last = entries_.back();
      index_.erase(std::string_view(last.first));
      evicted.emplace(std::move(last.second));
      entries_.pop_back();
    }
    entries_.emplace_front(std::move(sql), std::move(stmt));
    // The key views the string inside the list node, which never moves.
    index_.emplace(std::string_view(entries_.front().first), entries_.begin());
    return {&entries_.front().second, std::move(evicted)};
  }

  // Removes `sql`'s statement and returns it (e.g. to re-prepare it).
  std::optional<Stmt> Erase(std::string_view sql) {
    auto it = index_.find(sql);
    if (it == index_.end()) return std::nullopt;
    auto node = it->second;
    index_.erase(it);
    std::optional<Stmt> out(std::move(node->second));
    entries_.erase(node);
    return out;
  }

  void Clear() {
    index_.clear();
    entries_.clear();
  }
  size_t size() const { return entries_.size(); }

 private:
  size_t capacity_;
  std::list<std::pair<std::string, Stmt>> entries_;  // most recently used first
  std::unordered_map<std::string_view, typename std::list<std::pair<std::string, Stmt>>::iterator> index_;
};

}  // namespace pocketid::db::internal
