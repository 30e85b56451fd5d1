// SPDX-License-Identifier: AGPL-3.0-or-later
// `cleanai`: one binary, several subcommands.
//   cleanai serve [--config FILE] [--demo | --demo-accounts]
//                                            run the API (migrates first); --demo: demo
//                                            accounts and, once, the demo city
//   cleanai migrate [--config FILE] [--check] apply pending migrations and exit; --check only
//                                            says whether any is pending (exit 1) or not (0)
//   cleanai create-admin --username U --email E [--config FILE]
//                                            create an admin; password read from stdin
//                                            (one line) or generated and printed
//   cleanai seed-demo [--config FILE]        create demo citizen and driver accounts
//   cleanai demo [--reset] [--config FILE]   seed the demo city once; --reset removes it
//   cleanai routes                           print every route (method, pattern, access)
//   cleanai backup --to DIR [--config FILE]  database + photos + keys + manifest
//   cleanai restore --from DIR [--force] [--config FILE]
//   cleanai bench-seed --reports N [--history-days D]
//                                            fill the database for benchmarks
// The configuration file may also be named by CLEANAI_CONFIG.
#include <fcntl.h>
#include <malloc.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>

#ifdef CLEANAI_MIMALLOC
#include <mimalloc.h>
#endif

#include "app/app.h"
#include "auth/signing_keys.h"
#include "core/crypto.h"
#include "core/log.h"
#include "http/server.h"
#include "media/object_store.h"
#include "ops/backup.h"
#include "storage/migrations.h"

namespace cleanai {
namespace {

// http://localhost:8080, https://127.0.0.1, http://[::1]:8080 …
bool IsLoopbackUrl(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  std::string host = url.substr(start, url.find_first_of("/", start) - start);
  if (!host.empty() && host[0] == '[')
    host = host.substr(1, host.find(']') - 1);
  else
    host = host.substr(0, host.find(':'));
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

struct Args {
  std::string command;
  std::map<std::string, std::string> options;  // --name value, or --flag -> "true"
};

// What each subcommand accepts: options that take a value, and flags that do not.
struct CommandSpec {
  std::set<std::string> valued;
  std::set<std::string> flags;
};

const std::map<std::string, CommandSpec>& Commands() {
  static const std::map<std::string, CommandSpec> kCommands{
      {"serve", {{"config"}, {"demo", "demo-accounts"}}},
      {"migrate", {{"config"}, {"check"}}},
      {"create-admin", {{"config", "username", "email"}, {}}},
      {"seed-demo", {{"config"}, {}}},
      {"demo", {{"config", "per-city"}, {"reset"}}},
      {"routes", {{}, {}}},
      {"bench-seed", {{"config", "reports", "history-days"}, {}}},
      {"media migrate", {{"config", "to"}, {}}},
      {"backup", {{"config", "to"}, {}}},
      {"rotate-jwt-key", {{"config"}, {"now"}}},
      {"restore", {{"config", "from"}, {"force"}}},
  };
  return kCommands;
}

constexpr const char* kUsage =
    "usage: cleanai <command> [options]\n"
    "  serve [--config FILE] [--demo]          run the server (--demo: demo accounts, and on\n"
    "                                          the first start a demo city; --demo-accounts:\n"
    "                                          the accounts only)\n"
    "  migrate [--config FILE] [--check]       apply pending migrations and exit\n"
    "                                          (--check: exit 1 if any is pending, 0 if none)\n"
    "  create-admin --username U --email E [--config FILE]\n"
    "                                          password from stdin (one line) or generated\n"
    "  seed-demo [--config FILE]               create the demo citizen and driver\n"
    "  demo [--reset] [--per-city N] [--config FILE]\n"
    "                                          seed the demo city once (N reports in each of\n"
    "                                          three cities, 100), or remove all of it\n"
    "  routes                                  print every route and who may call it\n"
    "  bench-seed [--config FILE] [--reports N] [--history-days D]\n"
    "  media migrate --to s3://bucket/prefix [--config FILE]\n"
    "                                          copy the local photos into a bucket (the\n"
    "                                          storage.s3_* keys); safe to run again\n"
    "  backup --to DIR [--config FILE]         the database, photos, keys and a manifest of\n"
    "                                          checksums into the new directory DIR; safe\n"
    "                                          while the server runs\n"
    "  restore --from DIR [--force] [--config FILE]\n"
    "                                          check the backup whole, then restore it into\n"
    "                                          an empty target (--force: replace its data);\n"
    "                                          stop the server first\n"
    "  rotate-jwt-key [--now] [--config FILE]  a new key signs access tokens; the old one is\n"
    "                                          honoured until its tokens expire (--now: at\n"
    "                                          once nowhere: everyone signs in again)\n"
    "The configuration file may also be named by CLEANAI_CONFIG.\n";

int Usage(const std::string& problem = "") {
  if (!problem.empty()) std::cerr << "cleanai: " << problem << "\n";
  std::cerr << kUsage;
  return 2;
}

// Parses `cleanai COMMAND [--name value | --flag]...`. An unknown command, an unknown or
// repeated option, a missing value or a stray argument is an error, never ignored.
Result<Args> ParseArgs(int argc, char** argv) {
  Args a;
  if (argc < 2) return Err(Status::InvalidArgument("no command given"));
  a.command = argv[1];
  int first = 2;
  if (a.command == "media") {  // two-word commands: "media migrate"
    if (argc < 3) return Err(Status::InvalidArgument("media needs a subcommand (migrate)"));
    a.command += std::string(" ") + argv[2];
    first = 3;
  }
  auto spec = Commands().find(a.command);
  if (spec == Commands().end()) {
    return Err(Status::InvalidArgument("unknown command '" + a.command + "'"));
  }
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      return Err(Status::InvalidArgument("unexpected argument '" + arg + "'"));
    }
    std::string name = arg.substr(2), value = "true";
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      if (!spec->second.valued.count(name)) {
        return Err(Status::InvalidArgument("unknown option '--" + name + "' for " + a.command));
      }
    } else if (spec->second.valued.count(name)) {
      if (i + 1 >= argc) return Err(Status::InvalidArgument("--" + name + " needs a value"));
      value = argv[++i];
    } else if (!spec->second.flags.count(name)) {
      return Err(Status::InvalidArgument("unknown option '--" + name + "' for " + a.command));
    }
    if (!a.options.emplace(name, value).second) {
      return Err(Status::InvalidArgument("--" + name + " given twice"));
    }
  }
  return a;
}

