// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ai/service.h"

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "core/crypto.h"
#include "core/log.h"
#include "storage/audit.h"

namespace cleanai {
namespace {

constexpr auto kLease = std::chrono::minutes(2);
constexpr int kMaxAttempts = 3;
constexpr auto kPoll = std::chrono::milliseconds(250);
constexpr auto kIdlePoll = std::chrono::milliseconds(1000);
constexpr auto kSweepEvery = std::chrono::seconds(30);
// How soon every instance follows a promotion or a new candidate.
constexpr auto kRefreshEvery = std::chrono::seconds(2);

const char* RaisedPriority(const std::string& p) {
  if (p == "low") return "medium";
  if (p == "medium") return "high";
  return nullptr;  // high and urgent stay
}

double Round(double v, double unit) { return std::round(v / unit) * unit; }

}  // namespace

PhotoAnalysis Summarise(std::vector<Detection> detections) {
  PhotoAnalysis a;
  for (const auto& d : detections) {
    if (!d.waste_type.empty() && d.confidence > a.confidence) {
      a.detected_type = d.waste_type;
      a.confidence = d.confidence;
    }
  }
  a.coverage = CoveredShare(detections);
  a.detections = std::move(detections);
  return a;
}

boost::json::value DetectionsJson(const std::vector<Detection>& detections) {
  boost::json::array arr;
  for (const auto& d : detections) {
    boost::json::object o{{"x", Round(d.x, 1e-4)}, {"y", Round(d.y, 1e-4)},
                          {"w", Round(d.w, 1e-4)}, {"h", Round(d.h, 1e-4)},
                          {"class", d.class_name}, {"confidence", Round(d.confidence, 1e-4)}};
    o["wasteType"] =
        d.waste_type.empty() ? boost::json::value(nullptr) : boost::json::value(d.waste_type);
    arr.push_back(std::move(o));
  }
  return arr;
}

AiService::AiService(Database& db, const Clock& clock, const Config& config,
                     const MediaStore& media)
    : db_(db), clock_(clock), config_(config), media_(media) {}

AiService::~AiService() { Stop(); }

Result<std::shared_ptr<LoadedModel>> AiService::LoadModel(const std::string& path, std::string name,
                                                          std::optional<ModelRecord> record,
                                                          size_t networks) const {
  auto files = ReadModelFiles(path, waste_types_);
  if (!files) return Err(files.error());
  auto m = std::make_shared<LoadedModel>();
  m->name = std::move(name);
  m->record = std::move(record);
  const DetectorOptions options{config_.ai_confidence, config_.ai_iou};
  for (size_t i = 0; i < networks; ++i) {
    auto d = Detector::Load(path, *files, options);
    if (!d) return Err(d.error());
    m->detectors.push_back(std::move(*d));
  }
  return m;
}

void AiService::Load(const std::vector<std::string>& waste_types) {
  waste_types_ = waste_types;
  if (!config_.ai_model.empty()) {
    const size_t networks = static_cast<size_t>(std::max(1, config_.ai_threads));
    auto m =
        LoadModel(config_.ai_model, std::filesystem::path(config_.ai_model).filename().string(),
                  std::nullopt, networks);
    std::lock_guard<std::mutex> lock(models_mu_);
    if (!m) {
      disabled_reason_ = m.error().message();
      LogWarn("AI disabled", {{"reason", disabled_reason_}});
    } else {
      configured_ = live_ = *m;
      disabled_reason_.clear();
      LogInfo("AI model loaded", {{"model", live_->name},
                                  {"classes", static_cast<int64_t>(live_->files().names.size())},
                                  {"workers", config_.ai_threads}});
    }
  }
  Refresh();
}

void AiService::Refresh() {
  if (!registry_) return;
  std::lock_guard<std::mutex> serial(refresh_mu_);
  auto want = registry_->WhatRuns();
  if (!want) {
    LogWarn("AI model registry unreadable", {{"error", want.error().message()}});
    return;
  }
  std::shared_ptr<LoadedModel> running_live, running_shadow;
  {
    std::lock_guard<std::mutex> lock(models_mu_);
    running_live = live_;
    running_shadow = shadow_;
  }
  auto id_of = [](const std::shared_ptr<LoadedModel>& m) {
    return m && m->record ? m->record->id : std::string();
  };
  // The model `id` with `networks` networks; null when it does not load — logged once per
  // reason, and what runs stays. One that cannot run is not tried again; one whose file
  // could not be fetched (the bucket down, the disk full) is tried at the next refresh.
  auto load = [&](const std::string& id, size_t networks) -> std::shared_ptr<LoadedModel> {
    auto seen = failed_.find(id);
    if (seen != failed_.end() && seen->second.empty()) return nullptr;
    auto record = registry_->Get(id);
    Result<std::shared_ptr<LoadedModel>> m = Err(Status::NotFound("the model is gone"));
    if (!record) {
      m = Err(record.error());
    } else if (*record) {
      auto path = registry_->LocalPath(**record);
      m = path ? LoadModel(*path, (*record)->name, **record, networks)
               : Result<std::shared_ptr<LoadedModel>>(Err(path.error()));
    }
    if (m) {
      failed_.erase(id);
      return *m;
    }
    const bool for_good = m.error().code() == StatusCode::kInvalidArgument;
    if (seen == failed_.end() || seen->second != m.error().message()) {
      LogWarn("AI model not loaded; what runs stays",
              {{"model", id}, {"error", m.error().message()}, {"retry", !for_good}});
    }
    failed_[id] = for_good ? std::string() : m.error().message();
    return nullptr;
  };
  // No live version in the registry: ai.model runs.
  const bool live_changed =
      want->live.empty() ? running_live != configured_ : want->live != id_of(running_live);
  if (live_changed) {
    auto next = want->live.empty()
                    ? configured_
                    : load(want->live, static_cast<size_t>(std::max(1, config_.ai_threads)));
    if (next || want->live.empty()) {
      std::lock_guard<std::mutex> lock(models_mu_);
      live_ = next;
      if (live_) disabled_reason_.clear();
      LogInfo("AI model now live", {{"model", live_ ? live_->name : std::string("none")}});
    }
  }
  if (want->shadow != id_of(running_shadow)) {
    auto next = want->shadow.empty() ? nullptr : load(want->shadow, 1);
    if (next || want->shadow.empty()) {
      std::lock_guard<std::mutex> lock(models_mu_);
      shadow_ = next;
      if (shadow_) LogInfo("AI candidate in shadow", {{"model", shadow_->name}});
    }
  }
}

std::shared_ptr<const LoadedModel> AiService::Live() const {
  std::lock_guard<std::mutex> lock(models_mu_);
  return live_;
}

std::shared_ptr<const LoadedModel> AiService::Shadow() const {
  std::lock_guard<std::mutex> lock(models_mu_);
  return shadow_;
}

std::string AiService::disabled_reason() const {
  std::lock_guard<std::mutex> lock(models_mu_);
  return live_ ? std::string() : disabled_reason_;
}

std::string AiService::model_name() const {
  auto m = Live();
  return m ? m->name : std::string();
}

Status AiService::Enqueue(Connection& c, const std::string& report_id, const std::string& image_key,
                          const std::string& photo) const {
  if (!enabled()) return Status::Ok();
  const std::string now = FormatTime(clock_.Now());
  auto r = c.Execute(
      "INSERT INTO ai_jobs (id, report_id, photo, image_key, status, attempts, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $5)",
      {NewUuidV7(), report_id, photo, image_key, now});
  return r ? Status::Ok() : r.error();
}

Result<PhotoAnalysis> AiService::Analyze(Detector& d, const std::string& bytes) {
  const auto start = std::chrono::steady_clock::now();
  auto found = d.DetectPhoto(bytes);
  if (!found) {
    failures_.fetch_add(1, std::memory_order_relaxed);
    return Err(found.error());
  }
  PhotoAnalysis a = Summarise(std::move(*found));
  a.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const double seconds = a.latency_ms / 1000.0;
  for (size_t i = 0; i < std::size(kLatencyBounds); ++i) {
    if (seconds <= kLatencyBounds[i]) latency_buckets_[i].fetch_add(1, std::memory_order_relaxed);
  }
  latency_count_.fetch_add(1, std::memory_order_relaxed);
  latency_sum_us_.fetch_add(static_cast<uint64_t>(a.latency_ms * 1000.0),
                            std::memory_order_relaxed);
  return a;
}

std::string AiService::MetricsText() const {
  std::string out =
      "# HELP cleanai_ai_inference_seconds Time to decode and analyse one photo on this "
      "instance.\n# TYPE cleanai_ai_inference_seconds histogram\n";
  char line[160];
  for (size_t i = 0; i < std::size(kLatencyBounds); ++i) {
    std::snprintf(line, sizeof line, "cleanai_ai_inference_seconds_bucket{le=\"%g\"} %llu\n",
                  kLatencyBounds[i], static_cast<unsigned long long>(latency_buckets_[i].load()));
    out += line;
  }
  const auto count = static_cast<unsigned long long>(latency_count_.load());
  std::snprintf(line, sizeof line,
                "cleanai_ai_inference_seconds_bucket{le=\"+Inf\"} %llu\n"
                "cleanai_ai_inference_seconds_sum %.6f\ncleanai_ai_inference_seconds_count %llu\n",
                count, static_cast<double>(latency_sum_us_.load()) / 1e6, count);
  out += line;
  out +=
      "# HELP cleanai_ai_failures_total Photos this instance could not analyse.\n"
      "# TYPE cleanai_ai_failures_total counter\ncleanai_ai_failures_total " +
      std::to_string(failures_.load()) + "\n";
  return out;
}

Result<PhotoAnalysis> AiService::AnalyzeNow(std::string bytes) {
  if (!enabled()) return Err(Status::Unavailable("AI analysis is off: " + disabled_reason()));
  if (config_.ai_threads == 0)
    return Err(Status::Unavailable("AI analysis has no workers (ai.threads = 0)"));
  auto task = std::make_unique<Task>();
  task->bytes = std::move(bytes);
  auto answer = task->done.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    int uploads = 0;
    for (const auto& t : queue_) uploads += t->job_id.empty();
    if (uploads >= config_.ai_queue || stopping_ || threads_.empty()) {
      return Err(Status::RateLimited("the AI is busy; try again shortly", 2));
    }
    // Someone is waiting for this one: ahead of background jobs.
    queue_.push_front(std::move(task));
  }
  wake_workers_.notify_one();
  if (answer.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    return Err(Status::Unavailable("the analysis took too long"));
  }
  return answer.get();
}

