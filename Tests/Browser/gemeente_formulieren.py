"""A gemeente's steps through the pages in a real browser (headless Chromium, driven over the
DevTools protocol): sign in with a token, record the DPIA sign-off, give consent to the supplier
and revoke it after the confirmation step, the phase changing each time; and the refusals: another
gemeente's page and forms (403) and a form posted without its CSRF token (403); at the end, that
the cookie holds a session id rather than the token, and that after sign-out the old cookie no
longer signs in.

Usage: gemeente_formulieren.py BASE_URL GEMEENTE_TOKEN PROJECTTEAM_TOKEN SCREENSHOT_DIR
The pages have no script of their own: the test fills in fields and submits forms the way a
person does, through the protocol.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

BASE, TOKEN, TEAM, SHOTS = sys.argv[1:5]
SHA = "ab" * 32
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
    def __init__(self):
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
        self.call("Page.navigate", url=BASE + path)
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

    def screenshot(self, name):
        os.makedirs(SHOTS, exist_ok=True)
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path = os.path.join(SHOTS, name)
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))
        print(f"      screenshot {path}")

    def close(self):
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def api(method, path, body):
    request = urllib.request.Request(
        BASE + path, method=method, data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {TEAM}", "Content-Type": "application/json"})
    return urllib.request.urlopen(request).status


def wait_for_phase(browser, expected):
    for _ in range(100):
        if browser.text("#fase") == expected:
            return True
        time.sleep(0.05)
        browser.open("/gemeenten/GM0363")
    return False


browser = Browser()
try:
    url = browser.open("/")
    check(url.endswith("/aanmelden"), "not signed in: the sign-in page")
    url = browser.submit("form[action='/aanmelden']", {"token": TOKEN})
    check(url.endswith("/gemeenten/GM0363"), f"signed in, on the gemeente's own page ({url})")
    check(browser.text("#fase") == "aangemeld", "phase aangemeld")
    check("model-DPIA" in browser.text("main"), "the next step asks for the DPIA sign-off")

    # Refusals first: nothing of these may change anything.
    browser.open("/gemeenten/GM0014")
    check(browser.text("h1") == "Geen toegang", "another gemeente's page is refused")
    dpia = {"besluitdatum": "2025-10-01", "goedkeurendeRol": "FG", "documentreferentie": "D", "documentSha256": SHA}
    heading = browser.forge("/gemeenten/GM0363/dpia-akkoord", dpia)
    check(heading == "Geen toegang", f"a form posted without its CSRF token is refused ({heading})")
    browser.open("/gemeenten/GM0363")
    csrf = browser.evaluate("document.querySelector('input[name=csrf]').value")
    heading = browser.forge("/gemeenten/GM0014/dpia-akkoord", dict(dpia, csrf=csrf))
    check(heading == "Geen toegang", f"another gemeente's form is refused, even with this session's CSRF token ({heading})")
    browser.open("/gemeenten/GM0363")
    check(browser.text("#fase") == "aangemeld", "still aangemeld")

    browser.submit("form[action$='/dpia-akkoord']", {"besluitdatum": "2025-10-01", "goedkeurendeRol": "FG", "documentreferentie": "DPIA-1", "documentSha256": "geen"})
    check("Vul de SHA-256" in browser.text("#dpia-documentSha256-fout"), "a wrong field is refused in Dutch beside the field")
    browser.submit("form[action$='/dpia-akkoord']", {"documentSha256": SHA})
    check("vastgelegd" in browser.text("#gelukt"), "the DPIA sign-off is recorded")
    check(wait_for_phase(browser, "dpia_akkoord"), "phase dpia_akkoord")

    check(api("PUT", "/v1/gemeenten/GM0363/leveranciers/VS", {"leverancier": "xxllnc", "organisatienaam": "Gemeente Amsterdam"}) == 200,
          "the project team sets the supplier (API)")
    browser.open("/gemeenten/GM0363")
    browser.submit("form[action$='/toestemming']", {
        "besluitdatum": "2025-10-15", "besluitvormendOrgaan": "college van B&W", "documentreferentie": "B-1",
        "documentSha256": SHA, "geldigVan": "2025-11-01"})
    check("toestemming is vastgelegd" in browser.text("#gelukt"), "consent is given")
    check(wait_for_phase(browser, "toestemming_gegeven"), "phase toestemming_gegeven")
    browser.screenshot("gemeente-toestemming.png")

    link = browser.evaluate("document.querySelector('a[href$=\"/intrekken\"]').getAttribute('href')")
    browser.open(link)
    check("Ja, trek de toestemming in" in browser.text("main"), "a confirmation step before the revocation")
    browser.submit("form[action$='/intrekken']", {"reden": "besluit herzien"})
    check("ingetrokken" in browser.text("#gelukt"), "consent is revoked")
    check(wait_for_phase(browser, "toestemming_ingetrokken"), "phase toestemming_ingetrokken")
    browser.screenshot("gemeente-ingetrokken.png")

    # The browser holds a session id, not the token; signing out ends the session on the server.
    cookies = browser.call("Network.getCookies", urls=[BASE + "/"])["cookies"]
    session = next((c for c in cookies if c["name"] == "__Host-ddas_sessie"), None)
    check(session is not None and session["httpOnly"] and session["secure"] and session["sameSite"] == "Strict",
          "the session cookie is __Host-ddas_sessie, HttpOnly, Secure, SameSite=Strict")
    check(TOKEN not in session["value"] and TOKEN[len("ddas_"):] not in session["value"], "the cookie does not hold the token")
    browser.mark()
    check(browser.evaluate("(document.querySelector('form[action=\"/afmelden\"]').submit(), 'ok')") == "ok", "sign out")
    check(browser.wait_new_document().endswith("/aanmelden"), "signed out: the sign-in page")
    browser.call("Network.setCookie", name=session["name"], value=session["value"], url=BASE + "/", path="/", secure=True,
                 httpOnly=True, sameSite="Strict")
    check(any(c["name"] == session["name"] and c["value"] == session["value"]
              for c in browser.call("Network.getCookies", urls=[BASE + "/"])["cookies"]), "the old cookie is back in the browser")
    check(browser.open("/gemeenten/GM0363").endswith("/aanmelden"), "the old cookie, put back, no longer signs in")
finally:
    browser.close()
print(f"browser: {checks} checks passed")
