// SPDX-License-Identifier: AGPL-3.0-or-later
#include "storage/database.h"

#include <algorithm>
#include <cstdlib>

#include "core/log.h"

namespace cleanai {

// ---- Row ----

const std::optional<std::string>& Row::Cell(std::string_view column) const {
  static const std::optional<std::string> kNull;
  const size_t n = columns_->size();
  for (size_t k = 0; k < n; ++k) {
    size_t i = (hint_ + k) % n;
    if ((*columns_)[i] == column) {
      hint_ = i + 1;
      return cells_[i];
    }
  }
  LogError("storage: unknown column requested", {{"column", column}});
  return kNull;
}

bool Row::IsNull(std::string_view column) const { return !Cell(column).has_value(); }

std::string Row::Text(std::string_view column) const { return Cell(column).value_or(""); }

std::optional<std::string> Row::OptText(std::string_view column) const { return Cell(column); }

int64_t Row::Int(std::string_view column) const {
  const auto& c = Cell(column);
  return c ? std::strtoll(c->c_str(), nullptr, 10) : 0;
}

double Row::Double(std::string_view column) const {
  const auto& c = Cell(column);
  return c ? std::strtod(c->c_str(), nullptr) : 0.0;
}

bool Row::Bool(std::string_view column) const {
  const auto& c = Cell(column);
  return c && (*c == "t" || *c == "true" || *c == "1");
}

std::optional<SystemTime> Row::Time(std::string_view column) const {
  const auto& c = Cell(column);
  SystemTime t;
  if (!c || !ParseTime(*c, &t)) return std::nullopt;
  return t;
}

std::optional<std::string> Row::TimeText(std::string_view column) const {
  auto t = Time(column);
  if (!t) return std::nullopt;
  return FormatTime(*t);
}

// ---- Database ----

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, int pool_size) {
  Backend backend;
  std::string target;
  if (url.rfind("sqlite:///", 0) == 0) {
    backend = Backend::kSqlite;
    target = url.substr(10);  // sqlite:///rel/path -> rel/path, sqlite:////abs -> /abs
    if (target.empty()) return Err(Status::InvalidArgument("sqlite URL has no path"));
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    backend = Backend::kPostgres;
    target = url;
  } else {
    return Err(Status::InvalidArgument("database URL must start with sqlite:/// or postgresql://"));
  }
  std::vector<std::unique_ptr<Connection>> conns;
  for (int i = 0; i < pool_size; ++i) {
    auto c =
        backend == Backend::kSqlite ? OpenSqliteConnection(target) : OpenPostgresConnection(target);
    if (!c) return Err(c.error());
    conns.push_back(std::move(*c));
  }
  return std::unique_ptr<Database>(new Database(backend, std::move(conns)));
}

Database::Database(Backend backend, std::vector<std::unique_ptr<Connection>> conns)
    : backend_(backend), all_(std::move(conns)) {
  for (auto& c : all_) {
    c->owner_ = this;
    free_.push_back(c.get());
  }
  stats_.size = static_cast<int>(all_.size());
}

Database::~Database() = default;

Result<Connection*> Database::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  if (free_.empty()) {
    ++stats_.waited_total;
    if (!cv_.wait_for(lock, std::chrono::seconds(5), [this] { return !free_.empty(); })) {
      ++stats_.timeouts_total;
      return Err(Status::Unavailable("database busy: no free connection"));
    }
  }
  Connection* c = free_.back();
  free_.pop_back();
  ++stats_.in_use;
  ++stats_.acquired_total;
  return c;
}

void Database::Release(Connection* c) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(c);
    --stats_.in_use;
  }
  cv_.notify_one();
}

Result<QueryResult> Database::Execute(std::string_view sql, const std::vector<Value>& params) {
  return WithConnection<QueryResult>(
      [&](Connection& c) -> Result<QueryResult> { return c.Execute(sql, params); });
}

PoolStats Database::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

std::string TableUsingIndex(Backend backend, const std::string& table, const std::string& index) {
  return backend == Backend::kSqlite ? table + " INDEXED BY " + index : table;
}

}  // namespace cleanai
