"""The browser tests' driver: a real headless Chromium, driven over the DevTools protocol
(websocket-client from PyPI), and the checks they count. Used by gemeente_formulieren.py and
demo_cijfers.py; Tests/Browser/run starts them.
"""

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket

checks = 0


def check(condition, what):
    global checks
    checks += 1
    if not condition:
        raise SystemExit(f"FAIL: {what}")
    print(f"ok    {what}")


def browser_binary():
    for name in (os.environ.get("DDAS_BROWSER"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    raise SystemExit("no Chromium: apt-get install chromium, or set DDAS_BROWSER")


class Browser:
    """A headless Chromium on about:blank; `base` is the service's address, `shots` where
    screenshots go."""

    def __init__(self, base, shots):
        self.base = base
        self.shots = shots
        self.profile = tempfile.mkdtemp(prefix="ddas-browser-")
        self.process = subprocess.Popen(
            [browser_binary(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "--window-size=1280,1800", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if time.time() > deadline:
                raise SystemExit("the browser did not start")
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.call("Page.enable")

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise SystemExit(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise SystemExit(f"evaluate failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def mark(self):
        """Marks the current document, so that waiting can tell the next one from it."""
        self.evaluate("window.__ddasOud = true")

    def wait_new_document(self):
        deadline = time.time() + 30
        while time.time() < deadline:
            state = self.evaluate("(typeof window.__ddasOud === 'undefined') + ' ' + document.readyState + ' ' + location.href")
            fresh, ready, url = state.split(" ", 2)
            if fresh == "true" and ready == "complete":
                return url
            time.sleep(0.05)
        raise SystemExit("the next page did not load")

    def open(self, path):
        self.mark()
        self.call("Page.navigate", url=self.base + path)
        return self.wait_new_document()

    def submit(self, selector, fields):
        """Fills in `fields` of the form `selector` and submits it, as a person would."""
        self.mark()
        script = f"""(() => {{
            const form = document.querySelector({json.dumps(selector)});
            if (!form) return 'no form';
            for (const [name, value] of Object.entries({json.dumps(fields)})) {{
                const field = form.elements[name];
                if (!field) return 'no field ' + name;
                field.value = value;
            }}
            if (!form.checkValidity()) return 'the browser finds the form incomplete';
            form.requestSubmit();
            return 'ok';
        }})()"""
        outcome = self.evaluate(script)
        check(outcome == "ok", f"the form {selector} takes {sorted(fields)} ({outcome})")
        return self.wait_new_document()

    def forge(self, action, fields):
        """Posts a form this page did not offer (built in the page, as a forged form would be);
        returns the heading of the answer."""
        self.mark()
        script = f"""(() => {{
            const form = document.createElement('form');
            form.method = 'post';
            form.action = {json.dumps(action)};
            for (const [name, value] of Object.entries({json.dumps(fields)})) {{
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value;
                form.appendChild(input);
            }}
            document.body.appendChild(form);
            form.submit();
            return 'ok';
        }})()"""
        self.evaluate(script)
        self.wait_new_document()
        return self.text("h1")

    def text(self, selector):
        return self.evaluate(f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || ''")

    def screenshot(self, name, height=None):
        """A PNG of the whole page, or of its first `height` pixels."""
        os.makedirs(self.shots, exist_ok=True)
        if height:
            clip = {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}
            data = self.call("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)["data"]
        else:
            data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path = os.path.join(self.shots, name)
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))
        print(f"      screenshot {path}")

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)
