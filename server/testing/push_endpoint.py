# SPDX-License-Identifier: AGPL-3.0-or-later
"""A Web Push service and browser in one, on loopback, for the notification tests.

It plays the parts the server must satisfy: it holds a subscription's keys as a browser
does (P-256 key pair and 16-byte auth secret, written to SUBSCRIPTION_FILE), and it checks
each push as a push service would (the VAPID JWT's ES256 signature, audience and expiry),
then decrypts the RFC 8291 aes128gcm body with its own implementation (Debian's
python3-cryptography, independent of the server's OpenSSL code) and writes the plaintext
to OUT_DIR/<name>-<n>.json. Paths: /push/<name> accepts (201), /gone/<name> answers 410,
/fail/<name> answers 500.

usage: push_endpoint.py PORT OUT_DIR
"""
import base64
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64d(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hkdf(salt, ikm, info, length):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


PORT, OUT_DIR = int(sys.argv[1]), sys.argv[2]
ORIGIN = "http://127.0.0.1:%d" % PORT
UA_KEY = ec.generate_private_key(ec.SECP256R1())
UA_PUBLIC = UA_KEY.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
AUTH = os.urandom(16)
COUNT = {}
LOCK = threading.Lock()


def check_vapid(header):
    """The checks a push service makes (RFC 8292); returns an error or None."""
    if not header.startswith("vapid t=") or ", k=" not in header:
        return "Authorization is not 'vapid t=…, k=…'"
    token, key = header[len("vapid t="):].split(", k=", 1)
    head, claims, sig = token.split(".")
    if json.loads(b64d(head)) != {"typ": "JWT", "alg": "ES256"}:
        return "JWT header"
    claims = json.loads(b64d(claims))
    if claims.get("aud") != ORIGIN:
        return "aud %r is not %r" % (claims.get("aud"), ORIGIN)
    if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
        return "exp out of range"
    if not str(claims.get("sub", "")).startswith(("mailto:", "https://", "http://")):
        return "sub"
    raw = b64d(sig)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64d(key))
    try:
        public.verify(der, (head + "." + token.split(".")[1]).encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return "bad VAPID signature"
    return None


def decrypt(body):
    salt, rs, idlen = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    sender = body[21:21 + idlen]
    sealed = body[21 + idlen:]
    if rs < 18 or len(sealed) > rs:
        raise ValueError("one record expected")
    shared = UA_KEY.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender))
    ikm = hkdf(AUTH, shared, b"WebPush: info\x00" + UA_PUBLIC + sender, 32)
    cek = hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
    padded = AESGCM(cek).decrypt(nonce, sealed, None).rstrip(b"\x00")
    if not padded.endswith(b"\x02"):
        raise ValueError("no last-record delimiter")
    return padded[:-1]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, text=""):
        self.send_response(code)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text.encode())

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        kind, _, name = self.path.strip("/").partition("/")
        if kind == "gone":
            return self.answer(410, "push subscription has unsubscribed or expired")
        if kind == "fail":
            return self.answer(500, "try later")
        problem = check_vapid(self.headers.get("Authorization", ""))
        if self.headers.get("Content-Encoding") != "aes128gcm":
            problem = "Content-Encoding is not aes128gcm"
        if not self.headers.get("TTL", "").isdigit():
            problem = "TTL missing"
        if problem:
            return self.answer(400, problem)
        try:
            plain = decrypt(body)
        except Exception as e:  # anything the browser could not open
            return self.answer(400, "cannot decrypt: %r" % e)
        with LOCK:
            COUNT[name] = COUNT.get(name, 0) + 1
            path = os.path.join(OUT_DIR, "%s-%d.json" % (name, COUNT[name]))
        with open(path + ".tmp", "wb") as f:
            f.write(plain)
        os.rename(path + ".tmp", path)
        self.answer(201)


# The keys first: once the port accepts, the test reads them.
os.makedirs(OUT_DIR, exist_ok=True)
with open(os.path.join(OUT_DIR, "subscription.json.tmp"), "w") as f:
    json.dump({"p256dh": b64e(UA_PUBLIC), "auth": b64e(AUTH), "origin": ORIGIN}, f)
os.rename(os.path.join(OUT_DIR, "subscription.json.tmp"), os.path.join(OUT_DIR, "subscription.json"))
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
