// SPDX-License-Identifier: AGPL-3.0-or-later
// The AI service: every report photo (and after photo) is analysed in the background.
//
// Work is a row in ai_jobs, queued in the same transaction as the photo it is about. A
// feeder claims due rows with a lease only while the in-memory queue (ai.queue) has room,
// so a burst of reports waits in the table, not in memory; ai.threads workers, each with
// its own network, run them. A job that was running when the process died is claimed
// again when its lease runs out; results are unique per report and photo, so it lands
// once. Without a model (ai.model empty, or a model that cannot be loaded) the service is
// disabled, says why, queues nothing, and reports carry no AI fields.
//
// The model registry (models.h) can override ai.model: the feeder looks at it every few
// seconds, and when an admin promotes a version (or rolls back) every instance loads the
// new networks and swaps them in between two photos, without a restart; a model that fails
// to load leaves the one running untouched. The newest candidate runs in shadow: after the
// live model's result is written, the candidate looks at the same photo and its result goes
// to ai_shadow_results, where only the registry's figures read it.
#pragma once

#include <array>
#include <atomic>
#include <boost/json/value.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ai/detector.h"
#include "ai/models.h"
#include "core/clock.h"
#include "core/config.h"
#include "media/media.h"
#include "storage/database.h"

namespace cleanai {

struct PhotoAnalysis {
  std::vector<Detection> detections;
  std::optional<std::string> detected_type;  // the waste type the AI proposes, if any
  double confidence = 0;                     // of that proposal
  double coverage = 0;                       // share of the photo under waste
  double latency_ms = 0;                     // decode + inference + decoding
};

// The proposal from detections: the mapped waste type with the most confident box.
PhotoAnalysis Summarise(std::vector<Detection> detections);
boost::json::value DetectionsJson(const std::vector<Detection>& detections);

// One model's networks: one Detector per worker (a Detector is not thread-safe).
struct LoadedModel {
  std::string name;                   // the file name, or the registry's name
  std::optional<ModelRecord> record;  // from the registry; none for ai.model
  std::vector<std::unique_ptr<Detector>> detectors;
  mutable std::mutex shadow_mu;  // a shadow model is shared by the workers, one photo at a time
  const ModelFiles& files() const { return detectors[0]->files(); }
};

class AiService {
 public:
  // Called after a result is written, in its transaction: the app publishes the report's
  // change to its watchers.
  using Published = std::function<Status(Connection&, const std::string& report_id)>;
  AiService(Database& db, const Clock& clock, const Config& config, const MediaStore& media);
  ~AiService();

  // Loads the model (per worker) when ai.model is set; `serve` calls it before taking
  // requests. Never fails: a model that cannot be loaded leaves the service disabled with
  // the reason.
  void Load(const std::vector<std::string>& waste_types);
  bool enabled() const { return Live() != nullptr; }
  // Why the service is off ("no model configured (ai.model)", or the loader's error).
  std::string disabled_reason() const;
  std::string model_name() const;
  // The model that analyses photos now (null when off); the candidate in shadow.
  std::shared_ptr<const LoadedModel> Live() const;
  std::shared_ptr<const LoadedModel> Shadow() const;
  void SetPublished(Published p) { published_ = std::move(p); }
  // Follow the registry's live model and candidate (before Load).
  void SetRegistry(const ModelRegistry* registry) { registry_ = registry; }
  // Loads what the registry says now, if it changed; a model that fails to load is logged
  // and the running one kept. The feeder calls it every few seconds.
  void Refresh();

  // Queues the analysis of a stored photo in `c`'s transaction; nothing when disabled.
  Status Enqueue(Connection& c, const std::string& report_id, const std::string& image_key,
                 const std::string& photo) const;

  // Photos waiting for analysis or being analysed, on every instance (monitoring).
  Result<int64_t> Backlog() const;

  // Analyses made by this instance, as Prometheus text: cleanai_ai_inference_seconds (a
  // histogram of decode + inference time) and cleanai_ai_failures_total.
  std::string MetricsText() const;

  // Runs one upload now on the pool. Unavailable when disabled or the queue is full.
  Result<PhotoAnalysis> AnalyzeNow(std::string bytes);

  // Workers and the feeder (under `serve`); Stop answers waiting uploads and leaves
  // claimed jobs to their lease.
  void Start();
  void Stop();

 private:
  struct Task {
    std::string job_id;                        // empty: an upload
    std::string bytes;                         // an upload's photo
    std::promise<Result<PhotoAnalysis>> done;  // an upload's answer
  };
  void Feed();
  void Work(size_t worker);
  Result<int> ClaimInto(int room);
  // Jobs whose lease ran out after their last attempt are given up.
  Status GiveUpAbandoned();
  Result<PhotoAnalysis> Analyze(Detector& d, const std::string& bytes);
  void Finish(const LoadedModel& m, Detector& d, const std::string& job_id);
  void RunShadow(const std::string& report_id, const std::string& photo, const std::string& bytes);
  Result<std::shared_ptr<LoadedModel>> LoadModel(const std::string& path, std::string name,
                                                 std::optional<ModelRecord> record,
                                                 size_t networks) const;

  Database& db_;
  const Clock& clock_;
  const Config& config_;
  const MediaStore& media_;
  Published published_;
  const ModelRegistry* registry_ = nullptr;
  std::vector<std::string> waste_types_;

  mutable std::mutex models_mu_;             // guards the four below
  std::shared_ptr<LoadedModel> configured_;  // ai.model, when it loaded
  std::shared_ptr<LoadedModel> live_;        // what runs: the registry's live one, else ai.model
  std::shared_ptr<LoadedModel> shadow_;
  std::string disabled_reason_ = "no model configured (ai.model)";
  std::mutex refresh_mu_;  // one Refresh at a time (the feeder, or a promotion)
  // Registry models that did not load, by id: "" for one that cannot run (never tried
  // again), else the last error of one to try again (logged when it changes).
  std::map<std::string, std::string> failed_;

  // Inference time histogram (seconds): bucket i counts analyses up to kLatencyBounds[i].
  static constexpr double kLatencyBounds[] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  std::array<std::atomic<uint64_t>, std::size(kLatencyBounds)> latency_buckets_{};
  std::atomic<uint64_t> latency_count_{0}, latency_sum_us_{0}, failures_{0};

  std::mutex mu_;
  std::condition_variable wake_workers_, wake_feeder_;
  std::deque<std::unique_ptr<Task>> queue_;
  int busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cleanai
