"""Base URLs of the ImageKit APIs.

Users and test suites reassign ``URL.API_BASE_URL`` / ``URL.UPLOAD_BASE_URL`` at run time, so the
SDK reads them at the moment of each request, never at import.
"""

class URL:
    API_BASE_URL = "https://api.imagekit.io"
    UPLOAD_BASE_URL = "https://upload.imagekit.io"
    BULK_FILE_DELETE = "/batch/deleteByFileIds"
    # Kept for 4.x code that reads these path fragments.
    UPLOAD_URL = "/api/v1/files/upload"
    FILE_URL = "/v1/files"
    FOLDER_URL = "/v1/folder"
    BULK_JOBS_URL = "/v1/bulkJobs"
    METADATA_URL = "/v1/metadata"
    CUSTOM_METADATA_FIELDS_URL = "/v1/customMetadataFields"
