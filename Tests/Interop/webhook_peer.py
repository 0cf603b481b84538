"""A webhook receiver that verifies with `standardwebhooks` (the Standard Webhooks reference
library), independent of the Swift code (run through Tests/Interop/webhook-peer).

serve DIR: listens on 127.0.0.1 (a free port, printed as "port N"). Every POST is checked with
`standardwebhooks.Webhook(secret).verify(body, headers)`, the secret read from DIR/secret at each
request, and recorded as DIR/received/N.json: the path, the webhook-id and -timestamp, whether
the signature held (and the library's error if not), and the body as JSON. The answer's status
comes from the path's first segment: /ok 204, /503 503, /410 410, /400 400, /redirect 307 to /ok,
/traag 204 after 0.2 s (a slow endpoint, so that sends are in flight when a test kills the sender);
a request whose signature fails gets 401.
"""

import http.server
import json
import os
import sys
import time
import threading

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class Receiver(http.server.BaseHTTPRequestHandler):
    directory = None
    lock = threading.Lock()
    count = 0

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length)
        with open(os.path.join(self.directory, "secret")) as handle:
            secret = handle.read().strip()
        headers = {name.lower(): value for name, value in self.headers.items()}
        verified, error = True, None
        try:
            Webhook(secret).verify(body, headers)
        except WebhookVerificationError as failure:
            verified, error = False, str(failure)
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        with Receiver.lock:
            Receiver.count += 1
            number = Receiver.count
        record = {
            "path": self.path,
            "id": headers.get("webhook-id"),
            "timestamp": headers.get("webhook-timestamp"),
            "signature": headers.get("webhook-signature"),
            "content_type": headers.get("content-type"),
            "verified": verified,
            "error": error,
            "body": parsed,
        }
        folder = os.path.join(self.directory, "received")
        os.makedirs(folder, exist_ok=True)
        target = os.path.join(folder, f"{number}.json")
        with open(target + ".tmp", "w") as out:
            json.dump(record, out)
        os.replace(target + ".tmp", target)
        segment = self.path.strip("/").split("/")[0]
        if not verified:
            self.answer(401)
        elif segment == "redirect":
            self.send_response(307)
            self.send_header("location", "/ok")
            self.send_header("content-length", "0")
            self.end_headers()
        elif segment.isdigit():
            self.answer(int(segment))
        elif segment == "traag":
            time.sleep(0.2)
            self.answer(204)
        else:
            self.answer(204)

    def answer(self, status):
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "serve":
        print("usage: webhook-peer serve DIR", file=sys.stderr)
        return 2
    Receiver.directory = sys.argv[2]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