Result<Config> LoadFrom(const Args& a) {
  auto env = ProcessEnvironment();
  std::string path = a.options.count("config") ? a.options.at("config") : "";
  if (path.empty() && env.count("CLEANAI_CONFIG")) path = env["CLEANAI_CONFIG"];
  auto cfg = LoadConfig(path, env);
  if (cfg) SetLogLevel(LogLevelNamed(cfg->log_level));
  if (cfg && cfg->database_url == Config().database_url) {
    // The default database lives in the data directory, wherever that is.
    if (!env.count("CLEANAI_DATABASE_URL"))
      cfg->database_url = "sqlite:///" + cfg->data_dir + "/cleanai.db";
  }
  return cfg;
}

// Loads the configuration and builds the app, printing the reason on failure.
// Returns nullptr then, with *exit_code set (2: configuration, 1: start-up).
std::unique_ptr<App> OpenApp(const Args& a, int* exit_code) {
  auto cfg = LoadFrom(a);
  if (!cfg) {
    std::cerr << cfg.error().message() << "\n";
    *exit_code = 2;
    return nullptr;
  }
  auto app = BuildApp(*cfg, SystemClock());
  if (!app) {
    std::cerr << "start-up failed: " << app.error().message() << "\n";
    *exit_code = 1;
    return nullptr;
  }
  return std::move(*app);
}

std::string RandomPassword() { return Base64UrlEncode(RandomBytes(15)); }

