"""The composition root: configuration, the `kairan` command (commands/), `serve` wiring (SMTP,
web and workers on one event loop), demo and fixture seeding. May import every package; none imports it."""
