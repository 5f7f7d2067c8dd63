"""The 5.x synchronous surface (``client.files``, ``client.assets``...) over the same engine as 4.x.

Nothing heavy is imported here: ``import imagekitio`` and building a client stay as fast as without it;
the resources, types and engine load on first use.
"""
