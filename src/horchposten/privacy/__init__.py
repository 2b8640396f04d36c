"""Privacy by design: audit log, encrypted credentials, pseudonyms, retention and erasure."""
