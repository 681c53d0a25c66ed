"""Screenshots of a running Odoo with headless Chromium (DevTools protocol).

    .venv/bin/python scripts/screenshot.py http://127.0.0.1:8069 crm_value \\
        doc/screenshots/customer_form.png /odoo/customer-value/44 \\
        --lang en_US --click 'a[name=customer_value]' --scroll '.o_crm_value_trend_chart'

Logs in as admin/admin (--login, --password), sets the user's language,
opens the page, waits until a view is drawn, clicks and scrolls as asked, and
writes a 1280x800 PNG. Needs Debian's `chromium` and `websocket-client`.
"""

import argparse
import base64
import json
import subprocess
import tempfile
import time
import urllib.request

import websocket

READY = (
    "!!document.querySelector('.o_form_view .o_form_sheet, .o_list_renderer, "
    ".o_pivot, .o_graph_renderer, .o_kanban_renderer')"
)


def rpc(url, params, session=None):
    headers = {"Content-Type": "application/json"}
    if session:
        headers["Cookie"] = f"session_id={session}"
    body = json.dumps({"jsonrpc": "2.0", "params": params}).encode()
    request = urllib.request.Request(url, body, headers)
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read()), response.headers.get("Set-Cookie")


class Browser:
    def __init__(self, port=9314):
        self.port = port
        self.process = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={tempfile.mkdtemp()}",
                "--window-size=1280,800",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.socket = websocket.create_connection(self._page_url(), timeout=120)
        self.counter = 0

    def _page_url(self):
        for _attempt in range(100):
            try:
                url = f"http://127.0.0.1:{self.port}/json"
                tabs = json.loads(urllib.request.urlopen(url).read())
                return next(t for t in tabs if t["type"] == "page")[
                    "webSocketDebuggerUrl"
                ]
            except (OSError, StopIteration):
                time.sleep(0.2)
        raise RuntimeError("chromium did not start")

    def call(self, method, **params):
        self.counter += 1
        self.socket.send(
            json.dumps({"id": self.counter, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.counter:
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression)
        return result.get("result", {}).get("value")

    def close(self):
        self.process.terminate()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base")
    parser.add_argument("db")
    parser.add_argument("png")
    parser.add_argument("path")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--lang", default="en_US")
    parser.add_argument("--click", action="append", default=[])
    parser.add_argument("--scroll")
    args = parser.parse_args()

    result, cookie = rpc(
        f"{args.base}/web/session/authenticate",
        {"db": args.db, "login": args.login, "password": args.password},
    )
    session = cookie.split(";")[0].split("=", 1)[1]
    rpc(
        f"{args.base}/web/dataset/call_kw/res.users/write",
        {
            "model": "res.users",
            "method": "write",
            "args": [[result["result"]["uid"]], {"lang": args.lang}],
            "kwargs": {},
        },
        session,
    )
    browser = Browser()
    try:
        host = args.base.split("//", 1)[1].split(":")[0]
        browser.call("Network.enable")
        browser.call(
            "Network.setCookie", name="session_id", value=session, domain=host, path="/"
        )
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=1280,
            height=800,
            deviceScaleFactor=1,
            mobile=False,
        )
        browser.call("Page.navigate", url=args.base + args.path)
        for _second in range(120):
            time.sleep(1)
            if browser.evaluate(READY):
                break
        time.sleep(2)
        for selector in args.click:
            browser.evaluate(f"document.querySelector({json.dumps(selector)})?.click()")
            time.sleep(2)
        if args.scroll:
            browser.evaluate(
                f"document.querySelector({json.dumps(args.scroll)})"
                "?.scrollIntoView({block: 'center'})"
            )
            time.sleep(1)
        data = browser.call("Page.captureScreenshot", format="png")["data"]
        with open(args.png, "wb") as png:
            png.write(base64.b64decode(data))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
