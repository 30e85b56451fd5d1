// SPDX-License-Identifier: AGPL-3.0-or-later
#include "media/object_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/log.h"
#include "media/s3.h"

namespace cleanai {
namespace {

namespace fs = std::filesystem;

const Status kDiskFull =
    Status::InsufficientStorage("the server's storage is full; nothing was saved");

// Writes `bytes` to a new file and flushes it to the disk. Returns 0, or the errno of the
// failure (ENOSPC: the disk is full); the caller removes what is left.
int WriteDurably(const std::string& path, const std::string& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return errno;
  int err = 0;
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      err = n < 0 ? errno : EIO;
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  return err;
}

std::optional<int64_t> ModifiedAt(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<int64_t>(st.st_mtime);
}

class LocalObjectStore : public ObjectStore {
 public:
  explicit LocalObjectStore(std::string root) : root_(std::move(root)) {}

  Result<bool> Put(const std::string& key, const std::string& bytes) override {
    std::string path = PathFor(key);
    if (path.empty()) return Err(Status::InvalidArgument("bad media key"));
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    if (ec == std::errc::no_space_on_device) return Err(kDiskFull);
    if (ec) return Err(Status::Unavailable("cannot create media folder"));
    if (fs::exists(path, ec)) {
      Touch(path);
      return false;
    }
    std::string tmp = path + ".tmp-" + NewUuidV7();
    if (int err = WriteDurably(tmp, bytes); err != 0) {
      fs::remove(tmp, ec);
      if (err == ENOSPC || err == EDQUOT) {
        LogError("media: the disk is full");
        return Err(kDiskFull);
      }
      return Err(Status::Unavailable("cannot write media file"));
    }
    // link() fails if another request stored the same content meanwhile: then that
    // request owns the file and a rollback here must not delete it.
    bool created = ::link(tmp.c_str(), path.c_str()) == 0;
    fs::remove(tmp, ec);
    if (!created) {
      if (!fs::exists(path, ec)) return Err(Status::Unavailable("cannot store media file"));
      Touch(path);
    }
    return created;
  }

  Result<std::string> Get(const std::string& key) const override {
    const std::string path = PathFor(key);
    std::ifstream in(path, std::ios::binary);
    if (path.empty() || !in) return Err(Status::NotFound("no such file"));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  Result<std::optional<int64_t>> Stat(const std::string& key) const override {
    std::string path = PathFor(key);
    return path.empty() ? std::nullopt : ModifiedAt(path);
  }

  Status Remove(const std::string& key) override {
    std::string path = PathFor(key);
    std::error_code ec;
    if (!path.empty()) fs::remove(path, ec);
    return Status::Ok();
  }

  Status List(const std::function<void(const std::string&, int64_t)>& visit) const override {
    std::error_code ec;
    if (!fs::exists(root_, ec)) return Status::Ok();
    for (auto it = fs::recursive_directory_iterator(root_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.size() != 68 || name.substr(64) != ".jpg" || !IsMediaKey(name.substr(0, 64)))
        continue;
      if (auto t = ModifiedAt(it->path().string())) visit(name.substr(0, 64), *t);
    }
    if (ec) return Status::Unavailable("cannot list the media folder: " + ec.message());
    return Status::Ok();
  }

  int RemoveUnfinished(int64_t cutoff) override {
    int removed = 0;
    std::error_code ec;
    if (!fs::exists(root_, ec)) return 0;
    for (auto it = fs::recursive_directory_iterator(root_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->path().filename().string().find(".tmp-") == std::string::npos) continue;
      auto t = ModifiedAt(it->path().string());
      std::error_code rm;
      if (t && *t < cutoff && fs::remove(it->path(), rm)) ++removed;
    }
    return removed;
  }

  Status Check() const override {
    std::error_code ec;
    fs::create_directories(root_, ec);
    if (ec)
      return Status::Unavailable("cannot create the media folder " + root_ + ": " + ec.message());
    return Status::Ok();
  }

  std::string Describe() const override { return "local folder " + root_; }

 private:
  std::string PathFor(const std::string& key) const {
    if (!IsMediaKey(key)) return "";
    return root_ + "/" + key.substr(0, 2) + "/" + key.substr(2, 2) + "/" + key + ".jpg";
  }
  static void Touch(const std::string& path) { ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0); }

  std::string root_;
};

class S3ObjectStore : public ObjectStore {
 public:
  explicit S3ObjectStore(S3Location where) : client_(std::move(where)) {}

  Result<bool> Put(const std::string& key, const std::string& bytes) override {
    if (!IsMediaKey(key)) return Err(Status::InvalidArgument("bad media key"));
    // Asked first, so a rollback never deletes an object another report holds; written
    // either way, which refreshes an existing object's time for the sweeper.
    auto before = client_.Stat(Name(key));
    if (!before) return Err(before.error());
    CLEANAI_RETURN_IF_ERROR(client_.Put(Name(key), bytes, "image/jpeg"));
    return !before->has_value();
  }
  Result<std::string> Get(const std::string& key) const override {
    if (!IsMediaKey(key)) return Err(Status::NotFound("no such object"));
    return client_.Get(Name(key));
  }
  Result<std::optional<int64_t>> Stat(const std::string& key) const override {
    if (!IsMediaKey(key)) return std::optional<int64_t>();
    return client_.Stat(Name(key));
  }
  Status Remove(const std::string& key) override {
    return IsMediaKey(key) ? client_.Delete(Name(key)) : Status::Ok();
  }
  Status List(const std::function<void(const std::string&, int64_t)>& visit) const override {
    return client_.List([&](const std::string& name, int64_t modified) {
      if (name.size() == 68 && name.substr(64) == ".jpg" && IsMediaKey(name.substr(0, 64))) {
        visit(name.substr(0, 64), modified);
      }
    });
  }
  int RemoveUnfinished(int64_t) override { return 0; }
  Status Check() const override { return client_.CheckBucket(); }
  std::string Describe() const override {
    return "s3://" + client_.where().bucket + "/" + client_.where().prefix + " at " +
           client_.where().endpoint;
  }

 private:
  static std::string Name(const std::string& key) { return key + ".jpg"; }
  S3Client client_;
};

}  // namespace

bool IsMediaKey(const std::string& key) {
  if (key.size() != 64) return false;
  for (char c : key) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::unique_ptr<ObjectStore> MakeLocalObjectStore(std::string root) {
  return std::make_unique<LocalObjectStore>(std::move(root));
}

Result<std::unique_ptr<ObjectStore>> MakeObjectStore(const Config& config) {
  if (config.media_url.empty()) return MakeLocalObjectStore(config.data_dir + "/media");
  S3Location where;
  if (!ParseS3Url(config.media_url, &where.bucket, &where.prefix)) {
    return Err(
        Status::InvalidArgument("storage.media_url: must be s3://bucket/prefix (bucket: 3-63 "
                                "lower-case letters, digits, '-' or '.')"));
  }
  where.endpoint = config.s3_endpoint;
  while (!where.endpoint.empty() && where.endpoint.back() == '/') where.endpoint.pop_back();
  where.credentials.access_key = config.s3_access_key;
  where.credentials.secret_key = config.s3_secret_key;
  where.credentials.region = config.s3_region;
  return std::unique_ptr<ObjectStore>(std::make_unique<S3ObjectStore>(std::move(where)));
}

}  // namespace cleanai
