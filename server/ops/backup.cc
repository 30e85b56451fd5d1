// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ops/backup.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "media/object_store.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/snapshot.h"

extern char** environ;

namespace cleanai {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr const char* kFormat = "cleanai-backup";
constexpr int kFormatVersion = 1;
constexpr const char* kManifest = "manifest.json";
// Every column that names a stored photo (as the sweeper's list).
constexpr const char* kPhotoKeysSql =
    "SELECT k FROM (SELECT image_key AS k FROM reports UNION SELECT thumbnail_key FROM reports "
    "UNION SELECT verification_image_key FROM reports) AS keys WHERE k IS NOT NULL ORDER BY k";

bool IsSqlite(const Config& config) { return config.database_url.rfind("sqlite:", 0) == 0; }

// Writes a new file (never over an existing one), mode 0600, and syncs it.
Status WriteNewFile(const std::string& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("cannot create " + path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      return Status::InsufficientStorage("cannot write " + path + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced ? Status::Ok() : Status::Internal("cannot sync " + path);
}

void SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Err(Status::NotFound("cannot read " + path));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Runs a PostgreSQL client tool with the connection in its environment (never on the
// command line, where every local user could read a password). Its stderr comes back in
// the error.
Status RunTool(const std::vector<std::string>& argv,
               const std::map<std::string, std::string>& env_extra) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "PG", 2) != 0) env_strings.emplace_back(*e);
  }
  for (const auto& [k, v] : env_extra) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);
  int err_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) return Status::Internal("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(err_pipe[0]);
    return Status::Unavailable(argv[0] + " could not be run (" + std::strerror(rc) +
                               "): install Debian's postgresql-client");
  }
  std::string errors;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(err_pipe[0], buf, sizeof buf)) > 0) {
    errors.append(buf, static_cast<size_t>(n));
    if (errors.size() > 8192) errors.erase(0, errors.size() - 8192);
  }
  ::close(err_pipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    while (!errors.empty() && errors.back() == '\n') errors.pop_back();
    return Status::Internal(argv[0] + " failed: " + errors);
  }
  return Status::Ok();
}

json::object FileEntry(const std::string& name, uint64_t bytes, const std::string& sha256) {
  return {{"file", name}, {"bytes", bytes}, {"sha256", sha256}};
}

// What the database snapshot holds, read from the snapshot itself.
struct SnapshotFacts {
  std::vector<std::string> photo_keys;
  int schema_version = 0;
  int64_t reports = 0;
};

Result<SnapshotFacts> DumpSqlite(const Config& config, const std::string& file) {
  CLEANAI_RETURN_IF_ERROR(SqliteOnlineBackup(config.database_url, file));
  SnapshotFacts facts;
  auto keys = SqliteReadColumn(file, kPhotoKeysSql);
  auto version = SqliteReadColumn(file, "SELECT MAX(version) FROM schema_migrations");
  auto reports = SqliteReadColumn(file, "SELECT COUNT(*) FROM reports");
  if (!keys || !version || !reports || version->empty() || reports->empty()) {
    return Err(Status::InvalidArgument(
        "the database has no CleanAI schema (run `cleanai migrate` or start the server once)"));
  }
  facts.photo_keys = std::move(*keys);
  facts.schema_version = std::stoi(version->front());
  facts.reports = std::stoll(reports->front());
  return facts;
}

