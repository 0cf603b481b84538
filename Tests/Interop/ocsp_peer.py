"""An OCSP responder and a CRL/OCSP verifier written with Python `cryptography`, independent of
the Swift code, for the revocation interop tests (run through Tests/Interop/ocsp-peer).

serve DIR: answers OCSP requests (POST, application/ocsp-request) on 127.0.0.1 for the CAs in DIR
(NAME.pem with NAME.key.pem), signed by the CA, with the request's nonce echoed; the status of a
serial comes from DIR/status.json ({"<hex serial>": "good" | "revoked"}), read at every request,
any other serial is "unknown". Prints "port N" once listening. Everything else gets a 404.

verify-ocsp RESPONSE ISSUER: checks the DER response's signature with ISSUER's key, prints the status.
verify-crl CRL ISSUER: checks the DER CRL's signature with ISSUER's key, prints the revoked serials (hex).
"""

import datetime
import glob
import hashlib
import http.server
import json
import os
import signal
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509 import ocsp


def key_hash(certificate):
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # The subjectPublicKey BIT STRING's value is the tail of the SPKI; for RSA that is the PKCS#1 key.
    pkcs1 = certificate.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    assert spki.endswith(pkcs1)
    return hashlib.sha1(pkcs1).digest()


def load_authorities(directory):
    authorities = []
    for path in sorted(glob.glob(os.path.join(directory, "*.pem"))):
        if path.endswith(".key.pem"):
            continue
        key_path = path[: -len(".pem")] + ".key.pem"
        if not os.path.exists(key_path):
            continue
        with open(path, "rb") as f:
            certificate = x509.load_pem_x509_certificate(f.read())
        with open(key_path, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
        name_hash = hashlib.sha1(certificate.subject.public_bytes()).digest()
        authorities.append((name_hash, key_hash(certificate), certificate, key))
    return authorities


def answer(directory, body):
    try:
        request = ocsp.load_der_ocsp_request(body)
    except Exception:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    if not isinstance(request.hash_algorithm, hashes.SHA1):
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    for name_hash, key_digest, issuer, key in load_authorities(directory):
        if name_hash == request.issuer_name_hash and key_digest == request.issuer_key_hash:
            break
    else:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    with open(os.path.join(directory, "status.json")) as f:
        statuses = json.load(f)
    status_name = statuses.get(format(request.serial_number, "x"), "unknown")
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    status = {
        "good": ocsp.OCSPCertStatus.GOOD,
        "revoked": ocsp.OCSPCertStatus.REVOKED,
        "unknown": ocsp.OCSPCertStatus.UNKNOWN,
    }[status_name]
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=request.issuer_name_hash,
        issuer_key_hash=request.issuer_key_hash,
        serial_number=request.serial_number,
        algorithm=hashes.SHA1(),
        cert_status=status,
        this_update=now,
        next_update=now + datetime.timedelta(hours=1),
        revocation_time=now - datetime.timedelta(minutes=1) if status == ocsp.OCSPCertStatus.REVOKED else None,
        revocation_reason=None,
    )
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.NAME, issuer)
    try:
        nonce = request.extensions.get_extension_for_class(x509.OCSPNonce).value
        builder = builder.add_extension(nonce, critical=False)
    except x509.ExtensionNotFound:
        pass
    return builder.sign(key, hashes.SHA256())


def serve(directory):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            if self.headers.get("Content-Type") != "application/ocsp-request":
                self.send_error(415)
                return
            length = int(self.headers.get("Content-Length", "0"))
            body = answer(directory, self.rfile.read(length)).public_bytes(serialization.Encoding.DER)
            self.send_response(200)
            self.send_header("Content-Type", "application/ocsp-response")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.send_error(404)

        def log_message(self, format, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()


def load_issuer(path):
    with open(path, "rb") as f:
        return x509.load_pem_x509_certificate(f.read())


def verify_ocsp(response_path, issuer_path):
    issuer = load_issuer(issuer_path)
    with open(response_path, "rb") as f:
        response = ocsp.load_der_ocsp_response(f.read())
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        print(f"status {response.response_status.name}")
        return 1
    issuer.public_key().verify(
        response.signature, response.tbs_response_bytes, padding.PKCS1v15(), response.signature_hash_algorithm
    )
    print(response.certificate_status.name.lower())
    return 0


def verify_crl(crl_path, issuer_path):
    issuer = load_issuer(issuer_path)
    with open(crl_path, "rb") as f:
        crl = x509.load_der_x509_crl(f.read())
    if crl.issuer != issuer.subject or not crl.is_signature_valid(issuer.public_key()):
        print("signature invalid")
        return 1
    print("signature valid")
    for entry in crl:
        print(format(entry.serial_number, "x"))
    return 0


if __name__ == "__main__":
    # The test that starts the peer may have been started with SIGTERM ignored; the peer ends on it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    command = sys.argv[1]
    if command == "serve":
        serve(sys.argv[2])
    elif command == "verify-ocsp":
        sys.exit(verify_ocsp(sys.argv[2], sys.argv[3]))
    elif command == "verify-crl":
        sys.exit(verify_crl(sys.argv[2], sys.argv[3]))
    else:
        print(f"unknown command {command}", file=sys.stderr)
        sys.exit(2)
