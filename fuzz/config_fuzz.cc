// SPDX-License-Identifier: AGPL-3.0-or-later
// The TOML configuration file (toml++) and its typed keys, and environment overrides.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

#include "core/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/cleanai-fuzz-config-" + std::to_string(getpid()) + ".toml";
  std::string text(reinterpret_cast<const char*>(data), size);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  (void)cleanai::LoadConfig(path, {});
  // The same bytes as an environment value for a few typed keys.
  std::string value = text.substr(0, text.find('\0'));
  (void)cleanai::LoadConfig("", {{"CLEANAI_SERVER_PORT", value},
                                 {"CLEANAI_FLEET_DEPOTS", value},
                                 {"CLEANAI_HTTP_CORS_ORIGINS", value}});
  return 0;
}
