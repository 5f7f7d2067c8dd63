"""The error the emulator answers with: ImageKit's ``{"message", "help"}`` JSON and a status."""
from typing import Any

HELP = "For support kindly contact us at support@imagekit.io ."


class ApiError(Exception):
    def __init__(self, status: int, message: str, help_text: str = HELP, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"message": message, "help": help_text, **extra}