// pg_dump reads the snapshot this transaction exported; the photo keys are read in the
// same transaction, so they are exactly the ones the dump references.
Result<SnapshotFacts> DumpPostgres(const Config& config, const std::string& file) {
  auto env = PostgresClientEnvironment(config.database_url);
  if (!env) return Err(env.error());
  auto db = Database::Open(config.database_url, 1);
  if (!db) return Err(db.error());
  return (*db)->WithConnection<SnapshotFacts>([&](Connection& c) -> Result<SnapshotFacts> {
    auto begun = c.Execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", {});
    if (!begun) return Err(begun.error());
    auto run = [&]() -> Result<SnapshotFacts> {
      auto snapshot = c.Execute("SELECT pg_export_snapshot() AS s", {});
      if (!snapshot) return Err(snapshot.error());
      auto has_schema = c.Execute(
          "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = "
          "'schema_migrations' AND table_schema = current_schema()",
          {});
      if (!has_schema) return Err(has_schema.error());
      if (has_schema->rows[0].Int("n") == 0) {
        return Err(Status::InvalidArgument(
            "the database has no CleanAI schema (run `cleanai migrate` or start the server)"));
      }
      CLEANAI_RETURN_IF_ERROR(
          RunTool({"pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                   "--snapshot=" + snapshot->rows[0].Text("s"), "--file=" + file},
                  *env));
      SnapshotFacts facts;
      auto keys = c.Execute(kPhotoKeysSql, {});
      auto version = c.Execute("SELECT MAX(version) AS v FROM schema_migrations", {});
      auto reports = c.Execute("SELECT COUNT(*) AS n FROM reports", {});
      if (!keys) return Err(keys.error());
      if (!version) return Err(version.error());
      if (!reports) return Err(reports.error());
      for (const Row& row : keys->rows) facts.photo_keys.push_back(row.Text("k"));
      facts.schema_version = static_cast<int>(version->rows[0].Int("v"));
      facts.reports = reports->rows[0].Int("n");
      return facts;
    };
    auto facts = run();
    (void)c.Execute(facts ? "COMMIT" : "ROLLBACK", {});
    return facts;
  });
}

}  // namespace

Result<BackupSummary> TakeBackup(const Config& config, const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Err(Status::InvalidArgument(dir + " is not empty: a backup goes into a new directory"));
  }
  fs::create_directories(fs::path(dir) / "media", ec);
  if (ec) return Err(Status::Internal("cannot create " + dir + ": " + ec.message()));
  fs::permissions(dir, fs::perms::owner_all, ec);  // photos and keys: private

  BackupSummary summary;
  summary.backend = IsSqlite(config) ? "sqlite" : "postgresql";
  const std::string db_name = IsSqlite(config) ? "database.sqlite" : "database.pgdump";
  const std::string db_file = dir + "/" + db_name;
  auto facts = IsSqlite(config) ? DumpSqlite(config, db_file) : DumpPostgres(config, db_file);
  if (!facts) return Err(facts.error());
  summary.schema_version = facts->schema_version;
  summary.reports = facts->reports;
  uint64_t db_bytes = 0;
  auto db_sha = Sha256HexOfFile(db_file, &db_bytes);
  if (!db_sha) return Err(db_sha.error());
  summary.bytes += db_bytes;
  json::object database = FileEntry(db_name, db_bytes, *db_sha);
  database["backend"] = summary.backend;
  database["schemaVersion"] = facts->schema_version;
  database["reports"] = facts->reports;

  auto store = MakeObjectStore(config);
  if (!store) return Err(store.error());
  json::array objects, missing;
  for (const std::string& key : facts->photo_keys) {
    if (!IsMediaKey(key)) continue;  // never a path: keys are hashes
    auto bytes = (*store)->Get(key);
    if (!bytes && bytes.error().code() == StatusCode::kNotFound) {
      missing.emplace_back(key);
      LogWarn("a report's photo is missing from the store; the backup goes on without it",
              {{"key", key}});
      continue;
    }
    if (!bytes) {
      return Err(Status::Unavailable("photo store " + (*store)->Describe() + ": " +
                                     bytes.error().message() + " (the backup is unfinished)"));
    }
    CLEANAI_RETURN_IF_ERROR(WriteNewFile(dir + "/media/" + key + ".jpg", *bytes));
    json::object entry = FileEntry("media/" + key + ".jpg", bytes->size(), Sha256Hex(*bytes));
    entry["key"] = key;
    objects.push_back(std::move(entry));
    summary.bytes += bytes->size();
  }
  summary.photos = static_cast<int64_t>(objects.size());
  summary.missing_photos = static_cast<int64_t>(missing.size());

  json::array secrets;
  const std::string secrets_dir = config.SecretsDir();
  if (fs::is_directory(secrets_dir, ec)) {
    fs::create_directories(dir + "/secrets", ec);
    for (const auto& entry : fs::directory_iterator(secrets_dir, ec)) {
      if (!entry.is_regular_file()) continue;
      auto bytes = ReadFile(entry.path().string());
      if (!bytes) return Err(bytes.error());
      const std::string name = "secrets/" + entry.path().filename().string();
      CLEANAI_RETURN_IF_ERROR(WriteNewFile(dir + "/" + name, *bytes));
      secrets.push_back(FileEntry(name, bytes->size(), Sha256Hex(*bytes)));
    }
  }

  json::object manifest{{"format", kFormat},
                        {"formatVersion", kFormatVersion},
                        {"createdAt", FormatTime(SystemClock().Now())},
                        {"cleanaiVersion", CLEANAI_VERSION},
                        {"database", std::move(database)},
                        {"media", json::object{{"store", (*store)->Describe()},
                                               {"objects", std::move(objects)},
                                               {"missing", std::move(missing)}}},
                        {"secrets", std::move(secrets)}};
  // Last, and whole or not at all: a directory without it is an unfinished backup.
  const std::string text = json::serialize(manifest);
  CLEANAI_RETURN_IF_ERROR(WriteNewFile(dir + "/" + kManifest + ".partial", text));
  fs::rename(dir + "/" + kManifest + ".partial", dir + "/" + kManifest, ec);
  if (ec) return Err(Status::Internal("cannot finish the manifest: " + ec.message()));
  SyncDirectory(dir);
  return summary;
}

