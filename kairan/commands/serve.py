"""`kairan serve [--smtp HOST:PORT] [--http HOST:PORT] [--lmtp HOST:PORT] [--policy HOST:PORT] [--demo]`."""

from __future__ import annotations

import dataclasses

from kairan.config import HostPort, Settings, data_dir_from
from kairan.context import open_context
from kairan.demo import DEMO_NOTE, demo_hint, seed_demo, write_down
from kairan.listeners import Listeners
from kairan.logs import configure_logging
from kairan.server import serve


def register(sub, common) -> None:
    p = sub.add_parser("serve", parents=[common], help="run the SMTP gateway, the web archive and the workers")
    p.add_argument("--smtp", default=None, metavar="HOST:PORT", help="default from kairan.toml (127.0.0.1:2525)")
    p.add_argument("--http", default=None, metavar="HOST:PORT", help="default from kairan.toml (127.0.0.1:8080)")
    p.add_argument("--lmtp", default=None, metavar="HOST:PORT", help="also accept LMTP here")
    p.add_argument("--policy", default=None, metavar="HOST:PORT",
                   help="also answer Postfix's check_policy_service here (docs/postfix.md)")
    p.add_argument("--demo", action="store_true", help="on an empty data folder, create a demo deployment")
    p.set_defaults(run=run_serve)


def following_http(settings: Settings, http: HostPort) -> Settings:
    """base_url follows --http when it only named the configured listener (no public address was set),
    so links in mail and in refusals lead to where the web really is."""
    if http == settings.http_listen or settings.base_url not in ("", f"http://{settings.http_listen}"):
        return settings
    host = "127.0.0.1" if http.host in ("", "0.0.0.0") else http.host
    host = "[::1]" if host == "::" else f"[{host}]" if ":" in host else host
    return dataclasses.replace(settings, base_url=f"http://{host}:{http.port}")


def announce_demo(ctx, smtp_address: str) -> None:
    """The banner, printed once: when the demo has just been created (and written down in DATA/demo.txt)."""
    hint = demo_hint(ctx, smtp_address)
    print(hint + "\n" + write_down(ctx, hint), flush=True)


async def run_serve(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        s = ctx.settings
        configure_logging(s.ops.log_format, s.ops.log_level)
        listeners = Listeners(
            smtp=HostPort.parse(args.smtp, "--smtp") if args.smtp else s.smtp_listen,
            http=HostPort.parse(args.http, "--http") if args.http else s.http_listen,
            lmtp=HostPort.parse(args.lmtp, "--lmtp") if args.lmtp else s.lmtp_listen,
            policy=HostPort.parse(args.policy, "--policy") if args.policy else s.ops.policy_listen)
        ctx.settings = following_http(s, listeners.http)
        created = args.demo and await seed_demo(ctx)
        if args.demo and not created and (ctx.settings.data_dir / DEMO_NOTE).exists():
            print(f"kairan demo: sign-in details in {ctx.settings.data_dir / DEMO_NOTE}", flush=True)
        await serve(ctx, listeners, on_ready=(lambda smtp: announce_demo(ctx, smtp)) if created else None)
    return 0
