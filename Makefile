# The two commands: `make run` and `make test`. Everything else is a helper.
PRESET ?= release
BUILD_DIR := build/$(PRESET)

.PHONY: run test build setup setup-test bench format clean

run: setup build
	$(BUILD_DIR)/cleanai serve --demo

test: setup-test build
	scripts/run-tests.sh $(BUILD_DIR)

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

build:
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)

bench: setup-test build
	bench/auth_load.sh $(BUILD_DIR)

format:
	scripts/format.sh

clean:
	rm -rf build