Result<int64_t> AiService::Backlog() const {
  auto r = db_.Execute("SELECT COUNT(*) AS n FROM ai_jobs WHERE status IN ('queued', 'running')");
  if (!r) return Err(r.error());
  return r->rows.at(0).Int("n");
}

Status AiService::GiveUpAbandoned() {
  const std::string now = FormatTime(clock_.Now());
  auto r = db_.Execute(
      "UPDATE ai_jobs SET status = 'failed', error = COALESCE(error, 'stopped during analysis'), "
      "lease_until = NULL, updated_at = $1 WHERE status = 'running' AND lease_until < $1 AND "
      "attempts >= $2",
      {now, int64_t{kMaxAttempts}});
  return r ? Status::Ok() : r.error();
}

Result<int> AiService::ClaimInto(int room) {
  const std::string now = FormatTime(clock_.Now());
  // Due: queued, or running on a lease that ran out with attempts left (the process
  // doing it died).
  constexpr const char* kDue =
      "(status = 'queued' OR (status = 'running' AND lease_until < $1 AND attempts < $2))";
  auto due = db_.Execute(
      std::string("SELECT id FROM ai_jobs WHERE ") + kDue + " ORDER BY created_at LIMIT $3",
      {now, int64_t{kMaxAttempts}, int64_t{room}});
  if (!due) return Err(due.error());
  int claimed = 0;
  for (const auto& row : due->rows) {
    const std::string id = row.Text("id");
    auto claim = db_.Execute(
        std::string(
            "UPDATE ai_jobs SET status = 'running', lease_until = $3, attempts = attempts + 1, "
            "updated_at = $1 WHERE id = $4 AND ") +
            kDue,
        {now, int64_t{kMaxAttempts}, FormatTime(clock_.Now() + kLease), id});
    if (!claim) return Err(claim.error());
    if (claim->affected_rows != 1) continue;  // another process took it
    auto task = std::make_unique<Task>();
    task->job_id = id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(task));
    }
    wake_workers_.notify_one();
    ++claimed;
  }
  return claimed;
}

