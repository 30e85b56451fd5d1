// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ai/models.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "ai/detector.h"
#include "core/crypto.h"
#include "storage/audit.h"

namespace cleanai {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxTextBytes = 256 * 1024;  // names, mapping, card
constexpr const char* kColumns =
    "SELECT id, version, name, sha256, input_size, names, mapping, card, status, created_at, "
    "promoted_at FROM ai_models ";

ModelRecord FromRow(const Row& row) {
  ModelRecord m;
  m.id = row.Text("id");
  m.version = row.Int("version");
  m.name = row.Text("name");
  m.sha256 = row.Text("sha256");
  m.input_size = static_cast<int>(row.Int("input_size"));
  m.names = row.Text("names");
  m.mapping = row.Text("mapping");
  m.card = row.Text("card");
  m.status = row.Text("status");
  m.created_at = row.Text("created_at");
  m.promoted_at = row.OptText("promoted_at");
  return m;
}

Status WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Status::InsufficientStorage("cannot write " + path.string());
  return Status::Ok();
}

// The card's "name", else "version N".
std::string NameFrom(const boost::json::object& card, int64_t version) {
  if (const auto* n = card.if_contains("name"); n && n->is_string() && !n->as_string().empty()) {
    return std::string(n->as_string()).substr(0, 200);
  }
  return "version " + std::to_string(version);
}

}  // namespace

ModelRegistry::ModelRegistry(Database& db, const Clock& clock, const MediaStore& media,
                             std::string cache_dir)
    : db_(db), clock_(clock), media_(media), cache_dir_(std::move(cache_dir)) {}

Status ModelRegistry::WriteFiles(const std::string& dir, std::string_view onnx,
                                 const ModelRecord& m) const {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::InsufficientStorage("cannot create " + dir + ": " + ec.message());
  const fs::path base = fs::path(dir) / "model";
  CLEANAI_RETURN_STATUS_IF_ERROR(WriteFile(base.string() + ".onnx", onnx));
  CLEANAI_RETURN_STATUS_IF_ERROR(WriteFile(base.string() + ".names", m.names));
  CLEANAI_RETURN_STATUS_IF_ERROR(WriteFile(base.string() + ".mapping", m.mapping));
  return WriteFile(base.string() + ".card.json", m.card);
}

