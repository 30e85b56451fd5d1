// SPDX-License-Identifier: AGPL-3.0-or-later
// Alerts for the admins: stored rows an admin acknowledges, pushed live (SSE event
// "alert.raised"). Rules run two ways:
//  - on changes: a background loop reads the live event log every second from a cursor kept
//    in app_state (so nothing is missed across restarts): a new or edited report may be
//    hazardous or medical, or complete a surge; a vehicle update may cross the load limit;
//  - on a schedule (alerts.interval_seconds, or POST /api/alerts/evaluate): reports waiting
//    too long for a truck, vehicles at the load limit, busy vehicles without recent GPS,
//    areas at high or severe flood risk.
// One open alert per subject (a unique partial index); an acknowledged subject may alert
// again after alerts.repeat_after_seconds.
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/periodic.h"
#include "events/events.h"
#include "flood/flood.h"
#include "http/router.h"
#include "reports/reports.h"
#include "storage/database.h"
#include "storage/leadership.h"

namespace cleanai {

struct Alert {
  std::string id, rule, severity, subject_key, message, details_json, created_at;
  std::optional<std::string> report_id, vehicle_id, acknowledged_at, acknowledged_by;
  std::optional<double> lat, lng;
};

struct AlertDraft {
  std::string rule, severity, subject_key, message;
  std::optional<std::string> report_id, vehicle_id;
  std::optional<double> lat, lng;
  boost::json::object details;
};

class AlertService {
 public:
  AlertService(Database& db, const Clock& clock, const Config& config, const EventLog& events,
               ReportService& reports, FloodService& flood)
      : db_(db),
        clock_(clock),
        config_(config),
        events_(events),
        reports_(reports),
        flood_(flood) {}
  ~AlertService() { Stop(); }

  // Stores the alert unless its subject already has an open one (or was acknowledged
  // within the repeat window). Returns whether a new alert was stored.
  Result<bool> Raise(const AlertDraft& draft);

  // Newest first. state: open, acknowledged or all.
  Result<std::vector<Alert>> List(const std::string& state, int limit,
                                  const std::optional<std::string>& before_id);
  // NotFound for an unknown id; Conflict when someone acknowledged it already.
  Result<Alert> Acknowledge(const Principal& admin, const std::string& id,
                            const ClientInfo& client);

  // The scheduled rules now; returns how many alerts were raised.
  Result<int> EvaluateScheduled();
  // The change-driven rules for the events since the stored cursor.
  Result<int> EvaluateEvents();

  // Runs both in a background thread (serve only), on the instance that holds `leader`:
  // the event rules each second and at once after Wake(), the scheduled ones on their
  // interval.
  void Start(const Leadership& leader);
  void Stop();
  void Wake() { loop_.Wake(); }
  // When the rule loop last finished a round without error (Unix seconds; 0: never on
  // this instance — only the leader runs it).
  int64_t last_round_unix() const { return last_round_unix_; }

 private:
  Result<int> CheckReport(const std::string& report_id);
  Result<int> CheckVehicles(const std::optional<std::string>& only_id);
  Result<int> CheckOverdueDispatches();
  Result<int> CheckFlood();
  Result<Alert> Load(Connection& c, const std::string& id);

  Database& db_;
  const Clock& clock_;
  const Config& config_;
  const EventLog& events_;
  ReportService& reports_;
  FloodService& flood_;

  std::atomic<int64_t> last_round_unix_{0};
  PeriodicTask loop_;  // last: stopped before the members it uses go
};

boost::json::object AlertJson(const Alert& a);

// GET /api/alerts, POST /api/alerts/:id/acknowledge, POST /api/alerts/evaluate (admin).
void RegisterAlertRoutes(Router& router, AlertService& alerts);

}  // namespace cleanai
