"""ImageKit for Django: a storage backend, template tags, an upload-auth view and a webhook view helper.

Add ``"imagekitio.contrib.django"`` to ``INSTALLED_APPS`` and configure the keys in an ``IMAGEKIT``
settings dict (``PUBLIC_KEY``, ``PRIVATE_KEY``, ``URL_ENDPOINT``...) or the ``IMAGEKIT_*`` environment.
"""
