# The two commands: `make run` and `make test`. Everything else is a helper.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
WEB_SOURCES := $(shell find web/src web/index.html web/public web/vite.config.ts web/tsconfig.json web/tailwind.config.js web/scripts web/package.json -type f 2>/dev/null)

.PHONY: run test lint deb test-package test-cluster test-asan test-tsan fuzz security-scan soak build server web setup setup-test bench format clean

run: setup build
	$(BUILD_DIR)/cleanai serve --demo

test: setup-test build
	scripts/run-tests.sh $(BUILD_DIR)

# The house rules, as CI checks them: every C++ file clang-formatted, each server folder
# including only the folders it may use (scripts/check-layers.py), and ESLint on the web
# app (hooks, no import cycles, features that use only lib/, components/ and themselves).
lint: setup-test web/node_modules/.installed
	scripts/format.sh --check
	scripts/check-layers.py
	scripts/spdx.py --check
	scripts/check-prometheus.sh
	cd web && npm run --silent lint

# The hardening jobs CI runs after `make test` (docs/security.md): the whole ctest suite
# under AddressSanitizer + UBSan, the threaded parts under ThreadSanitizer, and every fuzz
# target for SECONDS each.
SECONDS ?= 30
# The cluster a city runs, on loopback: PostgreSQL, Swift, three instances and nginx
# (deploy/nginx/), with a SIGKILL and a rolling restart under load (tests/cluster/).
test-cluster: setup-test build
	scripts/with-postgres.sh scripts/with-swift.sh env CLEANAI_BINARY=$(BUILD_DIR)/cleanai node --test tests/cluster/

test-asan: setup-test web
	scripts/run-sanitized-tests.sh asan

test-tsan: setup-test web
	scripts/run-sanitized-tests.sh tsan

fuzz: setup-test
	scripts/fuzz.sh $(SECONDS)

# The Debian package from the release build (packaging/), then what a city's IT team
# would check: lintian, systemd-analyze verify, and an install, start, remove and purge
# in a throw-away root (tests/package/).
deb: build
	cd $(BUILD_DIR) && cpack -G DEB >/dev/null && ls -1 $(CURDIR)/$(BUILD_DIR)/cleanai_*.deb

test-package: setup-test deb
	tests/package/test-package.sh $(BUILD_DIR)

# Not in CI (tens of minutes): sqlmap and wapiti against a seeded server; 10 minutes of
# mixed traffic. Their last results are in docs/security.md and docs/performance.md.
security-scan: build
	@scripts/setup.sh --security
	scripts/security-scan.sh $(BUILD_DIR)

soak: setup-test build
	bench/soak.sh

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

build: server web

server:
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)

web: web/dist/index.html

# npm ci only when the lock file changed; the build only when a source changed.
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	cd web && npm run --silent build

bench: setup-test build
	bench/auth_load.sh $(BUILD_DIR)
	bench/reports_load.sh $(BUILD_DIR)
	bench/analytics_load.sh $(BUILD_DIR)
	node bench/web_load.mjs
	$(BUILD_DIR)/geo_bench

format:
	scripts/format.sh

clean:
	rm -rf build web/dist
