"""Taking things out of the archive for good: post deletion, thread erasure, blob garbage collection."""