// Creates an account if its username is free; prints the password once (or, for the
// admin with server.initial_admin_password_file set, writes it there). Returns false on
// a real failure (not on "already exists").
bool EnsureAccount(App& app, const std::string& username, const std::string& role,
                   const std::string& email) {
  std::string password = RandomPassword();
  // The file is made first (O_EXCL: never over an existing file or through a link, mode
  // 0600): an account is only created once its password has somewhere to go.
  const std::string file = role == "admin" ? app.config.initial_admin_password_file : "";
  int fd = -1;
  if (!file.empty()) {
    fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
      LogError(
          "cannot create server.initial_admin_password_file: no admin account was made "
          "(remove the file, or run create-admin)",
          {{"file", file}, {"error", std::strerror(errno)}});
      return false;
    }
  }
  NewUser u{username, email, password, std::nullopt, role};
  auto created = app.auth->CreateUser(u, {"127.0.0.1", "cleanai-cli"});
  if (!created) {
    if (fd >= 0) {
      ::close(fd);
      ::unlink(file.c_str());
    }
    if (created.error().code() == StatusCode::kConflict) return true;
    std::cerr << "cannot create " << username << ": " << created.error().message() << "\n";
    return false;
  }
  if (fd >= 0) {
    std::string text = "username: " + username + "\npassword: " + password +
                       "\n# Made at the first start. Sign in, change it, delete this file.\n";
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ok = ::fsync(fd) == 0 && ok;
    ::close(fd);
    if (!ok) {
      LogError("could not write the first admin's password; set one with create-admin",
               {{"file", file}});
      return false;
    }
    LogInfo("first admin account created; its password is in the file",
            {{"username", username}, {"file", file}});
    return true;
  }
  // Printed to the terminal (stderr), never to the JSON log stream, and only this once.
  std::fprintf(stderr,
               "\n  ==> created %s account   username: %-10s password: %s\n"
               "      (shown once; change it after signing in)\n\n",
               role.c_str(), username.c_str(), password.c_str());
  return true;
}

// The allocator this binary runs on, for the start-up log (CMakeLists.txt says why).
std::string AllocatorName() {
#ifdef CLEANAI_MIMALLOC
  const int v = mi_version();  // e.g. 209 for 2.0.9
  return "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." +
         std::to_string(v % 10);
#else
  return "glibc";
#endif
}

int Serve(const Args& a) {
  LogInfo("memory allocator", {{"allocator", AllocatorName()}});
  int code = 0;
  std::unique_ptr<App> app = OpenApp(a, &code);
  if (!app) return code;
  App& application = *app;
  auto has_admin = application.auth->HasAdmin();
  if (has_admin && !*has_admin) EnsureAccount(application, "admin", "admin", "admin@cleanai.local");
  if (a.options.count("demo") || a.options.count("demo-accounts")) {
    EnsureAccount(application, "citizen", "citizen", "citizen@cleanai.local");
    EnsureAccount(application, "driver", "driver", "driver@cleanai.local");
  }
  if (a.options.count("demo")) {
    // A first run shows a living city, once: a later start (or a reset) leaves it be.
    auto seeded = HasDemoCity(*application.db);
    if (seeded && !*seeded) {
      LogInfo("seeding the demo city (once; `cleanai demo --reset` removes it)");
      if (Status st = SeedDemoCity(application.config, 100); !st.ok()) {
        LogError("demo city not seeded", {{"error", st.message()}});
      }
    }
  }
  {
    application.ai->Load(
        WasteTypeCodes());  // before the first request: the AI is on or off, not loading
  }
  // A bucket that cannot be used now is said loudly (and /readyz fails) but does not stop
  // the start: reads still work, and submissions answer 503 until it is back.
  if (Status media = application.media->objects().Check(); !media.ok()) {
    LogError("photo store unavailable",
             {{"store", application.media->objects().Describe()}, {"error", media.message()}});
  } else {
    LogInfo("photo store", {{"store", application.media->objects().Describe()}});
  }
  // Links in emails, SMS and pushes are built on server.public_url: one that names this
  // machine reaches phones as a link that cannot open there.
  const Config& cfg = application.config;
  if (IsLoopbackUrl(cfg.public_url) &&
      (!IsLoopbackUrl("http://" + cfg.listen_address) || !cfg.notify_smtp_url.empty() ||
       !cfg.notify_twilio_account_sid.empty())) {
    LogWarn(
        "server.public_url names this machine; links in emails, SMS and push will not open on "
        "citizens' phones: set it to the address they use",
        {{"publicUrl", cfg.public_url}});
  }
  HttpServer server(
      application.config, [&application](HttpRequest& req) { return application.Handle(req); },
      &application.metrics,
      [&application](const std::string& method, const std::string& path,
                     const std::string& type) -> int64_t {
        if (type.rfind("multipart/form-data", 0) != 0) return 0;
        auto limit = application.router.UploadLimit(method, path);
        if (!limit) return 0;
        return *limit > 0 ? *limit : application.config.max_upload_bytes;
      },
      cfg.quick_reads
          ? QuickPredicate([&application](const std::string& method, const std::string& path,
                                          const std::string& query) {
              return application.router.IsQuickRoute(method, path, query);
            })
          : nullptr);
  Status st = server.Start();
  if (!st.ok()) {
    std::cerr << st.message() << "\n";
    return 1;
  }
  if (Status workers = application.StartWorkers(); !workers.ok()) {
    std::cerr << workers.message() << "\n";
    return 1;
  }
  // Under systemd (Type=notify) the unit becomes active only now: migrated, listening,
  // workers running. Elsewhere NOTIFY_SOCKET is unset and this does nothing.
  sd_notifyf(0, "READY=1\nSTATUS=serving on port %d\nMAINPID=%d", server.port(),
             static_cast<int>(::getpid()));
  server.Run();
  sd_notify(0, "STOPPING=1");
  application.StopWorkers();
  return 0;
}

