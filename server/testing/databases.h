// SPDX-License-Identifier: AGPL-3.0-or-later
// Which database backends the tests run on, and fresh empty databases for them.
// SQLite always; PostgreSQL when CLEANAI_TEST_PG_URL names a server (scripts/run-tests.sh
// starts one). With CLEANAI_REQUIRE_POSTGRES=1 a missing server is a failure, not a skip,
// so `make test` cannot pass on SQLite alone.
#pragma once

#include <string>
#include <vector>

namespace cleanai::testing {

// "sqlite" and "postgres": always both, so the test list does not depend on the
// environment at build time.
std::vector<std::string> TestBackends();

// False when `backend` cannot run here and may be skipped: PostgreSQL without
// CLEANAI_TEST_PG_URL, unless CLEANAI_REQUIRE_POSTGRES=1 (then the tests run and fail).
bool BackendAvailable(const std::string& backend);

// A URL for a new, empty database on `backend`. SQLite files go under `scratch_dir`.
// PostgreSQL databases are created as cleanai_test_<random> on the test server.
std::string FreshDatabaseUrl(const std::string& backend, const std::string& scratch_dir);

// A new empty temporary directory.
std::string MakeTempDir();

}  // namespace cleanai::testing
