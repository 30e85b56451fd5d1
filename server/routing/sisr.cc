// SPDX-License-Identifier: AGPL-3.0-or-later
// SISR for the VRP of routing/vrp.h. Names follow the paper: c̄ (average removed jobs),
// L_max (longest string), split strings that keep a few jobs, blinks in recreate, and a
// temperature falling exponentially from T0 to Tf over the run.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>

#include "routing/vrp.h"

namespace cleanai {
namespace {

constexpr double kAverageRemoved = 10;  // c̄
constexpr double kMaxString = 10;       // L_max
constexpr double kBlinkRate = 0.01;
constexpr int64_t kInfinity = std::numeric_limits<int64_t>::max() / 4;

class Sisr {
 public:
  Sisr(const VrpProblem& p, const VrpOptions& o) : p_(p), o_(o), rng_(o.seed) {
    const int n = static_cast<int>(p_.jobs.size());
    // Jobs by closeness to each job: where strings are removed around a seed.
    neighbours_.resize(n);
    for (int j = 0; j < n; ++j) {
      auto& list = neighbours_[j];
      for (int k = 0; k < n; ++k) {
        if (k != j) list.push_back(k);
      }
      std::sort(list.begin(), list.end(), [&](int a, int b) {
        return p_.cost[Node(j)][Node(a)] < p_.cost[Node(j)][Node(b)];
      });
    }
    // Empty vehicles that are alike need one trial insertion, not one each.
    signature_.resize(p_.vehicles.size());
    for (size_t v = 0; v < p_.vehicles.size(); ++v) {
      signature_[v] = static_cast<int>(v);
      for (size_t w = 0; w < v; ++w) {
        const auto &a = p_.vehicles[v], &b = p_.vehicles[w];
        if (a.start == b.start && a.end == b.end && a.capacity == b.capacity &&
            a.max_duration == b.max_duration) {
          signature_[v] = signature_[w];
          break;
        }
      }
    }
  }

  VrpSolution Run() {
    auto started = std::chrono::steady_clock::now();
    State current = Empty();
    for (int j = 0; j < static_cast<int>(p_.jobs.size()); ++j) current.absent.push_back(j);
    Recreate(current, /*order=*/1);
    State best = current;
    // Temperatures scaled to the instance: the paper's 100 → 1 on X instances is about
    // half, and a two-hundredth, of an average arc.
    int64_t arcs = 0;
    for (const auto& r : current.routes) arcs += r.empty() ? 0 : static_cast<int64_t>(r.size()) + 1;
    const double avg_arc =
        arcs > 0 ? static_cast<double>(current.distance) / static_cast<double>(arcs) : 1.0;
    const double t0 = std::max(1e-9, 0.5 * avg_arc), tf = std::max(1e-10, 0.005 * avg_arc);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    int64_t it = 0;
    for (;; ++it) {
      double progress;
      auto elapsed = std::chrono::steady_clock::now() - started;
      if (elapsed >= o_.time_limit) break;
      if (o_.max_iterations > 0) {
        if (it >= o_.max_iterations) break;
        progress = static_cast<double>(it) / static_cast<double>(o_.max_iterations);
      } else {
        progress = std::chrono::duration<double>(elapsed) / o_.time_limit;
      }
      if (o_.target_cost && best.Cost() <= *o_.target_cost) break;
      const double temperature = t0 * std::pow(tf / t0, progress);
      State next = current;
      Ruin(next);
      Recreate(next, -1);
      if (static_cast<double>(next.Cost()) <
          static_cast<double>(current.Cost()) - temperature * std::log(unit(rng_))) {
        current = std::move(next);
        if (current.Cost() < best.Cost()) best = current;
      }
    }
    VrpSolution out;
    out.routes = best.routes;
    out.unassigned = best.absent;
    std::sort(out.unassigned.begin(), out.unassigned.end());
    out.distance = best.distance;
    out.cost = best.Cost();
    out.iterations = it;
    return out;
  }

 private:
  struct State {
    std::vector<std::vector<int>> routes;
    std::vector<int64_t> load, duration, cost;
    std::vector<int> absent;
    int64_t distance = 0, penalty = 0;
    int64_t Cost() const { return distance + penalty; }
  };

  int Node(int job) const { return p_.jobs[job].node; }
  int64_t Penalty(int job) const {
    return p_.jobs[job].penalty > 0 ? p_.jobs[job].penalty : kInfinity / 1024;
  }

  State Empty() const {
    State s;
    const size_t m = p_.vehicles.size();
    s.routes.assign(m, {});
    s.load.assign(m, 0);
    s.duration.assign(m, 0);
    s.cost.assign(m, 0);  // an unused vehicle costs nothing: it stays where it is
    return s;
  }

