"""Spaces run by their members, in the web: create one, its settings, leave it, a new thread.

    create      /spaces/new (the form with the directory picker), /spaces/check (live slug check)
    manage      /s/SLUG/settings (space admins) and /s/SLUG/leave (any member)
    new_thread  /s/SLUG/new: a thread started in the browser, taken in the way mail is
    api         POST /api/spaces, POST|DELETE /api/spaces/SLUG/members…
    picker      the directory grouped by organization → department, for the forms
    messages    the space rules' sentences, in the member's language
    slugs       an address suggested from a Japanese title
"""

from web.views.spaces import api, create, manage, new_thread

routes = [*create.routes, *manage.routes, *new_thread.routes]
api_routes = api.routes
