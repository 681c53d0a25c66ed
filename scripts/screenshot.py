"""Screenshots of a running Odoo in headless Chromium, logged in as a user.

    .venv/bin/python scripts/screenshot.py --url http://localhost:8069 \\
        --path /odoo/customer-value-dashboard --lang en_US --out doc/screenshots/x.png

Logs in over JSON-RPC, hands the session cookie to Chromium (DevTools
protocol, through websocket-client), waits until the page has loaded and
stopped changing, then saves a PNG of the viewport (default 1280x800).
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import websocket

BROWSERS = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")


def login(url, database, user, password):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    payload = {
        "jsonrpc": "2.0",
        "params": {"db": database, "login": user, "password": password},
    }
    request = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    answer = json.load(opener.open(request))
    if answer.get("error"):
        raise SystemExit(f"login failed: {answer['error']['data']['message']}")
    return {cookie.name: cookie.value for cookie in jar}["session_id"], opener


def set_language(url, opener, lang):
    payload = {
        "jsonrpc": "2.0",
        "params": {
            "model": "res.users",
            "method": "write",
            "args": [[2], {"lang": lang}],
            "kwargs": {},
        },
    }
    request = urllib.request.Request(
        f"{url}/web/dataset/call_kw/res.users/write",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    answer = json.load(opener.open(request))
    if answer.get("error"):
        raise SystemExit(
            f"could not switch to {lang}: {answer['error']['data']['message']}"
        )


class Browser:
    def __init__(self, width, height):
        binary = next(filter(None, map(shutil.which, BROWSERS)), None)
        if not binary:
            raise SystemExit("no Chromium found: apt-get install chromium")
        self.profile = tempfile.mkdtemp(prefix="screenshot-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--window-size={width},{height}",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile, "DevToolsActivePort")
        for _ in range(100):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], suppress_origin=True
        )
        self.next_id = 0
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--database", default="crm_value")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--lang", help="switch the user to this language first")
    parser.add_argument("--path", default="/odoo/customer-value-dashboard")
    parser.add_argument(
        "--wait-for", default=".o_crm_value_tile", help="CSS selector to wait for"
    )
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    session, opener = login(args.url, args.database, args.user, args.password)
    if args.lang:
        set_language(args.url, opener, args.lang)
    browser = Browser(args.width, args.height)
    try:
        host = urllib.request.urlparse(args.url).hostname
        browser.send("Network.enable")
        browser.send(
            "Network.setCookie", name="session_id", value=session, domain=host, path="/"
        )
        browser.send("Page.enable")
        browser.send("Page.navigate", url=args.url + args.path)
        selector = json.dumps(args.wait_for)
        for _ in range(120):
            if browser.evaluate(f"!!document.querySelector({selector})"):
                break
            time.sleep(0.5)
        else:
            raise SystemExit(f"{args.wait_for} never showed on {args.path}")
        time.sleep(2)  # charts and fonts settle
        shot = browser.send("Page.captureScreenshot", format="png")
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_bytes(base64.b64decode(shot["data"]))
        print(f"saved {args.out}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
