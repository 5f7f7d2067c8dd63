"""Option names the upload and file APIs accept (snake_case, as the option classes use them)."""

VALID_FILE_OPTIONS = [
    "path", "fileType", "tags", "includeFolder", "name", "limit", "skip", "type", "sort", "searchQuery",
]

VALID_FILE_DETAIL_OPTIONS = ["fileID"]

VALID_UPLOAD_OPTIONS = [
    "file", "file_name", "use_unique_file_name", "tags", "folder", "is_private_file",
    "custom_coordinates", "response_fields", "extensions", "webhook_url", "overwrite_file",
    "overwrite_ai_tags", "overwrite_tags", "overwrite_custom_metadata", "custom_metadata",
    "transformation", "checks", "is_published",
]
