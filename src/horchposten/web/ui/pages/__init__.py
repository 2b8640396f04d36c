"""The web UI's analysis pages: overview, topic dashboard, mentions explorer, query editor.

They read everything through ``/api/v1`` like any other client: charts in the
browser with ``fetch``, server-rendered fragments through ``apicall``.
"""