Result<ModelRecord> ModelRegistry::Register(const Principal& by, const ModelUpload& upload,
                                            const std::vector<std::string>& waste_types,
                                            const std::string& ip) {
  std::vector<FieldError> errors;
  if (upload.onnx.empty()) errors.push_back({"model", "is required (the .onnx file)"});
  if (upload.names.empty() || upload.names.size() > kMaxTextBytes)
    errors.push_back({"names", "is required, at most 256 KiB"});
  if (upload.mapping.empty() || upload.mapping.size() > kMaxTextBytes)
    errors.push_back({"mapping", "is required, at most 256 KiB"});
  if (upload.card.size() > kMaxTextBytes) errors.push_back({"card", "must be at most 256 KiB"});
  boost::system::error_code jec;
  const boost::json::value card = boost::json::parse(upload.card.empty() ? "{}" : upload.card, jec);
  if (jec || !card.is_object()) errors.push_back({"card", "must be a JSON object"});
  if (!errors.empty()) return Err(Status::InvalidArgument("invalid model", errors));

  ModelRecord m;
  m.id = NewUuidV7();
  m.sha256 = Sha256Hex(upload.onnx);
  m.names = upload.names;
  m.mapping = upload.mapping;
  m.card = boost::json::serialize(card);
  m.status = "candidate";
  m.created_at = FormatTime(clock_.Now());
  auto dup = db_.Execute("SELECT version FROM ai_models WHERE sha256 = $1", {m.sha256});
  if (!dup) return Err(dup.error());
  if (!dup->rows.empty()) {
    return Err(Status::Conflict("this model is registered already, as version " +
                                std::to_string(dup->rows[0].Int("version"))));
  }

  // Proven the way the server will run it, from files in a folder of its own.
  const std::string trial = cache_dir_ + "/.trial-" + m.id;
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{trial};
  CLEANAI_RETURN_IF_ERROR(WriteFiles(trial, upload.onnx, m));
  const std::string path = trial + "/model.onnx";
  // The messages name the files; the trial folder is this server's business.
  auto told = [&trial](std::string message) {
    for (size_t at; (at = message.find(trial + "/")) != std::string::npos;) {
      message.erase(at, trial.size() + 1);
    }
    return message;
  };
  auto files = ReadModelFiles(path, waste_types);
  if (!files) {
    return Err(Status::InvalidArgument(told(files.error().message()),
                                       {{"model", "its files do not parse"}}));
  }
  m.input_size = files->input_size;
  auto net = Detector::Load(path, *files, {});
  if (!net) {
    return Err(Status::InvalidArgument(told(net.error().message()),
                                       {{"model", "the network does not run"}}));
  }

  // The bytes first: a row never names a file that is not stored.
  auto put = media_.objects().Put(m.sha256, std::string(upload.onnx));
  if (!put) return Err(put.error());
  auto saved = db_.InTransaction<ModelRecord>([&](Connection& c) -> Result<ModelRecord> {
    auto next = c.Execute("SELECT COALESCE(MAX(version), 0) + 1 AS v FROM ai_models", {});
    if (!next) return Err(next.error());
    m.version = next->rows[0].Int("v");
    m.name = NameFrom(card.as_object(), m.version);
    auto ins = c.Execute(
        "INSERT INTO ai_models (id, version, name, sha256, input_size, names, mapping, card, "
        "status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'candidate', "
        "$9, $10)",
        {m.id, m.version, m.name, m.sha256, int64_t{m.input_size}, m.names, m.mapping, m.card,
         by.user_id, m.created_at});
    if (!ins) return Err(ins.error());
    boost::json::object details{{"version", m.version}, {"name", m.name}, {"sha256", m.sha256}};
    CLEANAI_RETURN_IF_ERROR(
        WriteAudit(c, clock_,
                   {std::nullopt, by.user_id, "ai.model_registered", std::nullopt,
                    std::string("candidate"), boost::json::serialize(details), ip, ""}));
    return m;
  });
  if (!saved) return Err(saved.error());
  // This instance has the files already.
  std::error_code ec;
  const std::string dir = cache_dir_ + "/" + m.sha256;
  if (!fs::exists(dir, ec)) fs::rename(trial, dir, ec);
  return saved;
}

Result<std::vector<ModelRecord>> ModelRegistry::List() const {
  auto r = db_.Execute(std::string(kColumns) + "ORDER BY version DESC LIMIT 200");
  if (!r) return Err(r.error());
  std::vector<ModelRecord> out;
  for (const Row& row : r->rows) out.push_back(FromRow(row));
  return out;
}

Result<bool> ModelRegistry::Holds(const std::string& key) const {
  auto r = db_.Execute("SELECT 1 AS one FROM ai_models WHERE sha256 = $1", {key});
  if (!r) return Err(r.error());
  return !r->rows.empty();
}

Result<std::map<std::string, ShadowFigures>> ModelRegistry::Shadows() const {
  auto r = db_.Execute(
      "SELECT s.model_id AS id, COUNT(*) AS photos, "
      "SUM(CASE WHEN l.report_id IS NULL THEN 0 ELSE 1 END) AS labelled, "
      "SUM(CASE WHEN l.waste_type = s.detected_type THEN 1 ELSE 0 END) AS agree, "
      "SUM(CASE WHEN l.waste_type = r.detected_type THEN 1 ELSE 0 END) AS live_agree "
      "FROM ai_shadow_results s "
      "LEFT JOIN ai_labels l ON l.report_id = s.report_id AND s.photo = 'report' "
      "LEFT JOIN ai_results r ON r.report_id = s.report_id AND r.photo = s.photo "
      "GROUP BY s.model_id");
  if (!r) return Err(r.error());
  std::map<std::string, ShadowFigures> out;
  for (const Row& row : r->rows) {
    out[row.Text("id")] = {row.Int("photos"), row.Int("labelled"), row.Int("agree"),
                           row.Int("live_agree")};
  }
  return out;
}

