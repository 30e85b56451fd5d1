// SPDX-License-Identifier: AGPL-3.0-or-later
// The model registry: networks trained by ai/train.py, registered by an admin as
// candidates, one live at a time (docs/ai.md, "Train your city's model").
//
// A model's ONNX file is kept in the photo store under its SHA-256, so every instance of a
// cluster reads the same bytes; its class names, mapping and model card are rows in
// ai_models. Each instance copies a model it runs into <data_dir>/models/<sha256>/ once.
// Registering checks everything the server will need (the files parse, the network loads
// on OpenCV and its head matches its names) before anything is stored. Promoting a version
// is one transaction with its audit row; promoting an earlier one is a roll-back.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/principal.h"
#include "core/status.h"
#include "media/media.h"
#include "storage/database.h"

namespace cleanai {

struct ModelRecord {
  std::string id;
  int64_t version = 0;
  std::string name;
  std::string sha256;
  int input_size = 640;
  std::string names, mapping, card;  // the three text files, as registered
  std::string status;                // candidate | live | retired
  std::string created_at;
  std::optional<std::string> promoted_at;
};

// What a model made of new photos in shadow, against the admins' labels of the same
// reports and what the live model said of them.
struct ShadowFigures {
  int64_t photos = 0;      // analysed in shadow
  int64_t labelled = 0;    // of which an admin has labelled the report
  int64_t agree = 0;       // the candidate's proposal is the admin's type
  int64_t live_agree = 0;  // the live model's proposal is the admin's type
};

struct ModelUpload {
  std::string_view onnx;
  std::string names, mapping, card;  // card: the JSON model card ("{}" when none)
};

class ModelRegistry {
 public:
  ModelRegistry(Database& db, const Clock& clock, const MediaStore& media, std::string cache_dir);

  // Checks and stores a model as the next version's candidate. InvalidArgument (naming the
  // field) when a file does not parse, the network does not load or its head does not
  // match its names; Conflict when the same file is registered already.
  Result<ModelRecord> Register(const Principal& by, const ModelUpload& upload,
                               const std::vector<std::string>& waste_types, const std::string& ip);
  // Newest first.
  Result<std::vector<ModelRecord>> List() const;
  // Makes `version` the live model (the live one before is retired); NotFound for an
  // unknown version. Audited as ai.model_promoted, or ai.model_rolled_back when `version`
  // is older than the live one.
  Result<ModelRecord> Promote(const Principal& by, int64_t version, const std::string& ip);

  // Whether stored object `key` is a registered model's file.
  Result<bool> Holds(const std::string& key) const;
  // Shadow figures per model id.
  Result<std::map<std::string, ShadowFigures>> Shadows() const;

  // What the AI service should run, by id ("" for none): the live model, and the newest
  // candidate newer than it. A light query (the feeder asks every 2 s); Get reads a
  // whole record when one of them changed.
  struct Running {
    std::string live, shadow;
  };
  Result<Running> WhatRuns() const;
  Result<std::optional<ModelRecord>> Get(const std::string& id) const;
  // The model's files in the local cache (written from the store the first time); the
  // path of its .onnx file, ready for ReadModelFiles and Detector::Load.
  Result<std::string> LocalPath(const ModelRecord& m) const;

 private:
  Status WriteFiles(const std::string& dir, std::string_view onnx, const ModelRecord& m) const;

  Database& db_;
  const Clock& clock_;
  const MediaStore& media_;
  std::string cache_dir_;
};

}  // namespace cleanai
