"""The Starlette app: pages (views/, one module per part of the site), the JSON API, sign-in,
sessions, security headers. May import archive and search; never bridge or kairan."""
