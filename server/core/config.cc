// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>

#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

extern char** environ;

namespace cleanai {
namespace {

// One configurable key: how to set it from TOML and from a string (environment).
struct Key {
  std::string section;
  std::string name;
  std::function<Status(const toml::node&, const std::string& key)> from_toml;
  std::function<Status(const std::string&, const std::string& key)> from_text;
};

Status Bad(const std::string& key, const std::string& why) {
  return Status::InvalidArgument("invalid configuration: " + key + ": " + why, {{key, why}});
}

Key IntKey(std::string section, std::string name, int64_t lo, int64_t hi,
           std::function<void(int64_t)> set) {
  auto check = [lo, hi, set](int64_t v, const std::string& key) {
    if (v < lo || v > hi) {
      return Bad(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    }
    set(v);
    return Status::Ok();
  };
  return Key{section, name,
             [check](const toml::node& n, const std::string& key) {
               auto v = n.value_exact<int64_t>();
               if (!v) return Bad(key, "must be an integer");
               return check(*v, key);
             },
             [check](const std::string& s, const std::string& key) {
               int64_t v = 0;
               auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
               if (ec != std::errc() || p != s.data() + s.size()) {
                 return Bad(key, "must be an integer");
               }
               return check(v, key);
             }};
}

Key StringKey(std::string section, std::string name,
              std::function<Status(const std::string&, const std::string&)> set) {
  return Key{section, name,
             [set](const toml::node& n, const std::string& key) {
               auto v = n.value_exact<std::string>();
               if (!v) return Bad(key, "must be a string");
               return set(*v, key);
             },
             set};
}

// A finite number in [lo, hi] (TOML integers are accepted too).
Key DoubleKey(std::string section, std::string name, double lo, double hi,
              std::function<void(double)> set) {
  auto check = [lo, hi, set](double v, const std::string& key) {
    if (!std::isfinite(v) || v < lo || v > hi) {
      std::ostringstream range;
      range << "must be a number from " << lo << " to " << hi;
      return Bad(key, range.str());
    }
    set(v);
    return Status::Ok();
  };
  return Key{section, name,
             [check](const toml::node& n, const std::string& key) {
               auto v = n.value<double>();
               if (!v || !(n.is_floating_point() || n.is_integer()))
                 return Bad(key, "must be a number");
               return check(*v, key);
             },
             [check](const std::string& s, const std::string& key) {
               char* end = nullptr;
               double v = std::strtod(s.c_str(), &end);
               if (s.empty() || end != s.c_str() + s.size()) return Bad(key, "must be a number");
               return check(v, key);
             }};
}

Key BoolKey(std::string section, std::string name, std::function<void(bool)> set) {
  return Key{section, name,
             [set](const toml::node& n, const std::string& key) {
               auto v = n.value_exact<bool>();
               if (!v) return Bad(key, "must be true or false");
               set(*v);
               return Status::Ok();
             },
             [set](const std::string& s, const std::string& key) {
               if (s == "true" || s == "1") {
                 set(true);
               } else if (s == "false" || s == "0") {
                 set(false);
               } else {
                 return Bad(key, "must be true or false");
               }
               return Status::Ok();
             }};
}

Key ListKey(std::string section, std::string name,
            std::function<Status(std::vector<std::string>, const std::string&)> set) {
  return Key{section, name,
             [set](const toml::node& n, const std::string& key) {
               const toml::array* arr = n.as_array();
               if (!arr) return Bad(key, "must be an array of strings");
               std::vector<std::string> out;
               for (const auto& el : *arr) {
                 auto v = el.value_exact<std::string>();
                 if (!v) return Bad(key, "must be an array of strings");
                 out.push_back(*v);
               }
               return set(std::move(out), key);
             },
             [set](const std::string& s, const std::string& key) {
               std::vector<std::string> out;
               std::stringstream ss(s);
               std::string item;
               while (std::getline(ss, item, ',')) {
                 if (!item.empty()) out.push_back(item);
               }
               return set(std::move(out), key);
             }};
}

std::vector<Key> Keys(Config& c) {
  auto any_string = [](std::string* dst) {
    return [dst](const std::string& v, const std::string&) {
      *dst = v;
      return Status::Ok();
    };
  };
  auto non_empty = [](std::string* dst) {
    return [dst](const std::string& v, const std::string& key) {
      if (v.empty()) return Bad(key, "must not be empty");
      *dst = v;
      return Status::Ok();
    };
  };
  return {
      StringKey("server", "listen", non_empty(&c.listen_address)),
      IntKey("server", "port", 0, 65535, [&c](int64_t v) { c.port = int(v); }),
      IntKey("server", "io_threads", 1, 64, [&c](int64_t v) { c.io_threads = int(v); }),
      IntKey("server", "worker_threads", 1, 256, [&c](int64_t v) { c.worker_threads = int(v); }),
      BoolKey("server", "quick_reads", [&c](bool v) { c.quick_reads = v; }),
      IntKey("server", "shutdown_grace_seconds", 0, 600,
             [&c](int64_t v) { c.shutdown_grace_seconds = int(v); }),
      StringKey("server", "public_url", non_empty(&c.public_url)),
      StringKey("server", "initial_admin_password_file",
                any_string(&c.initial_admin_password_file)),
      StringKey("database", "url",
                [&c](const std::string& v, const std::string& key) {
                  if (v.rfind("sqlite://", 0) != 0 && v.rfind("postgresql://", 0) != 0 &&
                      v.rfind("postgres://", 0) != 0) {
                    return Bad(key, "must start with sqlite:// or postgresql://");
                  }
                  c.database_url = v;
                  return Status::Ok();
                }),
      IntKey("database", "pool_size", 1, 256, [&c](int64_t v) { c.database_pool_size = int(v); }),
      StringKey("database", "read_url",
                [&c](const std::string& v, const std::string& key) {
                  if (!v.empty() && v.rfind("postgres", 0) != 0)
                    return Bad(key, "must be a postgresql:// URL (a streaming replica) or empty");
                  c.database_read_url = v;
                  return Status::Ok();
                }),
      IntKey("database", "read_pool_size", 1, 256,
             [&c](int64_t v) { c.database_read_pool_size = int(v); }),
      StringKey("storage", "data_dir", non_empty(&c.data_dir)),
      StringKey("storage", "secrets_dir", any_string(&c.secrets_dir)),
      StringKey("storage", "media_url",
                [&c](const std::string& v, const std::string& key) {
                  if (!v.empty() && v.rfind("s3://", 0) != 0)
                    return Bad(key, "must be s3://bucket/prefix or empty");
                  c.media_url = v;
                  return Status::Ok();
                }),
      StringKey("storage", "s3_endpoint",
                [&c](const std::string& v, const std::string& key) {
                  if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
                    return Bad(key, "must be an http:// or https:// URL");
                  }
                  c.s3_endpoint = v;
                  return Status::Ok();
                }),
      StringKey("storage", "s3_region", non_empty(&c.s3_region)),
      StringKey("storage", "s3_access_key", any_string(&c.s3_access_key)),
      StringKey("storage", "s3_secret_key", any_string(&c.s3_secret_key)),
      IntKey("storage", "orphan_grace_seconds", 1, 30 * 24 * 3600,
             [&c](int64_t v) { c.media_orphan_grace_seconds = int(v); }),
      IntKey("storage", "sweep_interval_seconds", 1, 7 * 24 * 3600,
             [&c](int64_t v) { c.media_sweep_interval_seconds = int(v); }),
      StringKey("web", "root", non_empty(&c.web_root)),
      StringKey("web", "map_tile_url",
                [&c](const std::string& v, const std::string& key) {
                  bool ok = (v.rfind("https://", 0) == 0 || v.rfind("http://", 0) == 0 ||
                             v.rfind("/", 0) == 0) &&
                            v.find("{z}") != std::string::npos &&
                            v.find_first_of(" ;'\"") == std::string::npos;
                  if (!ok) return Bad(key, "must be an http(s) or /path URL with {z}, {x}, {y}");
                  c.map_tile_url = v;
                  return Status::Ok();
                }),
      StringKey("web", "map_attribution", any_string(&c.map_attribution)),
      StringKey("geo", "cities_file", non_empty(&c.geo_cities_file)),
      StringKey("geo", "admin1_file", non_empty(&c.geo_admin1_file)),
      StringKey("geo", "nominatim_url",
                [&c](const std::string& v, const std::string& key) {
                  if (!v.empty() && v.rfind("https://", 0) != 0 && v.rfind("http://", 0) != 0) {
                    return Bad(key, "must be an http(s) URL or empty");
                  }
                  c.geo_nominatim_url = v;
                  return Status::Ok();
                }),
      IntKey("geo", "nominatim_timeout_seconds", 1, 30,
             [&c](int64_t v) { c.geo_nominatim_timeout_seconds = int(v); }),
      ListKey("http", "cors_origins",
              [&c](std::vector<std::string> v, const std::string& key) {
                for (const auto& o : v) {
                  if (o.rfind("http://", 0) != 0 && o.rfind("https://", 0) != 0) {
                    return Bad(key, "each origin must start with http:// or https://");
                  }
                }
                c.cors_origins = std::move(v);
                return Status::Ok();
              }),
      IntKey("http", "max_json_body_bytes", 1024, 64ll << 20,
             [&c](int64_t v) { c.max_json_body_bytes = v; }),
      IntKey("http", "max_upload_bytes", 1024, 1ll << 30,
             [&c](int64_t v) { c.max_upload_bytes = v; }),
      IntKey("http", "max_header_bytes", 1024, 1 << 20,
             [&c](int64_t v) { c.max_header_bytes = v; }),
      IntKey("http", "read_timeout_seconds", 1, 3600,
             [&c](int64_t v) { c.read_timeout_seconds = int(v); }),
      IntKey("http", "idle_timeout_seconds", 1, 3600,
             [&c](int64_t v) { c.idle_timeout_seconds = int(v); }),
      IntKey("http", "rate_limit_per_minute", 1, 10'000'000,
             [&c](int64_t v) { c.rate_limit_per_minute = int(v); }),
      BoolKey("http", "trust_proxy", [&c](bool v) { c.trust_proxy = v; }),
      StringKey("auth", "jwt_issuer", non_empty(&c.jwt_issuer)),
      IntKey("auth", "access_token_ttl_seconds", 10, 24 * 3600,
             [&c](int64_t v) { c.access_token_ttl_seconds = int(v); }),
      IntKey("auth", "session_cache_seconds", 0, 24 * 3600,
             [&c](int64_t v) { c.session_cache_seconds = int(v); }),
      IntKey("auth", "refresh_token_ttl_seconds", 60, 365 * 24 * 3600,
             [&c](int64_t v) { c.refresh_token_ttl_seconds = int(v); }),
      IntKey("auth", "login_max_failures", 1, 1000,
             [&c](int64_t v) { c.login_max_failures = int(v); }),
      IntKey("auth", "login_failure_window_seconds", 1, 24 * 3600,
             [&c](int64_t v) { c.login_failure_window_seconds = int(v); }),
      IntKey("auth", "login_throttle_seconds", 1, 24 * 3600,
             [&c](int64_t v) { c.login_throttle_seconds = int(v); }),
      IntKey("analytics", "utc_offset_minutes", -720, 840,
             [&c](int64_t v) { c.analytics_utc_offset_minutes = int(v); }),
      IntKey("alerts", "interval_seconds", 1, 3600,
             [&c](int64_t v) { c.alerts_interval_seconds = int(v); }),
      IntKey("alerts", "dispatch_limit_urgent_seconds", 0, 30 * 86400,
             [&c](int64_t v) { c.alerts_dispatch_limit_urgent_seconds = int(v); }),
      IntKey("alerts", "dispatch_limit_high_seconds", 0, 30 * 86400,
             [&c](int64_t v) { c.alerts_dispatch_limit_high_seconds = int(v); }),
      IntKey("alerts", "dispatch_limit_medium_seconds", 0, 30 * 86400,
             [&c](int64_t v) { c.alerts_dispatch_limit_medium_seconds = int(v); }),
      IntKey("alerts", "dispatch_limit_low_seconds", 0, 30 * 86400,
             [&c](int64_t v) { c.alerts_dispatch_limit_low_seconds = int(v); }),
      IntKey("alerts", "surge_reports", 2, 10000,
             [&c](int64_t v) { c.alerts_surge_reports = int(v); }),
      IntKey("alerts", "surge_radius_m", 10, 5000,
             [&c](int64_t v) { c.alerts_surge_radius_m = int(v); }),
      IntKey("alerts", "surge_window_hours", 1, 24 * 30,
             [&c](int64_t v) { c.alerts_surge_window_hours = int(v); }),
      IntKey("alerts", "load_percent", 1, 100, [&c](int64_t v) { c.alerts_load_percent = int(v); }),
      IntKey("alerts", "gps_stale_seconds", 1, 7 * 86400,
             [&c](int64_t v) { c.alerts_gps_stale_seconds = int(v); }),
      IntKey("alerts", "repeat_after_seconds", 0, 30 * 86400,
             [&c](int64_t v) { c.alerts_repeat_after_seconds = int(v); }),
      StringKey("flood", "weather_url",
                [&c](const std::string& v, const std::string& key) {
                  if (!v.empty() && v.rfind("https://", 0) != 0 && v.rfind("http://", 0) != 0) {
                    return Bad(key, "must be an http(s) URL or empty");
                  }
                  c.flood_weather_url = v;
                  return Status::Ok();
                }),
      StringKey("flood", "weather_api_key", any_string(&c.flood_weather_api_key)),
      IntKey("flood", "weather_timeout_seconds", 1, 60,
             [&c](int64_t v) { c.flood_weather_timeout_seconds = int(v); }),
      ListKey("fleet", "depots",
              [&c](std::vector<std::string> v, const std::string& key) {
                for (const auto& d : v) {
                  double lat = 0, lng = 0;
                  char extra = 0;
                  if (std::sscanf(d.c_str(), "%lf %lf %c", &lat, &lng, &extra) != 2 || lat < -90 ||
                      lat > 90 || lng < -180 || lng > 180) {
                    return Bad(key, "each depot is \"lat lng\", e.g. \"31.5204 74.3587\"");
                  }
                }
                c.fleet_depots = std::move(v);
                return Status::Ok();
              }),
      IntKey("fleet", "road_factor_percent", 100, 300,
             [&c](int64_t v) { c.fleet_road_factor_percent = int(v); }),
      IntKey("fleet", "speed_kmh", 1, 150, [&c](int64_t v) { c.fleet_speed_kmh = int(v); }),
      IntKey("fleet", "service_minutes", 0, 240,
             [&c](int64_t v) { c.fleet_service_minutes = int(v); }),
      IntKey("fleet", "shift_minutes", 10, 24 * 60,
             [&c](int64_t v) { c.fleet_shift_minutes = int(v); }),
      StringKey("fleet", "osrm_url",
                [&c](const std::string& v, const std::string& key) {
                  if (!v.empty() && v.rfind("https://", 0) != 0 && v.rfind("http://", 0) != 0) {
                    return Bad(key, "must be an http(s) URL or empty");
                  }
                  c.fleet_osrm_url = v;
                  return Status::Ok();
                }),
      IntKey("fleet", "osrm_max_points", 2, 10000,
             [&c](int64_t v) { c.fleet_osrm_max_points = int(v); }),
      IntKey("fleet", "osrm_timeout_seconds", 1, 60,
             [&c](int64_t v) { c.fleet_osrm_timeout_seconds = int(v); }),
      StringKey("notify", "smtp_url",
                [&c](const std::string& v, const std::string& key) {
                  if (!v.empty() && v.rfind("smtp://", 0) != 0 && v.rfind("smtps://", 0) != 0) {
                    return Bad(key, "must be an smtp:// or smtps:// URL, or empty");
                  }
                  c.notify_smtp_url = v;
                  return Status::Ok();
                }),
      StringKey("notify", "smtp_username", any_string(&c.notify_smtp_username)),
      StringKey("notify", "smtp_password", any_string(&c.notify_smtp_password)),
      StringKey("notify", "smtp_from",
                [&c](const std::string& v, const std::string& key) {
                  auto lt = v.find('<'), gt = v.find('>');
                  if (lt == std::string::npos || gt == std::string::npos || gt < lt + 3 ||
                      v.find('@', lt) > gt || v.find_first_of("\r\n") != std::string::npos) {
                    return Bad(key, "must look like: CleanAI <noreply@city.example>");
                  }
                  c.notify_smtp_from = v;
                  return Status::Ok();
                }),
      BoolKey("notify", "smtp_starttls", [&c](bool v) { c.notify_smtp_starttls = v; }),
      IntKey("notify", "smtp_timeout_seconds", 1, 300,
             [&c](int64_t v) { c.notify_smtp_timeout_seconds = int(v); }),
      StringKey("notify", "twilio_account_sid", any_string(&c.notify_twilio_account_sid)),
      StringKey("notify", "twilio_auth_token", any_string(&c.notify_twilio_auth_token)),
      StringKey("notify", "twilio_from", any_string(&c.notify_twilio_from)),
      StringKey("notify", "twilio_base_url",
                [&c](const std::string& v, const std::string& key) {
                  if (v.rfind("https://", 0) != 0 && v.rfind("http://", 0) != 0) {
                    return Bad(key, "must be an http(s) URL");
                  }
                  c.notify_twilio_base_url = v;
                  return Status::Ok();
                }),
      IntKey("notify", "max_attempts", 1, 50, [&c](int64_t v) { c.notify_max_attempts = int(v); }),
      IntKey("notify", "retry_base_seconds", 1, 3600,
             [&c](int64_t v) { c.notify_retry_base_seconds = int(v); }),
      IntKey("notify", "worker_interval_ms", 50, 600000,
             [&c](int64_t v) { c.notify_worker_interval_ms = int(v); }),
      BoolKey("notify", "push", [&c](bool v) { c.notify_push = v; }),
      ListKey("notify", "push_hosts",
              [&c](std::vector<std::string> v, const std::string& key) {
                for (const auto& h : v) {
                  if (h.empty() || h.find_first_of(":/ ") != std::string::npos) {
                    return Bad(key, "each entry is a host name, like fcm.googleapis.com");
                  }
                }
                c.notify_push_hosts = std::move(v);
                return Status::Ok();
              }),
      StringKey("notify", "push_subject",
                [&c](const std::string& v, const std::string& key) {
                  if (!v.empty() && v.rfind("mailto:", 0) != 0 && v.rfind("https://", 0) != 0) {
                    return Bad(key, "must be a mailto: or https: URI, or empty");
                  }
                  c.notify_push_subject = v;
                  return Status::Ok();
                }),
      StringKey("ai", "model", any_string(&c.ai_model)),
      IntKey("ai", "threads", 0, 64, [&c](int64_t v) { c.ai_threads = int(v); }),
      IntKey("ai", "queue", 1, 1000, [&c](int64_t v) { c.ai_queue = int(v); }),
      DoubleKey("ai", "confidence", 0.01, 0.99, [&c](double v) { c.ai_confidence = v; }),
      DoubleKey("ai", "iou", 0.05, 0.95, [&c](double v) { c.ai_iou = v; }),
      DoubleKey("ai", "large_coverage", 0.01, 1.0, [&c](double v) { c.ai_large_coverage = v; }),
      IntKey("ai", "analyze_per_minute", 1, 10000,
             [&c](int64_t v) { c.ai_analyze_per_minute = int(v); }),
      StringKey("tls", "cert_file", any_string(&c.tls_cert_file)),
      StringKey("tls", "key_file", any_string(&c.tls_key_file)),
      StringKey("log", "level",
                [&c](const std::string& v, const std::string& key) {
                  if (v != "debug" && v != "info" && v != "warn" && v != "error")
                    return Bad(key, "must be debug, info, warn or error");
                  c.log_level = v;
                  return Status::Ok();
                }),
  };
}

std::string EnvName(const Key& k) {
  std::string s = "CLEANAI_" + k.section + "_" + k.name;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return std::toupper(ch); });
  return s;
}

