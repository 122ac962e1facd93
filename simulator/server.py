"""The simulator's HTTP server, the request log and the faults tests ask for.

One ThreadingHTTPServer serves every platform side in PLATFORM_SIDES, each under its own path prefix
(WeChat under /cgi-bin/, Weibo under /2/, WeCom under /wecom/cgi-bin/), and a small control API under
/_sim/ for the demo. The sides share state.SharedState, never this module. All state sits behind one
lock; only a fault's delay is waited out without it.
"""

from __future__ import annotations

import copy
import json
import sys
import threading
import traceback
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .exchange import RecordedRequest, Reply
from .state import PlatformSide, SharedState
from .wechat import DEFAULT_APPID, DEFAULT_SECRET, WeChat
from .wecom import WeCom
from .weibo import DEFAULT_WEIBO_TOKEN, Weibo

# The platforms served, one line each: a side names itself and the path prefix it answers under.
PLATFORM_SIDES: tuple[type[PlatformSide], ...] = (
    WeChat,
    Weibo,
    WeCom,
)

# The default credentials stay importable from here, where tests and the demo look for them.
__all__ = [
    "DEFAULT_APPID",
    "DEFAULT_SECRET",
    "DEFAULT_WEIBO_TOKEN",
    "PLATFORM_SIDES",
    "Fault",
    "RecordedRequest",
    "Simulator",
    "start_simulator",
]


@dataclass
class Fault:
    """What the next `times` matching requests get instead of (or before) the normal answer."""

    path: str | None = None
    platform: str | None = None
    errcode: int | None = None
    errmsg: str | None = None
    delay: float | None = None
    http_status: int | None = None
    not_json: bool = False
    times: int | None = 1  # None: every matching request until reset
    trickle: float | None = None  # the answer's body goes out one byte every `trickle` seconds
    # A raw reply body (HTTP 200, or http_status), sent as it is: JSON no errcode int can express,
    # such as {"errcode": 1e999}, {"errcode": "²"} or {"error_code": {"a": 1}}.
    body: bytes | str | None = None

    def matches(self, path: str, side: PlatformSide) -> bool:
        if self.path is not None and self.path.rstrip("/") != path.rstrip("/"):
            return False
        return self.platform is None or self.platform == side.name

    def reply(self, side: PlatformSide, req: RecordedRequest) -> Reply | None:
        """The answer replacing the normal one, or None when the fault is only a delay."""
        if self.body is not None:
            body = self.body.encode("utf-8") if isinstance(self.body, str) else self.body
            return Reply(self.http_status or 200, body, {"Content-Type": side.content_type})
        if self.http_status is not None:
            return Reply.html(self.http_status, _REASONS.get(self.http_status, "Error"))
        if self.not_json:
            # A reply cut short, still labelled JSON: clients must not trust the content type.
            return Reply(200, b'{"errcode":0,"errmsg":"o', {"Content-Type": "application/json"})
        if self.errcode is not None:
            return side.fault_reply(req, self.errcode, self.errmsg)
        return None


def _fault_state(fault: Fault) -> dict[str, Any]:
    state = asdict(fault)
    if isinstance(fault.body, bytes):
        state["body"] = fault.body.decode("utf-8", "replace")
    return state


_REASONS = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}


