"""The CLI's exceptions: each one's text is all the user needs to read.

cliff prints ``str(error)`` of whatever a command raises and exits 1, so
these carry complete, one-line messages and never a traceback.
"""

from __future__ import annotations


class CommandError(Exception):
    """The user asked for something we cannot do (bad input, no match)."""


class ApiError(CommandError):
    """The server answered with an error (a Compute API fault)."""

    def __init__(self, status: int, kind: str, message: str,
                 request_id: str | None) -> None:
        self.status = status
        self.kind = kind
        self.message = message
        self.request_id = request_id
        text = f'ERROR ({kind}): {message} (HTTP {status})'
        if request_id:
            text += f' (Request-ID: {request_id})'
        super().__init__(text)


class ConnectionFailed(CommandError):
    """The endpoint could not be reached (refused, timed out, TLS)."""
