"""Reply extraction: the new text apart from quoted history and signature.

Pure text rules; may import bridge.parsing (the HTML renderer) and nothing else of ours."""