int RunMigrate(const Args& a) {
  auto cfg = LoadFrom(a);
  if (!cfg) {
    std::cerr << cfg.error().message() << "\n";
    return 2;
  }
  const bool check = a.options.count("check") > 0;
  auto db = Database::Open(cfg->database_url, 1);
  if (!db) {
    std::cerr << db.error().message() << "\n";
    return check ? 2 : 1;  // with --check, 1 means "pending" only
  }
  if (check) {
    // For deploy pipelines: exit 1 while a migration is pending, 0 when up to date.
    auto pending = PendingMigrations(**db);
    if (!pending) {
      std::cerr << pending.error().message() << "\n";
      return 2;
    }
    if (pending->empty()) {
      std::cout << "schema up to date (version " << AllMigrations().back().version << ")\n";
      return 0;
    }
    std::cout << pending->size() << " migration(s) pending:";
    for (int v : *pending) std::cout << " " << v;
    std::cout << "\n";
    return 1;
  }
  auto n = cleanai::Migrate(**db, SystemClock());
  if (!n) {
    std::cerr << n.error().message() << "\n";
    return 1;
  }
  std::cout << "applied " << *n << " migration(s)\n";
  return 0;
}

int CreateAdmin(const Args& a) {
  if (!a.options.count("username") || !a.options.count("email")) {
    return Usage("create-admin needs --username and --email");
  }
  int code = 0;
  std::unique_ptr<App> app = OpenApp(a, &code);
  if (!app) return code;
  std::string password;
  bool generated = isatty(STDIN_FILENO) || !std::getline(std::cin, password) || password.empty();
  if (generated) password = RandomPassword();
  NewUser u{a.options.at("username"), a.options.at("email"), password, std::nullopt, "admin"};
  auto created = app->auth->CreateUser(u, {"127.0.0.1", "cleanai-cli"});
  if (!created) {
    std::cerr << "cannot create admin: " << created.error().message() << "\n";
    for (const auto& f : created.error().field_errors()) {
      std::cerr << "  " << f.field << ": " << f.message << "\n";
    }
    return 1;
  }
  std::cout << "created admin " << created->username << " (" << created->id << ")\n";
  if (generated) std::cout << "password: " << password << "\n";
  return 0;
}

int SeedDemo(const Args& a) {
  int code = 0;
  std::unique_ptr<App> app = OpenApp(a, &code);
  if (!app) return code;
  bool ok = EnsureAccount(*app, "citizen", "citizen", "citizen@cleanai.local") &&
            EnsureAccount(*app, "driver", "driver", "driver@cleanai.local");
  return ok ? 0 : 1;
}

int DemoCommand(const Args& a) {
  // Checked before anything is opened or made.
  int per_city = 100;
  if (a.options.count("per-city") &&
      !ParseBoundedInt(a.options.at("per-city"), 1, 10000, &per_city)) {
    return Usage("--per-city must be 1..10000");
  }
  int code = 0;
  std::unique_ptr<App> app = OpenApp(a, &code);
  if (!app) return code;
  if (a.options.count("reset")) {
    if (Status st = ResetDemoCity(*app->db); !st.ok()) {
      std::cerr << "demo --reset: " << st.message() << "\n";
      return 1;
    }
    std::cout << "the demo city is removed (its photos go with the next media sweep)\n";
    return 0;
  }
  auto seeded = HasDemoCity(*app->db);
  if (!seeded) {
    std::cerr << "demo: " << seeded.error().message() << "\n";
    return 1;
  }
  if (*seeded) {
    std::cout << "a demo city is already there (`cleanai demo --reset` removes it)\n";
    return 0;
  }
  auto has_admin = app->auth->HasAdmin();
  if (has_admin && !*has_admin) EnsureAccount(*app, "admin", "admin", "admin@cleanai.local");
  if (!EnsureAccount(*app, "citizen", "citizen", "citizen@cleanai.local") ||
      !EnsureAccount(*app, "driver", "driver", "driver@cleanai.local")) {
    return 1;
  }
  if (Status st = SeedDemoCity(app->config, per_city); !st.ok()) {
    std::cerr << "demo: " << st.message() << "\n";
    return 1;
  }
  std::cout << "seeded the demo city\n";
  return 0;
}

