"""Messages of the errors the SDK raises before sending anything.

Each value is the ``{"message", "help"}`` dict passed as the exception's first argument, as in 4.x.
"""
import enum
from typing import Dict


def _e(message: str, help: str = "") -> Dict[str, str]:  # noqa: A002 - "help" is the wire name
    return {"message": message, "help": help}


class ERRORS(enum.Enum):
    MANDATORY_INITIALIZATION_MISSING = _e(
        "Missing public_key or private_key or url_endpoint during ImageKit initialization")
    INVALID_TRANSFORMATION_POSITION = _e("Invalid transformationPosition parameter")
    INVALID_URL_GENERATION_PARAMETER = _e("Invalid url parameter")
    INVALID_TRANSFORMATION_OPTIONS = _e("Invalid transformation parameter options")
    CACHE_PURGE_URL_MISSING = _e("Missing URL parameter for this request")
    CACHE_PURGE_STATUS_ID_MISSING = _e("Missing Request ID parameter for this request")
    FILE_ID_MISSING = _e("Missing File ID parameter for this request")
    FILE_VERSION_ID_MISSING = _e("Missing Version ID parameter for this request")
    JOB_ID_MISSING = _e("Missing Job ID parameter for this request")
    UPDATE_DATA_MISSING = _e("Missing file update data for this request")
    UPDATE_DATA_TAGS_INVALID = _e("Invalid tags parameter for this request",
                                  "tags should be passed as null or an array like ['tag1', 'tag2']")
    UPDATE_DATA_COORDS_INVALID = _e("Invalid customCoordinates parameter for this request",
                                    "customCoordinates should be passed as null or a string like 'x,y,width,height'")
    LIST_FILES_INPUT_MISSING = _e("Missing options for list files",
                                  "If you do not want to pass any parameter for listing, pass an empty object")
    MISSING_FILE_URL = _e("Missing file_url for purge_cache")
    MISSING_UPLOAD_DATA = _e("Missing data for upload")
    MISSING_UPLOAD_FILE_PARAMETER = _e("Missing file parameter for upload")
    MISSING_UPLOAD_FILENAME_PARAMETER = _e("Missing fileName parameter for upload")
    INVALID_PHASH_VALUE = (_e("Invalid pHash value", "Both pHash strings must be valid hexadecimal numbers"),)
    MISSING_PHASH_VALUE = _e("Missing pHash value", "Please pass two pHash values")
    UNEQUAL_STRING_LENGTH = _e("Unequal pHash string length",
                               "For distance calculation, the two pHash strings must have equal length")
    VERSION_ID_MISSING = FILE_VERSION_ID_MISSING
    MISSING_CUSTOM_METADATA_FIELD_ID = _e("Missing field_id for update_custom_metadata_fields")
    MISSING_FIELD_ID = _e("Missing field_id parameter for this request")
    MISSING_REMOTE_URL = "You must provide remote url"
    MISSING_FILE_IDS = "Need to pass ids in list"