void AiService::Finish(const LoadedModel& m, Detector& d, const std::string& job_id) {
  auto job = db_.Execute("SELECT report_id, photo, image_key, attempts FROM ai_jobs WHERE id = $1",
                         {job_id});
  if (!job || job->rows.empty()) return;
  const std::string report_id = job->rows[0].Text("report_id");
  const std::string photo = job->rows[0].Text("photo");
  const std::string image_key = job->rows[0].Text("image_key");
  auto bytes = media_.Read(image_key);
  auto analysis = bytes ? Analyze(d, *bytes)
                        : Result<PhotoAnalysis>(Err(Status::NotFound("the photo file is missing")));
  const std::string now = FormatTime(clock_.Now());
  if (!analysis) {
    const bool last = job->rows[0].Int("attempts") >= kMaxAttempts;
    LogWarn("AI job failed", {{"job", job_id}, {"error", analysis.error().message()}});
    (void)db_.Execute(
        "UPDATE ai_jobs SET status = $1, error = $2, lease_until = NULL, updated_at = $3 WHERE id "
        "= $4",
        {std::string(last ? "failed" : "queued"), analysis.error().message(), now, job_id});
    return;
  }
  auto done = db_.InTransaction<bool>([&](Connection& c) -> Result<bool> {
    const std::string detections = boost::json::serialize(DetectionsJson(analysis->detections));
    Value type = analysis->detected_type ? Value(*analysis->detected_type) : Value(nullptr);
    Value confidence = analysis->detected_type ? Value(analysis->confidence) : Value(nullptr);
    auto cur =
        c.Execute("SELECT priority, status, waste_type FROM reports WHERE id = $1", {report_id});
    if (!cur) return Err(cur.error());
    if (cur->rows.empty()) return true;  // deleted meanwhile
    // Unique per report and photo: a job run twice (after a crash) leaves one result. The
    // citizen's type is kept as it was then, for the agreement figures.
    auto res = c.Execute(
        "INSERT INTO ai_results (id, report_id, photo, image_key, model, detections, "
        "detected_type, confidence, citizen_type, coverage, latency_ms, created_at) VALUES ($1, "
        "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (report_id, photo) DO UPDATE "
        "SET "
        "image_key = excluded.image_key, model = excluded.model, detections = excluded.detections, "
        "detected_type = excluded.detected_type, confidence = excluded.confidence, "
        "coverage = excluded.coverage, latency_ms = excluded.latency_ms, created_at = "
        "excluded.created_at",
        {NewUuidV7(), report_id, photo, image_key, m.name, detections, type, confidence,
         cur->rows[0].Text("waste_type"), analysis->coverage, analysis->latency_ms, now});
    if (!res) return Err(res.error());
    if (photo == "report") {
      auto upd = c.Execute(
          "UPDATE reports SET ai_detected_type = $1, ai_confidence = $2 WHERE id = $3",
          {type,
           analysis->detected_type ? Value(Round(analysis->confidence, 0.01)) : Value(nullptr),
           report_id});
      if (!upd) return Err(upd.error());
      // A heap that fills much of the photo is a bigger job: one step more urgent.
      const std::string priority = cur->rows[0].Text("priority");
      const char* raised = RaisedPriority(priority);
      const std::string status = cur->rows[0].Text("status");
      if (raised && analysis->coverage >= config_.ai_large_coverage &&
          (status == "submitted" || status == "acknowledged")) {
        auto up = c.Execute("UPDATE reports SET priority = $1 WHERE id = $2",
                            {std::string(raised), report_id});
        if (!up) return Err(up.error());
        boost::json::object details{
            {"from", priority}, {"to", raised}, {"coverage", Round(analysis->coverage, 1e-3)}};
        CLEANAI_RETURN_IF_ERROR(
            WriteAudit(c, clock_,
                       {report_id, std::nullopt, "report.ai_priority_raised", std::nullopt,
                        std::nullopt, boost::json::serialize(details), "", "cleanai-ai"}));
      }
    }
    auto fin = c.Execute(
        "UPDATE ai_jobs SET status = 'done', lease_until = NULL, error = NULL, updated_at = $1 "
        "WHERE id = $2",
        {now, job_id});
    if (!fin) return Err(fin.error());
    if (published_) CLEANAI_RETURN_IF_ERROR(published_(c, report_id));
    return true;
  });
  if (!done) {
    LogWarn("AI result not saved", {{"job", job_id}, {"error", done.error().message()}});
    return;
  }
  RunShadow(report_id, photo, *bytes);
}

