// SPDX-License-Identifier: AGPL-3.0-or-later
#include "auth/oidc.h"

#include <sodium.h>

#include <boost/json.hpp>
#include <chrono>

#include "core/crypto.h"
#include "core/log.h"
#include "http/client.h"
#include "http/message.h"

namespace cleanai {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

constexpr auto kMetadataFor = std::chrono::hours(1);
constexpr auto kKeysAtMostEvery = seconds(10);  // forced JWKS refreshes (unknown kid)
constexpr int64_t kSkewSeconds = 60;            // clocks differ
constexpr int64_t kMaxTokenAgeSeconds = 600;    // an ID token is used at once

std::string Field(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

std::optional<int64_t> NumericDate(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->as_double());
  return std::nullopt;
}

// Some providers send email_verified as "true".
bool TrueClaim(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  return v && ((v->is_bool() && v->as_bool()) || (v->is_string() && v->as_string() == "true"));
}

Result<json::object> FetchJson(const std::string& url, const std::string& what,
                               const std::vector<std::string>& headers = {}) {
  OutgoingRequest req;
  req.url = url;
  req.max_body_bytes = 512 * 1024;
  auto resp = HttpSend("GET", req, headers);
  if (!resp) return Err(Status::Unavailable(what + ": " + resp.error().message()));
  if (resp->status != 200)
    return Err(Status::Unavailable(what + ": HTTP " + std::to_string(resp->status)));
  boost::system::error_code ec;
  json::value v = json::parse(resp->body, ec);
  if (ec || !v.is_object()) return Err(Status::Unavailable(what + ": not a JSON object"));
  return std::move(v.as_object());
}

// An endpoint the provider names must be https (or on this machine, like the issuer).
bool AcceptableEndpoint(const std::string& url, const std::string& issuer) {
  if (url.rfind("https://", 0) == 0) return true;
  return issuer.rfind("http://", 0) == 0 && OriginOf(url) == OriginOf(issuer);
}

}  // namespace

std::string PkceChallenge(const std::string& verifier) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size());
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

Result<OidcClient::Metadata> OidcClient::Discover() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (meta_ && clock_.Now() - meta_at_ < kMetadataFor) return *meta_;
  }
  std::string base = provider_.issuer;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto doc = FetchJson(base + "/.well-known/openid-configuration",
                       "the sign-in provider " + provider_.display_name + " cannot be reached");
  if (!doc) {
    std::lock_guard<std::mutex> lock(mu_);
    if (meta_) return *meta_;  // keep working on what we knew
    return Err(doc.error());
  }
  Metadata m{
      Field(*doc, "issuer"),   Field(*doc, "authorization_endpoint"), Field(*doc, "token_endpoint"),
      Field(*doc, "jwks_uri"), Field(*doc, "userinfo_endpoint"),      true};
  // OpenID Connect Discovery 4.3: the document must name exactly the configured issuer.
  if (m.issuer != provider_.issuer) {
    return Err(Status::Unavailable("the provider " + provider_.display_name +
                                   " names another issuer (" + m.issuer + ")"));
  }
  for (const std::string* url : {&m.authorization_endpoint, &m.token_endpoint, &m.jwks_uri}) {
    if (url->empty() || !AcceptableEndpoint(*url, m.issuer))
      return Err(Status::Unavailable("the provider's discovery document lacks an endpoint"));
  }
  if (!m.userinfo_endpoint.empty() && !AcceptableEndpoint(m.userinfo_endpoint, m.issuer))
    m.userinfo_endpoint.clear();
  if (const json::value* methods = doc->if_contains("token_endpoint_auth_methods_supported");
      methods && methods->is_array()) {
    bool basic = false, post = false;
    for (const auto& x : methods->as_array()) {
      basic = basic || (x.is_string() && x.as_string() == "client_secret_basic");
      post = post || (x.is_string() && x.as_string() == "client_secret_post");
    }
    m.basic_auth = basic || !post;
  }
  std::lock_guard<std::mutex> lock(mu_);
  meta_ = m;
  meta_at_ = clock_.Now();
  return m;
}

Result<std::vector<PublicJwk>> OidcClient::Keys(const Metadata& meta, bool refresh) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto now = clock_.Now();
    // Forced fetches (an unknown kid) at most every 10 s: a stream of made-up key ids
    // cannot turn us into a load on the provider.
    const bool may_force = now - forced_at_ >= kKeysAtMostEvery;
    if (!keys_.empty() && now - keys_at_ < kMetadataFor && (!refresh || !may_force)) return keys_;
    if (refresh) forced_at_ = now;
  }
  auto doc = FetchJson(meta.jwks_uri, "the provider's keys cannot be fetched");
  if (!doc) return Err(doc.error());
  auto keys = ParseJwks(json::serialize(*doc));
  if (!keys) return Err(Status::Unavailable("the provider's keys: " + keys.error().message()));
  std::lock_guard<std::mutex> lock(mu_);
  keys_ = *keys;
  keys_at_ = clock_.Now();
  return keys_;
}

Result<std::string> OidcClient::AuthorizationUrl(const std::string& state, const std::string& nonce,
                                                 const std::string& code_challenge) {
  auto meta = Discover();
  if (!meta) return Err(meta.error());
  std::string scopes;
  for (const auto& s : provider_.scopes) scopes += (scopes.empty() ? "" : " ") + s;
  std::string url = meta->authorization_endpoint;
  url += url.find('?') == std::string::npos ? "?" : "&";
  url += "response_type=code&client_id=" + UrlEscape(provider_.client_id) +
         "&redirect_uri=" + UrlEscape(redirect_uri_) + "&scope=" + UrlEscape(scopes) +
         "&state=" + UrlEscape(state) + "&nonce=" + UrlEscape(nonce) +
         "&code_challenge=" + UrlEscape(code_challenge) + "&code_challenge_method=S256";
  return url;
}

