"""What goes over the wire: the request as received (kept in the log) and the reply to send."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

# WeChat really answers with this non-standard content type; clients must not rely on `charset`.
WECHAT_JSON = "application/json; encoding=utf-8"
WEIBO_JSON = "application/json;charset=UTF-8"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it arrived: the body is the exact bytes the client sent."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    client_ip: str = "127.0.0.1"

    def header(self, name: str, default: str = "") -> str:
        """A header by case-insensitive name."""
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return default

    def json(self) -> Any:
        """The body parsed as JSON (raises ValueError when it is not)."""
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        """The body decoded once as application/x-www-form-urlencoded (first value of each field)."""
        text = self.body.decode("utf-8")
        return {key: values[0] for key, values in parse_qs(text, keep_blank_values=True).items()}


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float = 0.0  # seconds between the body's bytes (a platform or proxy that trickles)

    @classmethod
    def json(cls, data: Any, *, status: int = 200, content_type: str = WECHAT_JSON) -> Reply:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return cls(status, text.encode("utf-8"), {"Content-Type": content_type})

    @classmethod
    def html(cls, status: int, title: str) -> Reply:
        body = (
            f"<html>\r\n<head><title>{status} {title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{status} {title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
            "</body>\r\n</html>\r\n"
        )
        return cls(status, body.encode("ascii"), {"Content-Type": "text/html"})