void AiService::RunShadow(const std::string& report_id, const std::string& photo,
                          const std::string& bytes) {
  auto s = Shadow();
  if (!s) return;
  Result<std::vector<Detection>> found = [&] {
    std::lock_guard<std::mutex> lock(s->shadow_mu);
    return s->detectors[0]->DetectPhoto(bytes);
  }();
  if (!found) return;  // the live model read this photo; the candidate's failure is its own
  PhotoAnalysis a = Summarise(std::move(*found));
  auto r = db_.Execute(
      "INSERT INTO ai_shadow_results (model_id, report_id, photo, detections, detected_type, "
      "confidence, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
      {s->record->id, report_id, photo, boost::json::serialize(DetectionsJson(a.detections)),
       a.detected_type ? Value(*a.detected_type) : Value(nullptr),
       a.detected_type ? Value(a.confidence) : Value(nullptr), FormatTime(clock_.Now())});
  if (!r) LogWarn("AI shadow result not saved", {{"error", r.error().message()}});
}

void AiService::Work(size_t worker) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_workers_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) break;
    std::unique_ptr<Task> task = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    // The model of this moment: a promotion swaps it between two photos.
    auto m = Live();
    if (!m) {
      if (task->job_id.empty()) {
        task->done.set_value(Err(Status::Unavailable("AI analysis is off")));
      }
    } else if (task->job_id.empty()) {
      task->done.set_value(Analyze(*m->detectors[worker], task->bytes));
    } else {
      Finish(*m, *m->detectors[worker], task->job_id);
    }
    lock.lock();
    --busy_;
    wake_feeder_.notify_one();
  }
}

