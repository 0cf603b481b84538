"""The demonstration through the pages in a real browser (headless Chromium, over the DevTools
protocol), as a new user sees it after `serve --demo` is ready: the project team signs in, sees
the dashboard with gemeenten in every phase (its screenshot goes to docs/) and "Vroegsignalering
in cijfers" with the same figures as the API gives (vroegsignalen and crisissignalen side by
side), every cell shown; a gemeente that delivers
signs in and sees its own figures and the country's with small cells hidden ("x"), the same
cells the API hides.

Usage: demo_cijfers.py BASE_URL GEMEENTE_CODE GEMEENTE_TOKEN PROJECTTEAM_TOKEN SCREENSHOT_DIR DOCS_DIR
"""

import json
import os
import shutil
import sys
import urllib.request

import cdp
from cdp import Browser, check

BASE, GEMEENTE, TOKEN, TEAM, SHOTS, DOCS = sys.argv[1:7]
PERIODE = "2026-Q2"
FUNNEL = ["aangemeld", "dpia_akkoord", "toestemming_gegeven", "api_getest", "eerste_levering", "actief"]


def api(path, token):
    request = urllib.request.Request(BASE + path, headers={"Authorization": f"Bearer {token}"})
    return json.load(urllib.request.urlopen(request))


def number(text):
    """A count as the page writes it (8.428), or None for a hidden cell."""
    text = text.strip()
    return None if text == "x" else int(text.replace(".", ""))


def table(browser, table_id):
    """The rows of a table on the page: its row headers and the numbers beside them."""
    rows = browser.evaluate(f"""Array.from(document.querySelectorAll({json.dumps('table[id="' + table_id + '"] tbody tr')}))
        .map(r => [r.querySelector('th').textContent, r.querySelector('td').textContent])""")
    return {name: number(value) for name, value in rows or []}


def same_figures(browser, figures, who):
    """The page's totals and distributions for PERIODE are the API's, hidden cells included."""
    period = next(p for p in figures["perioden"] if p["periode"] == PERIODE)
    total = period["totaal"]
    check(number(browser.text(f"#records-{PERIODE}")) == total.get("records"),
          f"{who}: the page's vroegsignalen of {PERIODE} are the API's ({total.get('records')})")
    check(number(browser.text(f"#gemeenten-{PERIODE}")) == total["gemeenten"], f"{who}: the page's gemeenten are the API's")
    parts = total.get("perHerkomst") or []
    check(len(parts) >= 2, f"{who}: vroegsignalen and crisissignalen side by side ({[p['herkomst'] for p in parts]})")
    cells = browser.evaluate(f"""Array.from(document.querySelectorAll({json.dumps('table[id="herkomst-' + PERIODE + '"] tbody tr:first-child td')}))
        .map(c => c.textContent)""")
    check([number(c) for c in cells or []] == [p.get("records") for p in parts],
          f"{who}: the page's signals per herkomst are the API's ({[p.get('records') for p in parts]})")
    hidden = sum(1 for p in parts if p.get("records") is None)
    for verdeling in total["verdelingen"]:
        shown = table(browser, f"{PERIODE}-{verdeling['lijst']}")
        expected = {w["waarde"]: w.get("aantal") for w in verdeling["waarden"]}
        check(shown == expected, f"{who}: the table of {verdeling['lijst']} is the API's")
        hidden += sum(1 for value in shown.values() if value is None)
    return hidden


browser = Browser(BASE, SHOTS)
try:
    browser.open("/aanmelden")
    url = browser.submit("form[action='/aanmelden']", {"token": TEAM})
    check(not url.endswith("/aanmelden"), f"the project team is signed in ({url})")
    browser.open("/")
    main = browser.text("main")
    for phase in FUNNEL:
        check(phase in main, f"the dashboard names the phase {phase}")
    funnel = {row["fase"]: row["aantal"] for row in api("/v1/voortgang", TEAM)["perFase"]}
    check(all(funnel[phase] >= 1 for phase in FUNNEL), f"every phase of the funnel has a gemeente ({funnel})")
    browser.screenshot("dashboard.png", height=1500)
    os.makedirs(DOCS, exist_ok=True)
    shutil.copyfile(os.path.join(SHOTS, "dashboard.png"), os.path.join(DOCS, "dashboard.png"))

    browser.open(f"/cijfers?stroom=VS&van={PERIODE}&tot={PERIODE}")
    check(browser.text("h1") == "Vroegsignalering in cijfers", "the project team opens Vroegsignalering in cijfers")
    team = api(f"/v1/cijfers?stroom=VS&periode={PERIODE}", TEAM)
    check(not team["kleineAantallenOnderdrukt"] and browser.text("#onderdrukt") == "", "the project team sees every cell")
    check(same_figures(browser, team, "project team") == 0, "no cell is hidden from the project team")
    browser.screenshot("cijfers-projectteam.png", height=1500)
    shutil.copyfile(os.path.join(SHOTS, "cijfers-projectteam.png"), os.path.join(DOCS, "cijfers.png"))
    browser.mark()
    browser.evaluate("(document.querySelector('form[action=\"/afmelden\"]').submit(), 'ok')")
    check(browser.wait_new_document().endswith("/aanmelden"), "the project team signs out")

    url = browser.submit("form[action='/aanmelden']", {"token": TOKEN})
    check(url.endswith(f"/gemeenten/{GEMEENTE}"), f"the gemeente is signed in, on its own page ({url})")
    browser.open(f"/cijfers?stroom=VS&van={PERIODE}&tot={PERIODE}")
    country = api(f"/v1/cijfers?stroom=VS&periode={PERIODE}", TOKEN)
    check(country["kleineAantallenOnderdrukt"] and "niet getoond" in browser.text("#onderdrukt"),
          "the gemeente is told that small cells are hidden")
    hidden = same_figures(browser, country, "gemeente, the country")
    check(hidden > 0, f"the gemeente sees hidden cells in the country's figures ({hidden})")
    browser.screenshot("cijfers-gemeente.png")
    browser.open(f"/cijfers?stroom=VS&van={PERIODE}&tot={PERIODE}&gemeente={GEMEENTE}")
    own = api(f"/v1/cijfers?stroom=VS&periode={PERIODE}&gemeente={GEMEENTE}", TOKEN)
    same_figures(browser, own, "gemeente, its own")
    browser.open(f"/cijfers?stroom=VS&van={PERIODE}&tot={PERIODE}&provincie=Utrecht")
    check(browser.text("h1") != "Vroegsignalering in cijfers", "a province's figures are not for a gemeente")
finally:
    browser.close()
print(f"browser (demonstration): {cdp.checks} checks passed")
