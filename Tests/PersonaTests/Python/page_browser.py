"""The chat page at `/` in headless Chromium (Debian's `chromium`, driven through the DevTools
protocol by Playwright for Python; no browser download).

Usage: page_browser.py PERSONA_BINARY FIXTURES DATA_DIR ARTEFACTS_DIR
Starts `persona serve` itself (SQLite store in DATA_DIR) so it can restart it mid-test.
Prints one `ok ...` line per check; any failure raises (exit status 1).
"""

import http.client
import os
import re
import shutil
import subprocess
import sys
import time

from playwright.sync_api import sync_playwright, expect

BINARY, FIXTURES, DATA, ARTEFACTS = sys.argv[1:5]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TIMEOUT = 10_000


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print("ok " + message, flush=True)


def serve(port=0):
    process = subprocess.Popen(
        [BINARY, "serve", "--port", str(port), "--personalities", FIXTURES, "--data-dir", DATA, "--loops", "1",
         "--drain-deadline", "0.2", "--drain-timeout", "1", "--admin-port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
    assert match, (line, process.stderr.read() if not line else "")
    return process, int(match.group(1))


def stop(process):
    process.terminate()
    process.wait(timeout=20)


server, PORT = serve()
URL = f"http://127.0.0.1:{PORT}/"
errors = []


def open_page(context):
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(URL)
    expect(page.locator("#status")).to_have_text("Connected")
    expect(page.locator("#personality option")).to_have_count(1)
    return page


def bot_text(page):
    return page.locator("#log li.bot .text").last


def headers_and_cache():
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    seen = {}
    for path, kind in [("/", "text/html"), ("/app.js", "text/javascript"), ("/app.css", "text/css")]:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        etag = response.getheader("ETag")
        seen[path] = (response.getheader("Content-Type", ""), response.getheader("Cache-Control"),
                      response.getheader("Content-Security-Policy", ""), etag)
        connection.request("GET", path, headers={"If-None-Match": etag})
        again = connection.getresponse()
        again.read()
        check(response.status == 200 and seen[path][0].startswith(kind) and again.status == 304,
              f"{path} is {kind}, and 304 when its ETag is sent back")
    check(all(v[1] == "no-cache" and "default-src 'none'" in v[2] and "script-src 'self'" in v[2] for v in seen.values()),
          "every asset has Cache-Control no-cache and a CSP allowing only this origin")


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    headers_and_cache()

    # A direct chat streams token by token.
    desktop = browser.new_context(viewport={"width": 1280, "height": 800})
    page = open_page(desktop)
    page.click("#direct")
    expect(page.locator("#partner")).to_have_text("Talking to Polly (bot)")
    expect(page.locator("#limits")).to_have_text("50 replies left in this chat")
    page.fill("#text", "count")
    page.press("#text", "Enter")
    states = page.evaluate("""() => new Promise((resolve) => {
        const seen = [];
        const timer = setInterval(() => {
            const items = document.querySelectorAll('#log li.bot');
            const last = items[items.length - 1];
            if (items.length < 2) return;
            const text = last.querySelector('.text').textContent;
            if (seen[seen.length - 1] !== text) seen.push(text);
            if (last.getAttribute('aria-busy') === 'false') { clearInterval(timer); resolve(seen); }
        }, 15);
    })""")
    check(len(states) >= 5 and states[-1].startswith("one two three"),
          f"the reply grew in the DOM token by token ({len(states)} states, first {states[0]!r})")
    expect(page.locator("#limits")).to_have_text("49 replies left in this chat")
    page.screenshot(path=os.path.join(ARTEFACTS, "page-desktop.png"))
    check(os.path.getsize(os.path.join(ARTEFACTS, "page-desktop.png")) > 1000, "desktop screenshot saved")

    # Reload mid-conversation: the whole history comes back and the session goes on.
    page.fill("#text", "my name is Ann")
    page.press("#text", "Enter")
    expect(bot_text(page)).to_have_text("pretty Ann, pretty Ann")
    page.reload()
    expect(page.locator("#partner")).to_have_text(re.compile("resumed"))
    expect(page.locator("#log li.me")).to_have_count(2)
    expect(page.locator("#log li.bot .text").nth(2)).to_have_text("pretty Ann, pretty Ann")
    check(page.locator("#log li.bot .text").first.text_content() == "Squawk! Hello.",
          "a reload resumes the session with the full history (greeting, both turns, both replies)")
    page.fill("#text", "what is my name")
    page.press("#text", "Enter")
    expect(bot_text(page)).to_have_text("you are Ann")
    check(True, "and the conversation continues with the bot's memory")

    check(not errors, f"the page loaded and chatted with no console error ({errors})")

    # The server restarts (store on): the page reconnects and resumes by itself.
    stop(server)
    expect(page.locator("#status")).to_have_text(re.compile("Disconnected|Reconnecting"))
    server, _ = serve(PORT)
    expect(page.locator("#status")).to_have_text("Connected", timeout=20_000)
    expect(page.locator("#partner")).to_have_text(re.compile("resumed"))
    expect(page.locator("#log li.me")).to_have_count(3)
    page.fill("#text", "hello again")
    page.press("#text", "Enter")
    expect(bot_text(page)).to_have_text("polly says hello again")
    check(True, "after a server restart the page reconnected, resumed with the history, and chats on")
    desktop.close()

    # Keyboard only: Tab to the picker's button, Enter, type, Enter.
    keyboard = browser.new_context(viewport={"width": 1280, "height": 800})
    page = open_page(keyboard)
    page.keyboard.press("Tab")
    check(page.evaluate("document.activeElement.id") == "personality", "Tab reaches the personality picker first")
    page.keyboard.press("Tab")
    check(page.evaluate("document.activeElement.id") == "direct", "then the chat button")
    page.keyboard.press("Enter")
    expect(page.locator("#text")).to_be_focused()
    page.keyboard.type("keys only")
    page.keyboard.press("Enter")
    expect(bot_text(page)).to_have_text("polly says keys only")
    check(page.locator("#announce").text_content() == "polly says keys only",
          "a keyboard-only chat works and the finished reply is in the live region")
    page.keyboard.type("count")
    page.keyboard.press("Enter")
    expect(bot_text(page)).to_contain_text("two")
    page.click("#cancel")
    expect(bot_text(page)).to_have_text(re.compile(r"\(stopped\)$"))
    page.click("#end")
    expect(page.locator("#log li.note").last).to_have_text("You ended the chat.")
    check(page.locator("#text").is_disabled(), "Stop reply cuts a streaming reply; End chat ends the chat in plain words")
    keyboard.close()

    # Random chat: two browsers matched, typing shown both ways.
    first = browser.new_context(viewport={"width": 360, "height": 740})
    second = browser.new_context(viewport={"width": 360, "height": 740})
    a, b = open_page(first), open_page(second)
    a.click("#random")
    expect(a.locator("#partner")).to_have_text(re.compile("Waiting for a partner"))
    b.click("#random")
    expect(a.locator("#partner")).to_have_text("Talking to a stranger (human)")
    expect(b.locator("#partner")).to_have_text("Talking to a stranger (human)")
    a.type("#text", "hi")
    expect(b.locator("#typing")).to_have_text("Your partner is typing…")
    b.type("#text", "yo")
    expect(a.locator("#typing")).to_have_text("Your partner is typing…")
    a.press("#text", "Enter")
    expect(b.locator("#log li.human .text")).to_have_text("hi")
    expect(b.locator("#typing")).to_have_text("")
    check(True, "two contexts matched in a random chat, typing indicators both ways, the message delivered")
    a.screenshot(path=os.path.join(ARTEFACTS, "page-phone.png"))
    width = a.evaluate("document.documentElement.scrollWidth")
    check(width <= 360, f"nothing overflows a 360-px screen (scroll width {width})")
    first.close()
    second.close()

    # Random chat with nobody else: a bot takes over after the matchmaking timeout.
    alone = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme="dark")
    page = open_page(alone)
    page.click("#random")
    expect(page.locator("#partner")).to_have_text(re.compile("Waiting for a partner… [0-9]+ s"))
    expect(page.locator("#partner")).to_have_text("Talking to Polly (bot)", timeout=8_000)
    check(page.locator("#log li.bot .who").first.text_content() == "Polly (bot)", "a random chat falls back to a bot, labelled as one")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    check(background == "rgb(18, 18, 22)", f"dark mode follows the system scheme ({background})")
    page.screenshot(path=os.path.join(ARTEFACTS, "page-phone-dark.png"))
    page.click("#end")
    expect(page.locator("#next")).to_be_enabled()
    page.click("#next")
    expect(page.locator("#partner")).to_have_text(re.compile("Waiting for a partner"))
    check(True, "after a random chat ends, Next partner starts the next random chat")
    alone.close()

    browser.close()

stop(server)
# Chromium reports each refused reconnect while the server was down; nothing else may appear.
others = [e for e in errors if "WebSocket connection to" not in e]
check(not others, f"no other console error on any page ({others})")
