"""`kairan serve [--smtp HOST:PORT] [--http HOST:PORT] [--lmtp HOST:PORT] [--demo]`."""

from __future__ import annotations

from kairan.config import HostPort, data_dir_from
from kairan.context import open_context
from kairan.demo import demo_hint, seed_demo
from kairan.listeners import Listeners
from kairan.server import serve


def register(sub, common) -> None:
    p = sub.add_parser("serve", parents=[common], help="run the SMTP gateway, the web archive and the workers")
    p.add_argument("--smtp", default=None, metavar="HOST:PORT", help="default from kairan.toml (127.0.0.1:2525)")
    p.add_argument("--http", default=None, metavar="HOST:PORT", help="default from kairan.toml (127.0.0.1:8080)")
    p.add_argument("--lmtp", default=None, metavar="HOST:PORT", help="also accept LMTP here")
    p.add_argument("--demo", action="store_true", help="on an empty data folder, create a demo deployment")
    p.set_defaults(run=run_serve)


async def run_serve(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        s = ctx.settings
        listeners = Listeners(
            smtp=HostPort.parse(args.smtp, "--smtp") if args.smtp else s.smtp_listen,
            http=HostPort.parse(args.http, "--http") if args.http else s.http_listen,
            lmtp=HostPort.parse(args.lmtp, "--lmtp") if args.lmtp else s.lmtp_listen)
        on_ready = None
        if args.demo:
            await seed_demo(ctx)
            on_ready = lambda smtp_address: print(demo_hint(ctx, smtp_address), flush=True)  # noqa: E731
        await serve(ctx, listeners, on_ready=on_ready)
    return 0
