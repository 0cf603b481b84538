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

import json
import sys
import time
import urllib.request

import cdp
from cdp import Browser, check

BASE, TOKEN, TEAM, SHOTS = sys.argv[1:5]
SHA = "ab" * 32
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


browser = Browser(BASE, SHOTS)
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
print(f"browser: {cdp.checks} checks passed")