// toml++ 3.3 (Debian 12) reaches __builtin_unreachable() when it asks whether some
// non-ASCII characters are whitespace (its lookup table has holes: U+00A1..U+0499,
// U+2E5E..U+3257, U+FE56..U+FEFE), which it does wherever whitespace may stand — and in
// a malformed file that can be anywhere (found by fuzz/config_fuzz twice). So toml++ is
// only ever given ASCII: other characters are written as \uXXXX escapes in strings, or
// the value is set in the environment. Returns 0, or the first offending line.
int FirstNonAsciiLine(std::string_view text) {
  int line = 1;
  for (char ch : text) {
    if (ch == '\n') ++line;
    if (static_cast<unsigned char>(ch) >= 0x80) return line;
  }
  return 0;
}

// http://localhost, http://127.0.0.1:4000, http://[::1]/…: this machine.
bool NamesThisMachine(const std::string& url) {
  for (const char* prefix : {"http://localhost", "http://127.", "http://[::1]"}) {
    if (url.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// [[auth.oidc]] tables: every field checked and named on error.
Status ParseOidcProviders(const toml::node& node, std::vector<OidcProviderConfig>* out) {
  const toml::array* list = node.as_array();
  if (!list) return Bad("auth.oidc", "must be [[auth.oidc]] tables");
  for (const auto& item : *list) {
    const toml::table* t = item.as_table();
    if (!t) return Bad("auth.oidc", "must be [[auth.oidc]] tables");
    OidcProviderConfig p;
    std::string where = "auth.oidc[" + std::to_string(out->size()) + "]";
    for (const auto& [k, node] : *t) {
      const toml::node& v = node;  // a named reference: lambdas cannot capture bindings (clang 14)
      std::string key(k.str());
      std::string full = where + "." + key;
      auto text = [&](std::string* dst) {
        auto s = v.value_exact<std::string>();
        if (!s) return Bad(full, "must be a string");
        *dst = *s;
        return Status::Ok();
      };
      Status st = Status::Ok();
      if (key == "id") {
        st = text(&p.id);
      } else if (key == "display_name") {
        st = text(&p.display_name);
      } else if (key == "issuer") {
        st = text(&p.issuer);
      } else if (key == "client_id") {
        st = text(&p.client_id);
      } else if (key == "client_secret") {
        st = text(&p.client_secret);
      } else if (key == "new_account_role") {
        st = text(&p.new_account_role);
      } else if (key == "allow_admins") {
        auto b = v.value_exact<bool>();
        if (!b) return Bad(full, "must be true or false");
        p.allow_admins = *b;
      } else if (key == "scopes") {
        const toml::array* a = v.as_array();
        if (!a) return Bad(full, "must be an array of strings");
        p.scopes.clear();
        for (const auto& el : *a) {
          auto s = el.value_exact<std::string>();
          if (!s) return Bad(full, "must be an array of strings");
          p.scopes.push_back(*s);
        }
      } else {
        return Bad(full, "unknown configuration key");
      }
      if (!st.ok()) return st;
    }
    if (p.id.empty() || p.id.size() > 32 || !std::all_of(p.id.begin(), p.id.end(), [](char ch) {
          return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
        })) {
      return Bad(where + ".id", "must be 1-32 lower-case letters, digits or '-'");
    }
    where = "auth.oidc." + p.id;
    for (const auto& other : *out) {
      if (other.id == p.id) return Bad(where + ".id", "is used twice");
    }
    if (p.display_name.empty()) p.display_name = p.id;
    if (p.issuer.rfind("https://", 0) != 0 && !NamesThisMachine(p.issuer)) {
      return Bad(where + ".issuer", "must be an https:// URL");
    }
    if (p.client_id.empty()) return Bad(where + ".client_id", "must not be empty");
    if (std::find(p.scopes.begin(), p.scopes.end(), "openid") == p.scopes.end()) {
      return Bad(where + ".scopes", "must include openid");
    }
    if (p.new_account_role != "citizen" && p.new_account_role != "driver") {
      return Bad(where + ".new_account_role", "must be citizen or driver");
    }
    out->push_back(std::move(p));
  }
  return Status::Ok();
}

}  // namespace

Result<Config> LoadConfig(const std::string& path, const std::map<std::string, std::string>& env) {
  Config c;
  std::vector<Key> keys = Keys(c);

  if (!path.empty()) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return Err(Status::InvalidArgument("cannot read configuration file " + path));
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (text.size() > 1024 * 1024) {
      return Err(Status::InvalidArgument("configuration file " + path + " is over 1 MB"));
    }
    if (int bad = FirstNonAsciiLine(text); bad != 0) {
      return Err(Status::InvalidArgument(
          "invalid configuration file " + path + " at line " + std::to_string(bad) +
          ": the file must be ASCII (write other characters as \\uXXXX in a string, or set the "
          "value in the environment)"));
    }
    toml::parse_result parsed = toml::parse(text, path);
    if (!parsed) {
      const auto& err = parsed.error();
      std::ostringstream msg;
      msg << "invalid configuration file " << path << " at line " << err.source().begin.line
          << ", column " << err.source().begin.column << ": " << err.description();
      return Err(Status::InvalidArgument(msg.str()));
    }
    const toml::table& root = parsed.table();
    for (const auto& [section_name, section_node] : root) {
      std::string section(section_name.str());
      const toml::table* table = section_node.as_table();
      if (!table) return Err(Bad(section, "must be a table like [" + section + "]"));
      for (const auto& [key_name, value] : *table) {
        std::string key(key_name.str());  // a named copy: lambdas cannot capture bindings (C++20)
        std::string full = section + "." + key;
        auto it = std::find_if(keys.begin(), keys.end(),
                               [&](const Key& k) { return k.section == section && k.name == key; });
        if (full == "auth.oidc") {
          Status st = ParseOidcProviders(value, &c.oidc_providers);
          if (!st.ok()) return Err(st);
          continue;
        }
        if (it == keys.end()) return Err(Bad(full, "unknown configuration key"));
        Status st = it->from_toml(value, full);
        if (!st.ok()) return Err(st);
      }
    }
  }

  for (const auto& [env_name, value] : env) {
    const std::string& name = env_name;
    if (name.rfind("CLEANAI_", 0) != 0) continue;
    auto it =
        std::find_if(keys.begin(), keys.end(), [&](const Key& k) { return EnvName(k) == name; });
    if (it == keys.end()) continue;  // other CLEANAI_* variables belong to tools and tests
    Status st = it->from_text(value, name);
    if (!st.ok()) return Err(st);
  }

  // A provider's secret from the environment: CLEANAI_AUTH_OIDC_<ID>_CLIENT_SECRET.
  for (auto& p : c.oidc_providers) {
    std::string name = "CLEANAI_AUTH_OIDC_" + p.id + "_CLIENT_SECRET";
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) {
      return ch == '-' ? '_' : static_cast<char>(std::toupper(ch));
    });
    if (auto e = env.find(name); e != env.end()) p.client_secret = e->second;
    if (p.client_secret.empty()) {
      return Err(
          Bad("auth.oidc." + p.id + ".client_secret", "missing: set it in the file or in " + name));
    }
  }
  if (!c.media_url.empty() &&
      (c.s3_endpoint.empty() || c.s3_access_key.empty() || c.s3_secret_key.empty())) {
    return Err(Bad("storage.media_url",
                   "an s3:// store needs storage.s3_endpoint, storage.s3_access_key and "
                   "storage.s3_secret_key"));
  }
  if (c.tls_cert_file.empty() != c.tls_key_file.empty()) {
    return Err(Bad("tls.key_file", "tls.cert_file and tls.key_file must be set together"));
  }
  return c;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) out[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return out;
}

}  // namespace cleanai