namespace {

// One file the manifest promises.
struct Promised {
  std::string name;  // relative to the backup directory
  uint64_t bytes = 0;
  std::string sha256;
  std::string key;  // photos: the object key (its content hash)
};

bool SafeName(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '.' && c != '_' &&
        c != '-')
      return false;
  }
  return true;
}

Promised ReadEntry(const json::value& v) {
  const json::object& o = v.as_object();
  Promised p;
  p.name = std::string(o.at("file").as_string());
  p.bytes = o.at("bytes").to_number<uint64_t>();
  p.sha256 = std::string(o.at("sha256").as_string());
  if (const json::value* key = o.if_contains("key")) p.key = std::string(key->as_string());
  return p;
}

struct Manifest {
  std::string backend;
  int schema_version = 0;
  int64_t reports = 0;
  Promised database;
  std::vector<Promised> photos;
  std::vector<Promised> secrets;
};

Result<Manifest> LoadManifest(const std::string& dir) {
  auto text = ReadFile(dir + "/" + kManifest);
  if (!text) {
    return Err(Status::InvalidArgument(
        dir + " is not a complete backup: it has no " + kManifest +
        " (a backup that was interrupted, or not a backup); nothing was restored"));
  }
  boost::system::error_code ec;
  json::value doc = json::parse(*text, ec);
  if (ec || !doc.is_object()) {
    return Err(Status::InvalidArgument(std::string(kManifest) +
                                       " is damaged (not JSON); nothing was restored"));
  }
  try {
    const json::object& o = doc.as_object();
    if (o.at("format").as_string() != kFormat) throw std::invalid_argument("format");
    if (o.at("formatVersion").to_number<int>() != kFormatVersion)
      throw std::invalid_argument("formatVersion");
    Manifest m;
    const json::object& db = o.at("database").as_object();
    m.backend = std::string(db.at("backend").as_string());
    m.schema_version = db.at("schemaVersion").to_number<int>();
    m.reports = db.at("reports").to_number<int64_t>();
    m.database = ReadEntry(db);
    for (const auto& v : o.at("media").as_object().at("objects").as_array())
      m.photos.push_back(ReadEntry(v));
    for (const auto& v : o.at("secrets").as_array()) m.secrets.push_back(ReadEntry(v));
    return m;
  } catch (const std::exception& e) {
    return Err(Status::InvalidArgument(std::string(kManifest) +
                                       " is damaged or of another "
                                       "format (" +
                                       e.what() + "); nothing was restored"));
  }
}

