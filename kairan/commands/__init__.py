"""The `kairan` subcommands, one module per group (org, user, space, …); each exports `register`."""