Result<OidcIdentity> OidcClient::CheckIdToken(const Metadata& meta, const std::string& id_token,
                                              const std::string& nonce) {
  auto jws = DecodeJws(id_token);
  if (!jws) return Err(jws.error());
  auto keys = Keys(meta, false);
  if (!keys) return Err(keys.error());
  Status signature = VerifyJws(id_token, *jws, *keys);
  if (signature.code() == StatusCode::kNotFound) {
    // A key we have not seen: the provider may have rotated. Ask once more.
    keys = Keys(meta, true);
    if (!keys) return Err(keys.error());
    signature = VerifyJws(id_token, *jws, *keys);
  }
  if (signature.code() == StatusCode::kNotFound)
    return Err(Status::Unauthenticated("the ID token names an unknown key"));
  if (!signature.ok()) return Err(Status::Unauthenticated("the ID token's signature is invalid"));

  const json::object& c = jws->payload;
  auto fail = [](const std::string& why) { return Err(Status::Unauthenticated(why)); };
  if (Field(c, "iss") != provider_.issuer) return fail("the ID token is from another issuer");
  const json::value* aud = c.if_contains("aud");
  size_t audiences = 0;
  bool ours = false;
  if (aud && aud->is_string()) {
    audiences = 1;
    ours = aud->as_string() == provider_.client_id;
  } else if (aud && aud->is_array()) {
    for (const auto& a : aud->as_array()) {
      ++audiences;
      ours = ours || (a.is_string() && a.as_string() == provider_.client_id);
    }
  }
  if (!ours) return fail("the ID token is for another audience");
  const std::string azp = Field(c, "azp");
  if ((audiences > 1 && azp.empty()) || (!azp.empty() && azp != provider_.client_id))
    return fail("the ID token was issued to another party (azp)");
  const int64_t now = std::chrono::duration_cast<seconds>(clock_.Now().time_since_epoch()).count();
  auto exp = NumericDate(c, "exp"), iat = NumericDate(c, "iat"), nbf = NumericDate(c, "nbf");
  if (!exp || !iat) return fail("the ID token lacks exp or iat");
  if (*exp + kSkewSeconds < now) return fail("the ID token has expired");
  if (*iat > now + kSkewSeconds || (nbf && *nbf > now + kSkewSeconds))
    return fail("the ID token is not valid yet");
  if (*iat + kMaxTokenAgeSeconds + kSkewSeconds < now) return fail("the ID token is too old");
  if (Field(c, "nonce").empty() || !ConstantTimeEquals(Field(c, "nonce"), nonce))
    return fail("the ID token's nonce does not match this sign-in");
  OidcIdentity who;
  who.provider_id = provider_.id;
  who.issuer = provider_.issuer;
  who.subject = Field(c, "sub");
  if (who.subject.empty() || who.subject.size() > 255) return fail("the ID token has no subject");
  who.email = Field(c, "email");
  who.email_verified = TrueClaim(c, "email_verified");
  who.name = Field(c, "name");
  who.preferred_username = Field(c, "preferred_username");
  return who;
}

Result<OidcIdentity> OidcClient::Redeem(const std::string& code, const std::string& verifier,
                                        const std::string& nonce) {
  auto meta = Discover();
  if (!meta) return Err(meta.error());
  std::vector<std::pair<std::string, std::string>> form{{"grant_type", "authorization_code"},
                                                        {"code", code},
                                                        {"redirect_uri", redirect_uri_},
                                                        {"code_verifier", verifier}};
  OutgoingRequest req;
  req.url = meta->token_endpoint;
  req.max_body_bytes = 256 * 1024;
  Result<OutgoingResponse> resp = Err(Status::Internal("not sent"));
  if (meta->basic_auth) {
    resp = HttpPostForm(req, form, provider_.client_id, provider_.client_secret);
  } else {
    form.emplace_back("client_id", provider_.client_id);
    form.emplace_back("client_secret", provider_.client_secret);
    resp = HttpPostForm(req, form, "", "");
  }
  if (!resp) {
    return Err(Status::Unavailable("the sign-in provider " + provider_.display_name +
                                   " cannot be reached: " + resp.error().message()));
  }
  boost::system::error_code ec;
  json::value body = json::parse(resp->body, ec);
  if (resp->status != 200 || ec || !body.is_object()) {
    std::string error = !ec && body.is_object() ? Field(body.as_object(), "error") : "";
    return Err(Status::Unauthenticated("the provider did not accept the code (HTTP " +
                                       std::to_string(resp->status) +
                                       (error.empty() ? "" : ", " + error) + ")"));
  }
  const std::string id_token = Field(body.as_object(), "id_token");
  if (id_token.empty()) return Err(Status::Unauthenticated("the provider sent no ID token"));
  auto who = CheckIdToken(*meta, id_token, nonce);
  if (!who) return who;
  const std::string access_token = Field(body.as_object(), "access_token");
  if (who->email.empty() && !meta->userinfo_endpoint.empty() && !access_token.empty()) {
    auto info = FetchJson(meta->userinfo_endpoint, "the provider's userinfo",
                          {"Authorization: Bearer " + access_token});
    // OpenID Connect Core 5.3.2: the answer counts only for the same subject.
    if (info && Field(*info, "sub") == who->subject) {
      who->email = Field(*info, "email");
      who->email_verified = TrueClaim(*info, "email_verified");
      if (who->name.empty()) who->name = Field(*info, "name");
      if (who->preferred_username.empty())
        who->preferred_username = Field(*info, "preferred_username");
    }
  }
  return who;
}

}  // namespace cleanai