  // Cost and duration of route `v` as it stands.
  void Measure(State& s, size_t v) const {
    const auto& veh = p_.vehicles[v];
    const auto& r = s.routes[v];
    int64_t c = 0, d = 0, load = 0;
    if (!r.empty()) {
      int prev = veh.start;
      for (int j : r) {
        c += p_.cost[prev][Node(j)];
        d += p_.time[prev][Node(j)] + p_.jobs[j].service;
        load += p_.jobs[j].demand;
        prev = Node(j);
      }
      c += p_.cost[prev][veh.end];
      d += p_.time[prev][veh.end];
    }
    s.distance += c - s.cost[v];
    s.cost[v] = c;
    s.duration[v] = d;
    s.load[v] = load;
  }

  void Ruin(State& s) {
    std::vector<int> where(p_.jobs.size(), -1);  // job -> vehicle
    int assigned = 0, used = 0;
    for (size_t v = 0; v < s.routes.size(); ++v) {
      if (!s.routes[v].empty()) ++used;
      for (int j : s.routes[v]) {
        where[j] = static_cast<int>(v);
        ++assigned;
      }
    }
    if (assigned == 0) return;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const double avg_len = static_cast<double>(assigned) / used;
    const double ls_max = std::min(kMaxString, avg_len);
    const double ks_max = 4.0 * kAverageRemoved / (1.0 + ls_max) - 1.0;
    const int strings = static_cast<int>(std::floor(unit(rng_) * ks_max)) + 1;
    // The seed: a random served job.
    int seed = -1;
    {
      std::uniform_int_distribution<int> pick(0, static_cast<int>(p_.jobs.size()) - 1);
      while (seed < 0) {
        int j = pick(rng_);
        if (where[j] >= 0) seed = j;
      }
    }
    std::vector<char> ruined(s.routes.size(), 0);
    int done = 0;
    auto visit = [&](int c) {
      int v = where[c];
      if (v < 0 || ruined[v]) return;
      auto& r = s.routes[v];
      const int size = static_cast<int>(r.size());
      const int l_max = static_cast<int>(std::min<double>(size, ls_max));
      const int l = static_cast<int>(std::floor(unit(rng_) * l_max)) + 1;
      const int pos = static_cast<int>(std::find(r.begin(), r.end(), c) - r.begin());
      if (unit(rng_) < 0.5 || l >= size) {
        // A string of l jobs that contains c.
        int lo = std::max(0, pos - l + 1), hi = std::min(pos, size - l);
        int start = lo + static_cast<int>(rng_() % static_cast<uint64_t>(hi - lo + 1));
        for (int i = start; i < start + l; ++i) s.absent.push_back(r[i]);
        r.erase(r.begin() + start, r.begin() + start + l);
      } else {
        // A split string: l + m jobs around c, of which m consecutive ones stay.
        int m = 1;
        while (l + m < size && unit(rng_) < 0.5) ++m;
        const int span = l + m;
        int lo = std::max(0, pos - span + 1), hi = std::min(pos, size - span);
        int start = lo + static_cast<int>(rng_() % static_cast<uint64_t>(hi - lo + 1));
        int keep = start + static_cast<int>(rng_() % static_cast<uint64_t>(l + 1));
        std::vector<int> kept;
        for (int i = start; i < start + span; ++i) {
          if (i >= keep && i < keep + m) {
            kept.push_back(r[i]);
          } else {
            s.absent.push_back(r[i]);
          }
        }
        r.erase(r.begin() + start, r.begin() + start + span);
        r.insert(r.begin() + start, kept.begin(), kept.end());
      }
      ruined[v] = 1;
      Measure(s, static_cast<size_t>(v));
      ++done;
    };
    visit(seed);
    for (int c : neighbours_[seed]) {
      if (done >= strings) break;
      visit(c);
    }
    s.penalty = 0;
    for (int j : s.absent) s.penalty += Penalty(j);
  }

