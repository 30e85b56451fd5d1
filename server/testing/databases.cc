// SPDX-License-Identifier: AGPL-3.0-or-later
#include "testing/databases.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <stdexcept>

namespace cleanai::testing {

std::vector<std::string> TestBackends() { return {"sqlite", "postgres"}; }

bool BackendAvailable(const std::string& backend) {
  if (backend != "postgres") return true;
  const char* pg = std::getenv("CLEANAI_TEST_PG_URL");
  const char* require = std::getenv("CLEANAI_REQUIRE_POSTGRES");
  return (pg && *pg) || (require && std::string(require) == "1");
}

std::string MakeTempDir() {
  std::string tmpl = "/tmp/cleanai-test-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

std::string FreshDatabaseUrl(const std::string& backend, const std::string& scratch_dir) {
  static std::mt19937_64 rng{std::random_device{}()};
  if (backend == "sqlite") {
    return "sqlite:///" + scratch_dir + "/db-" + std::to_string(rng() % 1000000000) + ".sqlite";
  }
  const char* admin = std::getenv("CLEANAI_TEST_PG_URL");
  if (!admin || !*admin) {
    throw std::runtime_error("CLEANAI_TEST_PG_URL is not set: PostgreSQL tests need a server");
  }
  std::string name = "cleanai_test_" + std::to_string(rng() % 1000000000000ULL);
  PGconn* conn = PQconnectdb(admin);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot reach test PostgreSQL: " + msg);
  }
  PGresult* r = PQexec(conn, ("CREATE DATABASE " + name).c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string err = PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("CREATE DATABASE failed: " + err);
  // Same server, the new database: replace the path component of the admin URL.
  std::string url(admin);
  size_t scheme = url.find("://");
  size_t slash = url.find('/', scheme + 3);
  size_t query = url.find('?', slash == std::string::npos ? 0 : slash);
  std::string base = slash == std::string::npos ? url : url.substr(0, slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + name + rest;
}

}  // namespace cleanai::testing
