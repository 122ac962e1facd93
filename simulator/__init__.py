"""A WeChat, Weibo and WeCom menu API simulator that runs as a real HTTP server on loopback.

It is built from ../shared/reference/platforms.md alone and shares no code with the product, so
that it can judge the product's HTTP clients as the real platforms would. Standard library only.

    from simulator.server import start_simulator
    sim = start_simulator()          # http://127.0.0.1:<ephemeral port>
    ...                              # point an account's api_base at sim.url
    sim.stop()
"""

from .server import DEFAULT_APPID, DEFAULT_SECRET, DEFAULT_WEIBO_TOKEN, Fault, RecordedRequest, Simulator
from .server import start_simulator as start_simulator
from .wecom import DEFAULT_AGENTID, DEFAULT_CORPID, DEFAULT_CORPSECRET

__all__ = [
    "DEFAULT_AGENTID",
    "DEFAULT_APPID",
    "DEFAULT_CORPID",
    "DEFAULT_CORPSECRET",
    "DEFAULT_SECRET",
    "DEFAULT_WEIBO_TOKEN",
    "Fault",
    "RecordedRequest",
    "Simulator",
    "start_simulator",
]
