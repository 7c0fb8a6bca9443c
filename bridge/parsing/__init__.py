"""Raw bytes to a ParsedMail: MIME walk, Japanese charset repair, header decoding, HTML to text.

Knows nothing of replies, threads or storage: imports nothing of ours outside this package."""