void AiService::Feed() {
  // Poll quickly while there is work, more slowly when the table was empty; sweep
  // abandoned jobs now and then (leases last minutes).
  auto poll = kPoll;
  auto last_sweep = std::chrono::steady_clock::time_point{};
  auto last_refresh = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (std::chrono::steady_clock::now() - last_refresh > kRefreshEvery) {
      lock.unlock();
      Refresh();
      last_refresh = std::chrono::steady_clock::now();
      lock.lock();
    }
    int room = config_.ai_queue - static_cast<int>(queue_.size()) - busy_;
    if (room > 0) {
      lock.unlock();
      if (std::chrono::steady_clock::now() - last_sweep > kSweepEvery) {
        if (Status st = GiveUpAbandoned(); !st.ok())
          LogWarn("AI sweep failed", {{"error", st.message()}});
        last_sweep = std::chrono::steady_clock::now();
      }
      auto claimed = ClaimInto(room);
      if (!claimed) LogWarn("AI feeder failed", {{"error", claimed.error().message()}});
      poll = claimed && *claimed > 0 ? kPoll : std::min(poll * 2, kIdlePoll);
      lock.lock();
    }
    wake_feeder_.wait_for(lock, poll, [this] { return stopping_; });
  }
}

void AiService::Start() {
  // With a registry the workers wait even while the AI is off: a promotion turns it on.
  if (config_.ai_threads == 0 || (!enabled() && !registry_)) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (!threads_.empty()) return;
  stopping_ = false;
  for (size_t i = 0; i < static_cast<size_t>(config_.ai_threads); ++i) {
    threads_.emplace_back([this, i] { Work(i); });
  }
  threads_.emplace_back([this] { Feed(); });
}

void AiService::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_workers_.notify_all();
  wake_feeder_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  // What was claimed but not started goes back to the table now, not after its lease;
  // uploads still waiting are told.
  std::deque<std::unique_ptr<Task>> left;
  {
    std::lock_guard<std::mutex> lock(mu_);
    left.swap(queue_);
  }
  for (auto& t : left) {
    if (t->job_id.empty()) {
      t->done.set_value(Err(Status::Unavailable("the server is stopping")));
      continue;
    }
    (void)db_.Execute(
        "UPDATE ai_jobs SET status = 'queued', lease_until = NULL, attempts = attempts - 1 "
        "WHERE id = $1 AND status = 'running'",
        {t->job_id});
  }
}

}  // namespace cleanai
