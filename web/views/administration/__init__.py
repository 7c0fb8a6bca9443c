"""Administration pages, for system admins and org admins (everyone else: 403).

    common.py    the guard, forms, the organizations an admin may see
    members.py   /admin/members: list, add, edit, deactivate, reactivate
    imports.py   /admin/import: CSV upload → preview → apply; /admin/export.csv
    orgs.py      /admin/orgs: organizations (system admins)
    audit.py     /admin/audit: the audit log with filters, and as CSV

Every check is archive.admin.roles'; every change goes through archive.admin (audited there).
"""

from web.views.administration import audit, imports, members, orgs

routes = [*members.routes, *imports.routes, *orgs.routes, *audit.routes]
