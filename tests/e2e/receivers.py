"""Local receivers for the digest's deliveries: a WeCom-like webhook and an SMTP server, each
in a thread, refusing their first `failures` deliveries (to test the retries)."""

from __future__ import annotations

import json
import socketserver
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Webhook:
    """Answers {"errcode": 0} to a POST (after `failures` answers of errcode 45009)."""

    def __init__(self, failures: int = 0):
        self.failures, self.received, self.attempts = failures, [], 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.attempts += 1
                ok = outer.attempts > outer.failures
                if ok:
                    outer.received.append(body)
                reply = json.dumps({"errcode": 0 if ok else 45009,
                                    "errmsg": "ok" if ok else "api freq out of limit"})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(reply.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=k"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Smtp:
    """A minimal SMTP server: takes each message (after refusing `failures` with 451)."""

    def __init__(self, failures: int = 0):
        self.failures, self.messages, self.attempts = failures, [], 0
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def say(self, line: str):
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                self.say("220 localhost ESMTP test")
                while line := self.rfile.readline():
                    verb = line.decode().strip().split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.say("250 localhost")
                    elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                        self.say("250 OK")
                    elif verb == "DATA":
                        self.say("354 end with .")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk
                        outer.attempts += 1
                        if outer.attempts <= outer.failures:
                            self.say("451 try again later")
                        else:
                            outer.messages.append(message_from_bytes(data))
                            self.say("250 queued")
                    elif verb == "QUIT":
                        self.say("221 bye")
                        return
                    else:
                        self.say("502 not implemented")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
