// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/client.h"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

namespace cleanai {
void InitCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

namespace {

struct Sink {
  std::string* body;
  size_t limit;
};

size_t Collect(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->body->size() + size * n > sink->limit) return 0;  // aborts the transfer
  sink->body->append(data, size * n);
  return size * n;
}

size_t CollectHeader(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
  std::string line(data, size * n);
  size_t colon = line.find(':');
  if (colon != std::string::npos && headers->size() < 100) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.pop_back();
    headers->emplace_back(std::move(name), std::move(value));
  }
  return size * n;
}

// One transfer with the settings every outgoing call shares; `setup` adds the method,
// body and headers.
template <typename Setup>
Result<OutgoingResponse> Perform(const OutgoingRequest& request, Setup setup) {
  InitCurl();
  CURL* curl = curl_easy_init();
  if (!curl) return Err(Status::Unavailable("cannot start an HTTP client"));
  OutgoingResponse out;
  Sink sink{&out.body, request.max_body_bytes};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &out.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(request.timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, request.user_agent.c_str());
  curl_slist* headers = setup(curl);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
  curl_easy_cleanup(curl);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) return Err(Status::Unavailable(curl_easy_strerror(rc)));
  return out;
}

}  // namespace

Result<OutgoingResponse> HttpGet(const OutgoingRequest& request) {
  return Perform(request, [](CURL*) -> curl_slist* { return nullptr; });
}

Result<OutgoingResponse> HttpPostForm(
    const OutgoingRequest& request, const std::vector<std::pair<std::string, std::string>>& fields,
    const std::string& username, const std::string& password) {
  std::string body;
  for (const auto& [k, v] : fields)
    body += (body.empty() ? "" : "&") + UrlEscape(k) + "=" + UrlEscape(v);
  return Perform(request, [&](CURL* curl) -> curl_slist* {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    if (!username.empty()) {
      curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(curl, CURLOPT_USERNAME, username.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
    }
    return nullptr;
  });
}

Result<OutgoingResponse> HttpPost(const OutgoingRequest& request,
                                  const std::vector<std::string>& headers,
                                  const std::string& body) {
  return Perform(request, [&](CURL* curl) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_slist* list = curl_slist_append(nullptr, "Expect:");  // no 100-continue round trip
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    return list;
  });
}

Result<OutgoingResponse> HttpSend(const std::string& method, const OutgoingRequest& request,
                                  const std::vector<std::string>& headers,
                                  const std::string& body) {
  return Perform(request, [&](CURL* curl) {
    if (method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (method != "GET") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (method == "PUT" || method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    curl_slist* list = curl_slist_append(nullptr, "Expect:");
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    return list;
  });
}

std::string UrlEscape(const std::string& text) {
  InitCurl();
  char* e = curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size()));
  std::string out = e ? e : "";
  curl_free(e);
  return out;
}

}  // namespace cleanai