  // Inserts the absent jobs one by one where they cost least. order: 0 random,
  // 1 demand (largest first), 2 far from the depot first, 3 close first; -1 picks one
  // with the paper's weights 4:4:2:1.
  void Recreate(State& s, int order) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    if (order < 0) {
      double u = unit(rng_) * 11;
      order = u < 4 ? 0 : u < 8 ? 1 : u < 10 ? 2 : 3;
    }
    auto& a = s.absent;
    const int depot = p_.vehicles.empty() ? 0 : p_.vehicles[0].end;
    switch (order) {
      case 0:
        std::shuffle(a.begin(), a.end(), rng_);
        break;
      case 1:
        std::stable_sort(a.begin(), a.end(),
                         [&](int x, int y) { return p_.jobs[x].demand > p_.jobs[y].demand; });
        break;
      case 2:
        std::stable_sort(a.begin(), a.end(), [&](int x, int y) {
          return p_.cost[depot][Node(x)] > p_.cost[depot][Node(y)];
        });
        break;
      default:
        std::stable_sort(a.begin(), a.end(), [&](int x, int y) {
          return p_.cost[depot][Node(x)] < p_.cost[depot][Node(y)];
        });
    }
    std::vector<int> left;
    std::vector<char> tried_empty(p_.vehicles.size(), 0);
    for (int j : a) {
      const int nj = Node(j);
      int64_t best = kInfinity;
      int best_v = -1, best_pos = 0;
      std::fill(tried_empty.begin(), tried_empty.end(), 0);
      for (size_t v = 0; v < s.routes.size(); ++v) {
        const auto& veh = p_.vehicles[v];
        if (s.load[v] + p_.jobs[j].demand > veh.capacity) continue;
        auto& r = s.routes[v];
        if (r.empty()) {
          int sig = signature_[v];
          if (tried_empty[sig]) continue;
          tried_empty[sig] = 1;
        }
        const int size = static_cast<int>(r.size());
        for (int pos = 0; pos <= size; ++pos) {
          if (unit(rng_) < kBlinkRate) continue;
          const int prev = pos == 0 ? veh.start : Node(r[pos - 1]);
          const int next = pos == size ? veh.end : Node(r[pos]);
          const int64_t delta = p_.cost[prev][nj] + p_.cost[nj][next] - p_.cost[prev][next];
          if (delta >= best) continue;
          if (veh.max_duration > 0) {
            // An empty route has no arc to replace.
            const int64_t d = s.duration[v] + p_.time[prev][nj] + p_.time[nj][next] -
                              (size == 0 ? 0 : p_.time[prev][next]) + p_.jobs[j].service;
            if (d > veh.max_duration) continue;
          }
          best = delta;
          best_v = static_cast<int>(v);
          best_pos = pos;
        }
      }
      // Serving it must cost less than leaving it out.
      if (best_v < 0 || best >= Penalty(j)) {
        left.push_back(j);
        continue;
      }
      auto& r = s.routes[best_v];
      r.insert(r.begin() + best_pos, j);
      Measure(s, static_cast<size_t>(best_v));
    }
    s.absent = std::move(left);
    s.penalty = 0;
    for (int j : s.absent) s.penalty += Penalty(j);
  }

  const VrpProblem& p_;
  const VrpOptions& o_;
  std::mt19937_64 rng_;
  std::vector<std::vector<int>> neighbours_;
  std::vector<int> signature_;
};

}  // namespace

VrpSolution SolveVrp(const VrpProblem& problem, const VrpOptions& options) {
  if (problem.jobs.empty() || problem.vehicles.empty()) {
    VrpSolution s;
    s.routes.assign(problem.vehicles.size(), {});
    for (int j = 0; j < static_cast<int>(problem.jobs.size()); ++j) {
      s.unassigned.push_back(j);
      s.cost += problem.jobs[j].penalty;
    }
    return s;
  }
  return Sisr(problem, options).Run();
}

std::string CheckVrpSolution(const VrpProblem& p, const VrpSolution& s) {
  if (s.routes.size() != p.vehicles.size()) return "one route per vehicle expected";
  std::vector<int> seen(p.jobs.size(), 0);
  int64_t distance = 0, penalty = 0;
  for (size_t v = 0; v < s.routes.size(); ++v) {
    const auto& veh = p.vehicles[v];
    const auto& r = s.routes[v];
    if (r.empty()) continue;
    int64_t load = 0, duration = 0;
    int prev = veh.start;
    for (int j : r) {
      if (j < 0 || j >= static_cast<int>(p.jobs.size())) return "unknown job";
      ++seen[j];
      load += p.jobs[j].demand;
      distance += p.cost[prev][p.jobs[j].node];
      duration += p.time[prev][p.jobs[j].node] + p.jobs[j].service;
      prev = p.jobs[j].node;
    }
    distance += p.cost[prev][veh.end];
    duration += p.time[prev][veh.end];
    if (load > veh.capacity) return "vehicle " + std::to_string(v) + " over capacity";
    if (veh.max_duration > 0 && duration > veh.max_duration) {
      return "vehicle " + std::to_string(v) + " over its duration";
    }
  }
  for (int j : s.unassigned) {
    if (j < 0 || j >= static_cast<int>(p.jobs.size())) return "unknown job";
    ++seen[j];
    penalty += p.jobs[j].penalty;
  }
  for (size_t j = 0; j < seen.size(); ++j) {
    if (seen[j] != 1)
      return "job " + std::to_string(j) + " appears " + std::to_string(seen[j]) + " times";
  }
  if (distance != s.distance) return "distance does not add up";
  if (s.unassigned.empty() && distance != s.cost) return "cost does not add up";
  return "";
}

}  // namespace cleanai
