"""Data-protection duties: retention that deletes, erasure of one person with a
receipt and a suppression list, and the access report (docs/privacy.md)."""
