"""Data-protection duties: retention that deletes, erasure of one person with a receipt
and a suppression list, the access report, the audit log, credentials encrypted at
rest and pseudonyms (docs/privacy.md)."""
