"""An SMTP server built on aiosmtpd, independent of the Swift code, for the mail tests (run
through Tests/Interop/smtp-peer).

serve DIR [--user U --password P] [--no-starttls]: listens on 127.0.0.1 (a free port, printed as
"port N"), offers STARTTLS with a certificate for 127.0.0.1 and localhost issued by a CA it makes
(DIR/ca.pem), requires STARTTLS before anything but EHLO/QUIT, and AUTH (PLAIN or LOGIN) over TLS
with the given user and password. With --no-starttls it offers neither TLS nor AUTH.

Recipients whose local part starts with "tijdelijk" get 451 (try later), with "geweigerd" 550.
Every accepted message is parsed with Python's `email` package (policy `default`) and written as
DIR/received/N.json (envelope, decoded headers, text and HTML parts, whether TLS and AUTH were
used) and N.eml (the bytes as received), before the server answers 250.
"""

import argparse
import asyncio
import datetime
import email
import email.policy
import ipaddress
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_certificate(directory):
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "smtp-peer test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = {name: os.path.join(directory, name) for name in ("ca.pem", "server.pem", "server.key.pem")}
    with open(paths["server.pem"], "wb") as out:
        out.write(leaf.public_bytes(serialization.Encoding.PEM))
    with open(paths["server.key.pem"], "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    # The CA last: a test that sees it knows the server's files are complete.
    with open(paths["ca.pem"] + ".tmp", "wb") as out:
        out.write(ca.public_bytes(serialization.Encoding.PEM))
    os.replace(paths["ca.pem"] + ".tmp", paths["ca.pem"])
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(paths["server.pem"], paths["server.key.pem"])
    return context


class Handler:
    def __init__(self, directory):
        self.received = os.path.join(directory, "received")
        os.makedirs(self.received, exist_ok=True)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0]
        if local.startswith("tijdelijk"):
            return "451 4.3.0 tijdelijk niet beschikbaar"
        if local.startswith("geweigerd"):
            return "550 5.1.1 onbekende ontvanger"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        plain = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"]),
            "date": str(message["Date"]),
            "list_unsubscribe": str(message["List-Unsubscribe"]) if message["List-Unsubscribe"] else None,
            "content_type": message.get_content_type(),
            "text": plain.get_content() if plain is not None else None,
            "html": html.get_content() if html is not None and html is not plain else None,
            "defects": [type(defect).__name__ for defect in message.defects],
        }
        base = os.path.join(self.received, str(self.count))
        with open(base + ".eml", "wb") as out:
            out.write(raw)
        with open(base + ".json.tmp", "w") as out:
            json.dump(record, out)
        os.replace(base + ".json.tmp", base + ".json")
        return "250 OK: geaccepteerd"


async def serve(arguments):
    directory = arguments.directory
    handler = Handler(directory)
    options = {"hostname": "smtp-peer.localhost"}
    if not arguments.no_starttls:

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login == arguments.user.encode()
                and auth_data.password == arguments.password.encode()
            )
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        options.update(
            tls_context=make_certificate(directory),
            require_starttls=True,
            auth_required=arguments.user is not None,
            auth_require_tls=True,
            authenticator=authenticator,
        )
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **options), "127.0.0.1", 0)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    serve_command = commands.add_parser("serve")
    serve_command.add_argument("directory")
    serve_command.add_argument("--user")
    serve_command.add_argument("--password")
    serve_command.add_argument("--no-starttls", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(serve(arguments))


if __name__ == "__main__":
    sys.exit(main())
