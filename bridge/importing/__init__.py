"""Past mail in: mailboxes (mbox, Maildir, .eml folders, Outlook .msg) become posts in bulk."""
