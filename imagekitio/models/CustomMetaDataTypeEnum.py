from imagekitio.options import CustomMetaDataTypeEnum  # noqa: F401  (4.x import path)
