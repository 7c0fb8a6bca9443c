"""`kairan init`: create the data folder, its configuration and database."""

from __future__ import annotations

from archive.db import Database
from kairan.config import CONFIG_NAME, ConfigError, config_text, data_dir_from, load_settings

DEFAULT_DOMAIN = "kairan.example.lg.jp"


def register(sub, common) -> None:
    p = sub.add_parser("init", parents=[common], help="create config (kairan.toml), database, folders")
    p.add_argument("--domain", default=None, help=f"mail domain of space addresses (default {DEFAULT_DOMAIN})")
    p.add_argument("--if-missing", action="store_true", help="do nothing when the folder is set up already")
    p.set_defaults(run=run_init)


async def run_init(args) -> int:
    data_dir = data_dir_from(args.data)
    config = data_dir / CONFIG_NAME
    if config.exists():
        if args.if_missing:
            return 0
        raise ConfigError(f"{data_dir} is set up already ({config} exists): use it, or choose another --data")
    domain = (args.domain or DEFAULT_DOMAIN).strip().lower()
    if "@" in domain or "." not in domain or " " in domain:
        raise ConfigError(f"--domain {domain!r} is not a mail domain (for example kairan.pref.example.lg.jp)")
    data_dir.mkdir(parents=True, exist_ok=True)
    config.write_text(config_text(domain), encoding="utf-8")
    config.chmod(0o600)
    settings = load_settings(data_dir)
    for folder in (settings.blob_dir, settings.index_dir, settings.outbox_dir):
        folder.mkdir(parents=True, exist_ok=True)
    db = await Database.open(settings.db_path)
    await db.close()
    print(f"kairan: data folder ready at {data_dir} (domain {domain})")
    return 0