int BenchSeedCommand(const Args& a) {
  int code = 0;
  std::unique_ptr<App> app = OpenApp(a, &code);
  if (!app) return code;
  int n = a.options.count("reports") ? std::atoi(a.options.at("reports").c_str()) : 10000;
  int days = a.options.count("history-days") ? std::atoi(a.options.at("history-days").c_str()) : 0;
  if (n < 1 || n > 10'000'000 || days < 0 || days > 3650) {
    return Usage("--reports must be 1..10000000 and --history-days 0..3650");
  }
  return BenchSeed(*app, n, days);
}

// Copies every photo of the local store (data_dir/media) into the bucket named by --to,
// skipping what is already there: run it again after an interruption and it goes on.
// Serving can continue meanwhile; switch storage.media_url once it reports no failures.
int MediaMigrate(const Args& a) {
  if (!a.options.count("to")) return Usage("media migrate needs --to s3://bucket/prefix");
  auto cfg = LoadFrom(a);
  if (!cfg) {
    std::cerr << cfg.error().message() << "\n";
    return 2;
  }
  Config target_cfg = *cfg;
  target_cfg.media_url = a.options.at("to");
  if (target_cfg.s3_endpoint.empty() || target_cfg.s3_access_key.empty() ||
      target_cfg.s3_secret_key.empty()) {
    std::cerr << "media migrate: set storage.s3_endpoint, storage.s3_access_key and "
                 "storage.s3_secret_key\n";
    return 2;
  }
  auto target = MakeObjectStore(target_cfg);
  if (!target) {
    std::cerr << target.error().message() << "\n";
    return 2;
  }
  if (Status st = (*target)->Check(); !st.ok()) {
    std::cerr << "media migrate: " << st.message() << "\n";
    return 1;
  }
  auto source = MakeLocalObjectStore(cfg->data_dir + "/media");
  std::vector<std::string> keys;
  if (Status st = source->List([&](const std::string& key, int64_t) { keys.push_back(key); });
      !st.ok()) {
    std::cerr << "media migrate: " << st.message() << "\n";
    return 1;
  }
  int copied = 0, present = 0, failed = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    auto there = (*target)->Stat(keys[i]);
    if (there && there->has_value()) {
      ++present;
      continue;
    }
    auto bytes = source->Get(keys[i]);
    Result<bool> put = bytes ? (*target)->Put(keys[i], *bytes) : Result<bool>(Err(bytes.error()));
    if (!there || !put) {
      ++failed;
      std::cerr << "media migrate: " << keys[i] << ": "
                << (!there ? there.error().message() : put.error().message()) << "\n";
      continue;
    }
    ++copied;
    if (copied % 500 == 0) std::cerr << "media migrate: " << i + 1 << " of " << keys.size() << "\n";
  }
  std::cout << "copied " << copied << ", already there " << present << ", failed " << failed
            << " (of " << keys.size() << " photos) to " << (*target)->Describe() << "\n";
  return failed == 0 ? 0 : 1;
}

int Backup(const Args& a) {
  if (!a.options.count("to")) return Usage("backup needs --to DIR");
  auto cfg = LoadFrom(a);
  if (!cfg) {
    std::cerr << cfg.error().message() << "\n";
    return 2;
  }
  const std::string dir = a.options.at("to");
  auto done = TakeBackup(*cfg, dir);
  if (!done) {
    std::cerr << "backup failed: " << done.error().message() << "\n";
    return 1;
  }
  std::cout << "backup of the " << done->backend << " database (schema " << done->schema_version
            << ", " << done->reports << " reports) and " << done->photos << " photos ("
            << done->bytes / 1024 << " KiB) written to " << dir << "\n";
  if (done->missing_photos > 0) {
    std::cout << done->missing_photos
              << " photo(s) that reports reference were not in the store (listed in "
                 "manifest.json under media.missing)\n";
  }
  return 0;
}

