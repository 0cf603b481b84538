"""The other side of DDAS payload signing, written with jwcrypto (an independent JOSE library).

Run through Tests/Interop/jose-peer, which makes the pinned virtual environment.

    sign PROFILE KEY_FILE CHAIN_FILE BODY_FILE OUT_FILE
        Signs the body in PROFILE ("kp-apis" or "body") with the PEM key, sending the PEM chain
        in x5c, and writes {"digest": ..., "signature": ...} (the two header values) as JSON.
    verify PROFILE CERT_FILE BODY_FILE DIGEST_FILE SIGNATURE_FILE
        Verifies the header values in the files against the body with the key of the PEM
        certificate; exits 0 when they verify, 1 (with the reason on stderr) when not.

kp-apis: the Geonovum KP-APIs signing-jades reading. The protected header carries
sigD {mId http://uri.etsi.org/19182/HttpHeaders, pars ["digest"]} and b64 false; the detached
payload is the line "digest: <Digest value>" (ETSI TS 119 182-1 clause 5.2.8.2), signed
unencoded (RFC 7797). jwcrypto is told that sigD and sigT are understood header parameters.
body: RFC 7515 Appendix F over the body bytes; plain jwcrypto with nothing registered.
"""

import base64
import datetime
import hashlib
import json
import sys

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from jwcrypto.common import JWSEHeaderParameter, base64url_decode, base64url_encode
from jwcrypto.jwk import JWK
from jwcrypto.jws import JWS

HTTP_HEADERS = "http://uri.etsi.org/19182/HttpHeaders"
JADES_REGISTRY = {
    "sigD": JWSEHeaderParameter("JAdES signed data reference", True, True, None),
    "sigT": JWSEHeaderParameter("JAdES claimed signing time", True, True, None),
}


def read(path, mode="rb"):
    with open(path, mode) as handle:
        return handle.read()


def digest_header(body):
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def kp_apis_payload(digest):
    return ("digest: " + digest.strip()).encode("utf-8")


def sign(profile, key_file, chain_file, body_file, out_file):
    key = JWK.from_pem(read(key_file))
    chain = x509.load_pem_x509_certificates(read(chain_file))
    ders = [certificate.public_bytes(Encoding.DER) for certificate in chain]
    body = read(body_file)
    digest = digest_header(body)
    protected = {
        "alg": "PS256",
        "typ": "JOSE",
        "kid": "jwcrypto-peer",
        "x5c": [base64.b64encode(der).decode("ascii") for der in ders],
        "x5t#S256": base64url_encode(hashlib.sha256(ders[0]).digest()),
        "sigT": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if profile == "kp-apis":
        protected["sigD"] = {"mId": HTTP_HEADERS, "pars": ["digest"]}
        protected["b64"] = False
        # sigT listed too, as older JAdES producers do: the receiver must accept it.
        protected["crit"] = ["b64", "sigD", "sigT"]
        jws = JWS(kp_apis_payload(digest), header_registry=JADES_REGISTRY)
    elif profile == "body":
        jws = JWS(body)
    else:
        raise SystemExit("unknown profile " + profile)
    jws.add_signature(key, alg="PS256", protected=json.dumps(protected))
    jws.detach_payload()
    with open(out_file, "w", encoding="utf-8") as handle:
        json.dump({"digest": digest, "signature": jws.serialize(compact=True)}, handle)


def verify(profile, cert_file, body_file, digest_file, signature_file):
    certificate = x509.load_pem_x509_certificate(read(cert_file))
    key = JWK.from_pyca(certificate.public_key())
    body = read(body_file)
    digest = read(digest_file, "r").strip()
    signature = read(signature_file, "r").strip()
    if digest != digest_header(body):
        raise ValueError("the Digest header does not match the body")
    protected = json.loads(base64url_decode(signature.split(".")[0]))
    sent = base64.b64decode(protected["x5c"][0])
    if sent != certificate.public_bytes(Encoding.DER):
        raise ValueError("x5c does not start with the expected certificate")
    if protected.get("alg") != "PS256":
        raise ValueError("alg is not PS256")
    if profile == "kp-apis":
        if protected.get("sigD") != {"mId": HTTP_HEADERS, "pars": ["digest"]} or protected.get("b64") is not False:
            raise ValueError("not the KP-APIs header: sigD or b64 missing or different")
        jws = JWS(header_registry=JADES_REGISTRY)
        payload = kp_apis_payload(digest)
    elif profile == "body":
        jws = JWS()
        payload = body
    else:
        raise SystemExit("unknown profile " + profile)
    jws.deserialize(signature)
    jws.verify(key, alg="PS256", detached_payload=payload)


def main(arguments):
    if len(arguments) == 6 and arguments[0] == "sign":
        sign(*arguments[1:])
        return 0
    if len(arguments) == 6 and arguments[0] == "verify":
        try:
            verify(*arguments[1:])
        except Exception as error:  # the reason goes to the test's failure message
            print("refused: %s: %s" % (type(error).__name__, error), file=sys.stderr)
            return 1
        print("verified")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