Result<ModelRegistry::Running> ModelRegistry::WhatRuns() const {
  auto r = db_.Execute(
      "SELECT id, status FROM ai_models WHERE status IN ('live', 'candidate') "
      "ORDER BY version DESC");
  if (!r) return Err(r.error());
  Running out;
  // Newest first: a candidate seen before the live model is newer than it.
  for (const Row& row : r->rows) {
    if (row.Text("status") == "live") {
      out.live = row.Text("id");
      break;
    }
    if (out.shadow.empty()) out.shadow = row.Text("id");
  }
  return out;
}

Result<std::optional<ModelRecord>> ModelRegistry::Get(const std::string& id) const {
  auto r = db_.Execute(std::string(kColumns) + "WHERE id = $1", {id});
  if (!r) return Err(r.error());
  if (r->rows.empty()) return std::optional<ModelRecord>();
  return std::optional<ModelRecord>(FromRow(r->rows[0]));
}

Result<ModelRecord> ModelRegistry::Promote(const Principal& by, int64_t version,
                                           const std::string& ip) {
  return db_.InTransaction<ModelRecord>([&](Connection& c) -> Result<ModelRecord> {
    auto chosen = c.Execute(std::string(kColumns) + "WHERE version = $1", {version});
    if (!chosen) return Err(chosen.error());
    if (chosen->rows.empty())
      return Err(Status::NotFound("no model version " + std::to_string(version)));
    ModelRecord m = FromRow(chosen->rows[0]);
    auto live = c.Execute("SELECT version FROM ai_models WHERE status = 'live'", {});
    if (!live) return Err(live.error());
    // 0: none is live (the configured ai.model runs).
    const int64_t before = live->rows.empty() ? 0 : live->rows[0].Int("version");
    if (before == version) return m;  // already live: nothing to do, nothing to audit
    const std::string now = FormatTime(clock_.Now());
    auto retire = c.Execute("UPDATE ai_models SET status = 'retired' WHERE status = 'live'", {});
    if (!retire) return Err(retire.error());
    auto up = c.Execute(
        "UPDATE ai_models SET status = 'live', promoted_by = $1, promoted_at = $2 WHERE id = $3",
        {by.user_id, now, m.id});
    if (!up) return Err(up.error());
    const bool back = before > 0 && version < before;
    boost::json::object details{{"version", version}, {"name", m.name}};
    details["from"] = before > 0 ? boost::json::value(before) : boost::json::value(nullptr);
    CLEANAI_RETURN_IF_ERROR(
        WriteAudit(c, clock_,
                   {std::nullopt, by.user_id, back ? "ai.model_rolled_back" : "ai.model_promoted",
                    m.status, std::string("live"), boost::json::serialize(details), ip, ""}));
    m.status = "live";
    m.promoted_at = now;
    return m;
  });
}

Result<std::string> ModelRegistry::LocalPath(const ModelRecord& m) const {
  const std::string dir = cache_dir_ + "/" + m.sha256;
  const std::string path = dir + "/model.onnx";
  std::error_code ec;
  if (fs::exists(path, ec)) return path;
  auto bytes = media_.objects().Get(m.sha256);
  if (!bytes) return Err(bytes.error());
  if (Sha256Hex(*bytes) != m.sha256) {
    return Err(Status::Internal("the stored model " + m.sha256 + " does not match its hash"));
  }
  // Written aside and renamed: a reader never sees half a model.
  const std::string tmp = cache_dir_ + "/.fetch-" + m.id + "-" + std::to_string(::getpid());
  CLEANAI_RETURN_IF_ERROR(WriteFiles(tmp, *bytes, m));
  fs::rename(tmp, dir, ec);
  if (ec && !fs::exists(path)) {
    fs::remove_all(tmp, ec);
    return Err(Status::InsufficientStorage("cannot keep the model in " + dir));
  }
  fs::remove_all(tmp, ec);
  return path;
}

}  // namespace cleanai