class Simulator(SharedState):
    """Every platform side, the request log and the faults; see the module docs of each side."""

    def __init__(self) -> None:
        super().__init__()
        self.sides: dict[str, PlatformSide] = {side.name: side(self) for side in PLATFORM_SIDES}
        # The longest prefix first, so that a prefix inside another's still finds its own side.
        self._by_prefix = sorted(self.sides.values(), key=lambda side: len(side.prefix), reverse=True)
        self.wechat: WeChat = self.sides["wechat"]
        self.weibo: Weibo = self.sides["weibo"]
        self.url = ""
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # --- life cycle ------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget menus, tokens, faults, the log, counters and settings; keep the default credentials."""
        with self.lock:
            wake = getattr(self, "_wake", None)
            if wake is not None:
                wake.set()  # end any fault delay still being waited out
            self._wake = threading.Event()
            self._requests: list[RecordedRequest] = []
            self._faults: list[Fault] = []
            # Requests per path since the reset: the state's request list keeps only the last 50.
            self._request_counts: dict[str, int] = {}
            self.internal_errors: list[str] = []  # tracebacks of the simulator's own bugs
            self.reset_shared()
            for side in self.sides.values():
                side.reset()

    def stop(self) -> None:
        with self.lock:
            self._wake.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # --- set-up --------------------------------------------------------------------------------

    def add_wechat_app(self, appid: str, secret: str) -> None:
        with self.lock:
            self.wechat.add_app(appid, secret)

    def add_weibo_token(self, token: str) -> None:
        with self.lock:
            self.weibo.add_token(token)

    def add_authorizer_token(self, token: str, appid: str = DEFAULT_APPID) -> None:
        """A third-party platform's authorizer_access_token acting for `appid`."""
        with self.lock:
            self.wechat.add_authorizer_token(token, appid)

    def set_ip_whitelist(self, ips: list[str] | None) -> None:
        """With a list, WeChat token calls from any other IP fail with 40164; None turns it off."""
        with self.lock:
            self.ip_whitelist = list(ips) if ips is not None else None

    def set_console_menu(self, selfmenu_info: dict | None, appid: str = DEFAULT_APPID) -> None:
        """A menu saved in the MP web console: only get_current_selfmenu_info shows it."""
        with self.lock:
            self.wechat.set_console_menu(appid, selfmenu_info)

    def tag_follower(self, user_id: str, *tag_ids: str, client_platform_type: str | None = None) -> None:
        """A WeChat follower carrying these tags (and, when given, on that phone system: 1 iOS, 2 Android)."""
        with self.lock:
            self.users[user_id] = {
                "tags": [str(t) for t in tag_ids],
                "client_platform_type": client_platform_type,
            }

    def add_wechat_tag(self, tag_id: str, name: str) -> None:
        with self.lock:
            self.wechat_tags[str(tag_id)] = name

    def add_legacy_conditional_menu(self, menu: dict, matchrule: dict, appid: str = DEFAULT_APPID) -> str:
        """A conditional menu made before WeChat refused rules on sex, region or language (menu/get
        still lists it; it matches nobody)."""
        with self.lock:
            app = self.wechat.apps[appid]
            menuid = self.wechat._new_menuid()
            app.conditional.append(
                {"button": copy.deepcopy(menu["button"]), "matchrule": dict(matchrule), "menuid": menuid}
            )
            return str(menuid)

    def expire_tokens(self) -> None:
        """Every token issued so far now answers the expired-token code (WeChat 42001, Weibo 21327)."""
        with self.lock:
            for side in self.sides.values():
                side.expire_tokens()

    def invalidate_tokens(self) -> None:
        """Every token issued so far now answers the invalid-token code (WeChat 40001, Weibo 21332)."""
        with self.lock:
            for side in self.sides.values():
                side.invalidate_tokens()

    def advance(self, seconds: float) -> None:
        """Move the simulator's clock forward (token lifetimes, overlaps, rate limits, quotas)."""
        with self.lock:
            self.clock_offset += seconds

    def add_fault(
        self,
        path: str | None = None,
        *,
        errcode: int | None = None,
        errmsg: str | None = None,
        delay: float | None = None,
        http_status: int | None = None,
        not_json: bool = False,
        times: int | None = 1,
        platform: str | None = None,
        trickle: float | None = None,
        body: bytes | str | None = None,
    ) -> Fault:
        """The next `times` requests to `path` (any path of `platform`, or any at all) get this fault."""
        if platform is not None and platform not in self.sides:
            raise ValueError(f"unknown platform {platform!r}")
        if all(v is None for v in (errcode, delay, http_status, body)) and not not_json and not trickle:
            raise ValueError("a fault needs errcode, delay, http_status, not_json, trickle or body")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for every request)")
        if path is not None and not path.startswith("/"):
            path = "/" + path
        fault = Fault(path, platform, errcode, errmsg, delay, http_status, not_json, times, trickle, body)
        with self.lock:
            self._faults.append(fault)
        return fault

    # --- inspection ------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every platform request received since the last reset, oldest first."""
        with self.lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def note_internal_error(self, text: str) -> None:
        with self.lock:
            self.internal_errors.append(text)
        print(text, file=sys.stderr)

    @property
    def wechat_menu(self) -> dict | None:
        """The default app's live API menu, exactly as it was sent (None when none is set)."""
        return self.wechat_menu_for(DEFAULT_APPID)

    @wechat_menu.setter
    def wechat_menu(self, menu: dict | None) -> None:
        """Set the live menu as if someone published it elsewhere (drift)."""
        with self.lock:
            self.wechat.set_api_menu(DEFAULT_APPID, menu)

    def wechat_menu_for(self, appid: str) -> dict | None:
        with self.lock:
            app = self.wechat.apps.get(appid)
            return copy.deepcopy(app.menu) if app else None

    @property
    def wechat_conditional_menus(self) -> list[dict]:
        with self.lock:
            return copy.deepcopy(self.wechat.apps[DEFAULT_APPID].conditional)

    @property
    def weibo_menu(self) -> dict | None:
        """The default token's live menu as decoded from the form field (None when none is set)."""
        return self.weibo_menu_for(DEFAULT_WEIBO_TOKEN)

    @weibo_menu.setter
    def weibo_menu(self, menu: dict | None) -> None:
        with self.lock:
            self.weibo.add_token(DEFAULT_WEIBO_TOKEN).menu = copy.deepcopy(menu)

    def weibo_menu_for(self, token: str) -> dict | None:
        with self.lock:
            account = self.weibo.accounts.get(token)
            return copy.deepcopy(account.menu) if account else None

    def state(self) -> dict[str, Any]:
        """Everything worth seeing at a glance (GET /_sim/state)."""
        with self.lock:
            return copy.deepcopy(self._state())

    def _state(self) -> dict[str, Any]:
        return {
            "url": self.url,
            **{name: side.state() for name, side in self.sides.items()},
            "token_fetches": self._token_fetches,
            "request_counts": dict(self._request_counts),
            "faults": [_fault_state(f) for f in self._faults],
            "refusals": self.refusals[-20:],
            "requests": [
                {"method": r.method, "path": r.path, "body": r.body.decode("utf-8", "replace")}
                for r in self._requests[-50:]
            ],
        }

    # --- serving -------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes, client_ip: str) -> Reply:
        parts = urlsplit(target)
        path = parts.path
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        if path.startswith("/_sim/"):
            return self._control(method, path, body)
        side = self.side_for(path)
        if side is None:
            return Reply.html(404, "Not Found")
        req = RecordedRequest(method, path, query, headers, body, client_ip)
        with self.lock:
            self._requests.append(req)
            self._request_counts[path] = self._request_counts.get(path, 0) + 1
            fault = self._take_fault(path, side)
            wake = self._wake
        if fault is not None:
            if fault.delay and wake.wait(fault.delay):
                # A reset ended the wait: this request belongs to a finished test; leave the new state alone.
                return Reply.html(503, _REASONS[503])
            reply = fault.reply(side, req)
            if reply is not None:
                return reply
        with self.lock:
            reply = side.handle(req)
        if fault is not None and fault.trickle:
            reply.trickle = fault.trickle
        return reply

    def side_for(self, path: str) -> PlatformSide | None:
        """The platform side whose prefix the path starts with, or None."""
        return next((side for side in self._by_prefix if path.startswith(side.prefix)), None)

    def _take_fault(self, path: str, side: PlatformSide) -> Fault | None:
        for fault in self._faults:
            if fault.matches(path, side):
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                return fault
        return None

    def _control(self, method: str, path: str, body: bytes) -> Reply:
        """The demo's remote control: faults, reset, token tricks, console menu, state."""
        if path == "/_sim/state":
            return Reply.json(self.state(), content_type="application/json")
        if method != "POST":
            return Reply.json({"error": "use POST"}, status=405, content_type="application/json")
        try:
            data = json.loads(body.decode("utf-8")) if body.strip() else None
        except ValueError:
            return Reply.json({"error": "the body is not JSON"}, status=400, content_type="application/json")
        try:
            if path == "/_sim/fault":
                self.add_fault(**(data or {}))
            elif path == "/_sim/reset":
                self.reset()
            elif path == "/_sim/expire_tokens":
                self.expire_tokens()
            elif path == "/_sim/invalidate_tokens":
                self.invalidate_tokens()
            elif path == "/_sim/console_menu":
                self.set_console_menu(data)
            elif path == "/_sim/ip_whitelist":
                self.set_ip_whitelist(data)
            elif path == "/_sim/wechat_tag":  # {"id": "100", "name": "VIP会员"}
                self.add_wechat_tag(str(data["id"]), str(data["name"]))
            elif (
                path == "/_sim/wechat_follower"
            ):  # {"user_id": "o-1", "tags": ["100"], "client_platform_type": "1"}
                self.tag_follower(
                    str(data["user_id"]),
                    *data.get("tags", []),
                    client_platform_type=data.get("client_platform_type"),
                )
            else:
                return Reply.json({"error": "unknown control"}, status=404, content_type="application/json")
        except (TypeError, ValueError, KeyError) as exc:
            return Reply.json({"error": str(exc)}, status=400, content_type="application/json")
        return Reply.json({"ok": True}, content_type="application/json")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the body of the second reply on a kept-alive
    # connection waits for the client's delayed ACK (~40 ms per call, measured by bench/run.py).
    disable_nagle_algorithm = True
    server: _Server

    def version_string(self) -> str:
        return "nginx"

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_GET

    def _serve(self) -> None:
        body = self._read_body()
        headers = dict(self.headers.items())
        try:
            reply = self.server.simulator.handle(
                self.command, self.path, headers, body, self.client_address[0]
            )
        except Exception:  # a bug of the simulator must still answer, and visibly
            self.server.simulator.note_internal_error(traceback.format_exc())
            reply = Reply.html(500, "Internal Server Error")
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.trickle:
                self._trickle(reply)
            else:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a delay fault longer than its timeout)

    def _trickle(self, reply: Reply) -> None:
        wake = self.server.simulator._wake
        for i in range(len(reply.body)):
            self.wfile.write(reply.body[i : i + 1])
            self.wfile.flush()
            if wake.wait(reply.trickle):
                return  # a reset ended the test this answer belonged to

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], simulator: Simulator, verbose: bool) -> None:
        self.simulator = simulator
        self.verbose = verbose
        super().__init__(address, _Handler)


def start_simulator(host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False) -> Simulator:
    """Start the simulator in a daemon thread; `port=0` picks a free port (see `.url`)."""
    sim = Simulator()
    server = _Server((host, port), sim, verbose)
    sim._server = server
    bound_host, bound_port = server.server_address[:2]
    sim.url = f"http://{bound_host}:{bound_port}"
    sim._thread = threading.Thread(target=server.serve_forever, name="platform-simulator", daemon=True)
    sim._thread.start()
    return sim