// Every promised file is there with its size and checksum; names stay inside the backup.
std::vector<std::string> Verify(const std::string& dir, const Manifest& m) {
  std::vector<std::string> problems;
  auto check = [&](const Promised& p, const std::string& prefix) {
    if (!SafeName(p.name) || p.name.rfind(prefix, 0) != 0) {
      problems.push_back(p.name + ": not a name a backup uses");
      return;
    }
    uint64_t size = 0;
    auto sha = Sha256HexOfFile(dir + "/" + p.name, &size);
    if (!sha) {
      problems.push_back(p.name + ": missing");
    } else if (size != p.bytes) {
      problems.push_back(p.name + ": " + std::to_string(size) + " bytes, the manifest says " +
                         std::to_string(p.bytes));
    } else if (*sha != p.sha256) {
      problems.push_back(p.name + ": its checksum does not match the manifest");
    }
  };
  check(m.database, "database.");
  for (const auto& p : m.photos) {
    check(p, "media/");
    if (!IsMediaKey(p.key) || p.key != p.sha256)
      problems.push_back(p.name + ": its key is not its content's hash");
  }
  for (const auto& p : m.secrets) check(p, "secrets/");
  return problems;
}

// What the target already holds (empty: nothing).
Result<std::vector<std::string>> ExistingData(const Config& config, const ObjectStore& store) {
  std::vector<std::string> found;
  std::error_code ec;
  if (IsSqlite(config)) {
    auto path = SqlitePathOf(config.database_url);
    if (!path) return Err(path.error());
    if (fs::exists(*path, ec) && fs::file_size(*path, ec) > 0)
      found.push_back("the database file " + *path);
  } else {
    auto db = Database::Open(config.database_url, 1);
    if (!db) return Err(db.error());
    auto tables = (*db)->Execute(
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = "
        "current_schema()");
    if (!tables) return Err(tables.error());
    if (int64_t n = tables->rows[0].Int("n"); n > 0)
      found.push_back("the database (" + std::to_string(n) + " tables)");
  }
  int64_t photos = 0;
  CLEANAI_RETURN_IF_ERROR(store.List([&](const std::string&, int64_t) { ++photos; }));
  if (photos > 0) found.push_back(std::to_string(photos) + " photos in " + store.Describe());
  const std::string secrets = config.SecretsDir();
  if (fs::is_directory(secrets, ec) && !fs::is_empty(secrets, ec))
    found.push_back("the keys in " + secrets);
  return found;
}

// A server still running on the target holds a lease that has not expired.
Status RefuseWhileServing(const Config& config) {
  std::error_code ec;
  if (IsSqlite(config)) {
    auto path = SqlitePathOf(config.database_url);
    if (!path || !fs::exists(*path, ec)) return Status::Ok();
  }
  auto db = Database::Open(config.database_url, 1);
  if (!db) return Status::Ok();
  auto leases = (*db)->Execute("SELECT holder, expires_at FROM leader_leases");
  if (!leases) return Status::Ok();  // an older schema, or none
  for (const Row& row : leases->rows) {
    auto until = row.Time("expires_at");
    if (until && *until > SystemClock().Now()) {
      return Status::Conflict("a server is running on this database (" + row.Text("holder") +
                              "): stop every instance before restoring; nothing was restored");
    }
  }
  return Status::Ok();
}

Status RestoreSqlite(const Config& config, const std::string& backup_file) {
  auto path = SqlitePathOf(config.database_url);
  if (!path) return path.error();
  std::error_code ec;
  fs::path target(*path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  const std::string temp = *path + ".restoring";
  fs::remove(temp, ec);
  fs::copy_file(backup_file, temp, ec);
  if (ec) return Status::InsufficientStorage("cannot copy the database: " + ec.message());
  int fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
  bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!synced) return Status::Internal("cannot sync " + temp);
  // The old database's journal belongs to the old file: it goes with it.
  fs::remove(*path + "-wal", ec);
  fs::remove(*path + "-shm", ec);
  fs::rename(temp, *path, ec);  // at once: the old database or the restored one
  if (ec) return Status::Internal("cannot put the database in place: " + ec.message());
  SyncDirectory(target.has_parent_path() ? target.parent_path().string() : ".");
  return Status::Ok();
}

