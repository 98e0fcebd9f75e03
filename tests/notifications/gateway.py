"""A fake SMS gateway served from the test process, on 127.0.0.1 and a free port.

It behaves as a real gateway would: it de-duplicates by the client's reference (a message taken twice
goes to the phone once) and can be told to fail (500), to refuse (400), or to hang — take the message
and answer only after the client has given up — and to recover.
"""

import base64
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OK, FAIL, REFUSE, HANG = "ok", "fail", "refuse", "hang"


class FakeGateway:
    def __init__(self, *, username="csc", password="secret"):
        self.mode = OK
        self.delay = 0.0  # seconds each answer takes, to make concurrent passes overlap
        self.credentials = (username, password)
        self.posts: list[dict] = []  # every request body, in order of arrival
        self.on_air = Counter()  # reference → messages put on the air (at most one per reference)
        self.answered_ok = Counter()  # reference → 2xx answers the client received
        self.ids: dict[str, str] = {}
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/messages"

    def start(self) -> "FakeGateway":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def posts_for(self, reference: str) -> int:
        return sum(1 for post in self.posts if post["reference"] == reference)

    def _take(self, reference: str) -> str:
        with self.lock:
            if reference not in self.ids:  # de-duplication by reference
                self.ids[reference] = f"gw-{len(self.ids) + 1}"
                self.on_air[reference] += 1
            return self.ids[reference]

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict) -> bool:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return True
                except OSError:  # the client gave up waiting
                    return False

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with gateway.lock:
                    gateway.posts.append(body)
                expected = "Basic " + base64.b64encode(":".join(gateway.credentials).encode()).decode()
                if self.headers.get("Authorization") != expected:
                    self._answer(401, {"error": "bad credentials"})
                    return
                if gateway.delay:
                    gateway.release.wait(gateway.delay)
                mode = gateway.mode
                if mode == FAIL:
                    self._answer(500, {"error": "maintenance"})
                elif mode == REFUSE:
                    self._answer(400, {"error": "invalid destination"})
                elif mode == HANG:
                    gateway._take(body["reference"])  # taken, but the answer comes too late
                    gateway.release.wait(5)
                else:
                    message_id = gateway._take(body["reference"])
                    if self._answer(200, {"id": message_id}):
                        with gateway.lock:
                            gateway.answered_ok[body["reference"]] += 1

        return Handler
