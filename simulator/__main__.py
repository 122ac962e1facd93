"""`python -m simulator --host 127.0.0.1 --port 8900`: serve every platform until interrupted."""

from __future__ import annotations

import argparse
import sys
import threading

from .server import DEFAULT_APPID, DEFAULT_SECRET, DEFAULT_WEIBO_TOKEN, start_simulator
from .wecom import DEFAULT_AGENTID, DEFAULT_CORPID, DEFAULT_CORPSECRET


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    try:
        sim = start_simulator(args.host, args.port, verbose=args.verbose)
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(f"Platform simulator listening on {sim.url}", flush=True)
    print(f"  WeChat AppID {DEFAULT_APPID}, AppSecret {DEFAULT_SECRET}", flush=True)
    print(f"  Weibo access token {DEFAULT_WEIBO_TOKEN}", flush=True)
    print(
        f"  WeCom (API base {sim.url}/wecom) corp ID {DEFAULT_CORPID}, agent ID {DEFAULT_AGENTID}, "
        f"secret {DEFAULT_CORPSECRET}",
        flush=True,
    )
    # Followers to ask "what does this follower see?" about (conditional menus); /_sim/reset forgets them.
    sim.add_wechat_tag("100", "VIP会员")
    sim.tag_follower("o-demo-vip", "100", client_platform_type="1")
    sim.tag_follower("o-demo-fan")
    print("  WeChat tag 100 VIP会员; followers o-demo-vip (tagged, iOS) and o-demo-fan", flush=True)
    print(f"  state: {sim.url}/_sim/state   (Ctrl+C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