Status RestorePostgres(const Config& config, const std::string& backup_file, bool clean) {
  auto env = PostgresClientEnvironment(config.database_url);
  if (!env) return env.error();
  std::string dbname = env->count("PGDATABASE") ? env->at("PGDATABASE") : "";
  if (dbname.empty() && env->count("PGUSER")) dbname = env->at("PGUSER");
  std::vector<std::string> argv{"pg_restore", "--single-transaction", "--exit-on-error",
                                "--no-owner", "--no-privileges"};
  if (clean) {
    argv.push_back("--clean");
    argv.push_back("--if-exists");
  }
  argv.push_back("--dbname=" + dbname);
  argv.push_back(backup_file);
  return RunTool(argv, *env);
}

}  // namespace

Result<RestoreSummary> RestoreBackup(const Config& config, const std::string& dir, bool force) {
  auto manifest = LoadManifest(dir);
  if (!manifest) return Err(manifest.error());
  const std::string backend = IsSqlite(config) ? "sqlite" : "postgresql";
  if (manifest->backend != backend) {
    return Err(Status::InvalidArgument("this backup holds a " + manifest->backend +
                                       " database and database.url names a " + backend +
                                       " one; nothing was restored"));
  }
  if (manifest->schema_version > AllMigrations().back().version) {
    return Err(Status::InvalidArgument(
        "this backup was made by a newer CleanAI (schema " +
        std::to_string(manifest->schema_version) + ", this one knows " +
        std::to_string(AllMigrations().back().version) + "); nothing was restored"));
  }
  if (auto problems = Verify(dir, *manifest); !problems.empty()) {
    std::string message = "the backup in " + dir + " is damaged; nothing was restored:";
    for (size_t i = 0; i < problems.size() && i < 10; ++i) message += "\n  " + problems[i];
    if (problems.size() > 10)
      message += "\n  … and " + std::to_string(problems.size() - 10) + " more";
    return Err(Status::InvalidArgument(message));
  }
  auto store = MakeObjectStore(config);
  if (!store) return Err(store.error());
  CLEANAI_RETURN_IF_ERROR((*store)->Check());
  auto existing = ExistingData(config, **store);
  if (!existing) return Err(existing.error());
  if (!existing->empty()) {
    if (!force) {
      std::string what;
      for (const auto& e : *existing) what += (what.empty() ? "" : ", ") + e;
      return Err(Status::Conflict("the target already holds data (" + what +
                                  "): restore into an empty one, or add --force to replace "
                                  "it; nothing was restored"));
    }
    CLEANAI_RETURN_IF_ERROR(RefuseWhileServing(config));
  }

  // Photos first, then keys, the database last: until the database is replaced, an
  // interrupted restore leaves only unreferenced photos (the sweeper's) behind.
  for (const auto& p : manifest->photos) {
    auto bytes = ReadFile(dir + "/" + p.name);
    if (!bytes) return Err(bytes.error());
    auto put = (*store)->Put(p.key, *bytes);
    if (!put) {
      return Err(Status::Unavailable("restore stopped while putting the photos back (" + p.key +
                                     ": " + put.error().message() +
                                     "); the database was not changed: run it again"));
    }
  }
  std::error_code ec;
  const std::string secrets_dir = config.SecretsDir();
  if (!manifest->secrets.empty()) fs::create_directories(secrets_dir, ec);
  for (const auto& p : manifest->secrets) {
    auto bytes = ReadFile(dir + "/" + p.name);
    if (!bytes) return Err(bytes.error());
    const std::string target = secrets_dir + "/" + fs::path(p.name).filename().string();
    fs::remove(target + ".restoring", ec);
    CLEANAI_RETURN_IF_ERROR(WriteNewFile(target + ".restoring", *bytes));
    fs::rename(target + ".restoring", target, ec);
    if (ec) return Err(Status::Internal("cannot put " + target + " in place: " + ec.message()));
  }
  const std::string db_file = dir + "/" + manifest->database.name;
  CLEANAI_RETURN_IF_ERROR(IsSqlite(config) ? RestoreSqlite(config, db_file)
                                           : RestorePostgres(config, db_file, !existing->empty()));
  RestoreSummary summary;
  summary.backend = backend;
  summary.schema_version = manifest->schema_version;
  summary.reports = manifest->reports;
  summary.photos = static_cast<int64_t>(manifest->photos.size());
  return summary;
}

}  // namespace cleanai
