// SPDX-License-Identifier: AGPL-3.0-or-later
// The parts of JOSE an OpenID Connect relying party needs: public keys from a JWK Set
// (RSA of 2048 bits or more, EC P-256) and compact JWS signatures made with RS256 or
// ES256. Nothing else is accepted: not "none", not HMAC (a provider's public key used as
// an HMAC secret is the classic algorithm-confusion attack), not other curves.
#pragma once

#include <openssl/types.h>

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cleanai {

struct PublicJwk {
  std::string kid;
  std::string kty;  // "RSA" or "EC"
  std::string alg;  // as the set says ("" when it does not)
  std::shared_ptr<EVP_PKEY> key;
};

// The signing keys of a JWK Set document; keys we cannot use (encryption keys, other
// types or curves, short RSA moduli) are left out. InvalidArgument when it is not a set.
Result<std::vector<PublicJwk>> ParseJwks(std::string_view json);

struct DecodedJws {
  boost::json::object header;
  boost::json::object payload;
  std::string alg, kid;
};

// Splits and decodes a compact JWS (nothing verified yet). Unauthenticated when it is
// not three base64url parts of JSON objects, or its alg is not RS256 or ES256.
Result<DecodedJws> DecodeJws(std::string_view compact);

// Verifies the signature with the key the header names (or, when it names none, with
// any key of the right type). NotFound when no key has that id (fetch the set again:
// the provider may have rotated); Unauthenticated when the signature is wrong.
Status VerifyJws(std::string_view compact, const DecodedJws& decoded,
                 const std::vector<PublicJwk>& keys);

}  // namespace cleanai