int Restore(const Args& a) {
  if (!a.options.count("from")) return Usage("restore needs --from DIR");
  auto cfg = LoadFrom(a);
  if (!cfg) {
    std::cerr << cfg.error().message() << "\n";
    return 2;
  }
  auto done = RestoreBackup(*cfg, a.options.at("from"), a.options.count("force") > 0);
  if (!done) {
    const StatusCode code = done.error().code();
    const bool refused = code == StatusCode::kInvalidArgument || code == StatusCode::kConflict;
    std::cerr << (refused ? "restore refused: " : "restore failed: ") << done.error().message()
              << "\n";
    return 1;
  }
  std::cout << "restored the " << done->backend << " database (schema " << done->schema_version
            << ", " << done->reports << " reports) and " << done->photos
            << " photos; start the server (it applies any newer migration)\n";
  return 0;
}

// Running instances pick the new key up within seconds (auth/signing_keys.h).
int RotateJwtKey(const Args& a) {
  auto cfg = LoadFrom(a);
  if (!cfg) {
    std::cerr << cfg.error().message() << "\n";
    return 2;
  }
  const bool now = a.options.count("now") > 0;
  if (Status st = RotateSigningKey(cfg->SecretsDir(), now); !st.ok()) {
    std::cerr << "rotate-jwt-key: " << st.message() << "\n";
    return 1;
  }
  if (now) {
    std::cout << "new JWT key in " << cfg->SecretsDir()
              << "/jwt.key; the old one is honoured nowhere: every session signs in again\n";
  } else {
    std::cout << "new JWT key in " << cfg->SecretsDir() << "/jwt.key; tokens signed with the old "
              << "one are honoured for " << cfg->access_token_ttl_seconds << " s\n";
  }
  return 0;
}

int Routes(const Args& a) {
  Config cfg;
  cfg.data_dir = "/tmp/cleanai-routes-" + std::to_string(getpid());
  cfg.database_url = "sqlite:///" + cfg.data_dir + "/routes.db";
  (void)a;
  auto app = BuildApp(cfg, SystemClock());
  if (!app) {
    std::cerr << app.error().message() << "\n";
    return 1;
  }
  for (const auto& r : (*app)->router.routes()) {
    std::string access = !r.access.authenticated  ? "public"
                         : r.access.roles.empty() ? "any-user"
                                                  : "";
    for (Role role : r.access.roles)
      access += (access.empty() ? "" : ",") + std::string(RoleName(role));
    std::cout << r.method << " " << r.pattern << " " << access << "\n";
  }
  std::error_code ec;
  std::filesystem::remove_all(cfg.data_dir, ec);
  return 0;
}

}  // namespace
}  // namespace cleanai

int main(int argc, char** argv) {
  using namespace cleanai;
  // The database, media and secrets hold personal data: private to the service user.
  ::umask(077);
#ifndef CLEANAI_MIMALLOC
  // Built without mimalloc (it returns freed memory on its own). Photos pass through
  // buffers of several megabytes. A fixed mmap threshold gives each back to the system
  // when it is freed; glibc's default raises the threshold after the first free, after
  // which such buffers fragment the heap and the server's memory creeps up under steady
  // traffic (bench/soak.sh measured +19% in ten minutes without this).
  ::mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  ::mallopt(M_ARENA_MAX, 4);
#endif
  if (!InitCrypto()) {
    std::cerr << "libsodium could not be initialised\n";
    return 1;
  }
  auto parsed = ParseArgs(argc, argv);
  if (!parsed) return Usage(parsed.error().message());
  const Args& a = *parsed;
  // Only the server logs to stdout; every other command answers there and logs to stderr.
  if (a.command != "serve") SetLogToStderr(true);
  if (a.command == "serve") return Serve(a);
  if (a.command == "migrate") return RunMigrate(a);
  if (a.command == "create-admin") return CreateAdmin(a);
  if (a.command == "seed-demo") return SeedDemo(a);
  if (a.command == "demo") return DemoCommand(a);
  if (a.command == "routes") return Routes(a);
  if (a.command == "bench-seed") return BenchSeedCommand(a);
  if (a.command == "media migrate") return MediaMigrate(a);
  if (a.command == "backup") return Backup(a);
  if (a.command == "rotate-jwt-key") return RotateJwtKey(a);
  if (a.command == "restore") return Restore(a);
  return Usage();
}
