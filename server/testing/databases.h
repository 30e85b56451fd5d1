// Which database backends the tests run on, and fresh empty databases for them.
// SQLite always; PostgreSQL when CLEANAI_TEST_PG_URL names a server (scripts/run-tests.sh
// starts one). With CLEANAI_REQUIRE_POSTGRES=1 a missing server is a failure, not a skip,
// so `make test` cannot pass on SQLite alone.
#pragma once

#include <string>
#include <vector>

namespace cleanai::testing {

// "sqlite" and, when configured, "postgres".
std::vector<std::string> TestBackends();

// A URL for a new, empty database on `backend`. SQLite files go under `scratch_dir`.
// PostgreSQL databases are created as cleanai_test_<random> on the test server.
std::string FreshDatabaseUrl(const std::string& backend, const std::string& scratch_dir);

// A new empty temporary directory.
std::string MakeTempDir();

}  // namespace cleanai::testing
