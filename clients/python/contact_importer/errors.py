"""Exceptions raised by the client.

Every JSON-RPC error response becomes an :class:`RpcError` (or one of its
subclasses, chosen by the error code) carrying ``code``, ``message`` and
``data`` exactly as the daemon sent them; ``message`` is in the locale given to
``initialize``, while ``code`` and ``data`` never change with the locale.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type


class ContactImporterError(Exception):
    """Base class of everything this package raises on purpose."""


class DaemonNotFound(ContactImporterError):
    """No ``contact-importd`` executable could be located."""


class ConnectionClosed(ContactImporterError):
    """The daemon went away (exited, crashed or closed its output) while a
    request was waiting. ``stderr_tail`` holds its last log lines, which usually
    say why."""

    def __init__(self, message: str, *, returncode: Optional[int] = None, stderr_tail: str = ""):
        details = message
        if returncode is not None:
            details += f" (exit code {returncode})"
        if stderr_tail:
            details += "\n--- contact-importd stderr (last lines) ---\n" + stderr_tail
        super().__init__(details)
        self.returncode = returncode
        self.stderr_tail = stderr_tail


class RequestTimeout(ContactImporterError, TimeoutError):
    """A request got no response in time. The client has already sent
    ``$/cancelRequest`` for it."""

    def __init__(self, method: str, timeout: float):
        super().__init__(f"{method}: no response within {timeout:g} s (request cancelled)")
        self.method = method
        self.timeout = timeout


class RpcError(ContactImporterError):
    """A JSON-RPC error response."""

    # Codes from the protocol's error table (protocol/README.md).
    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL_ERROR = -32603
    SERVER_NOT_INITIALIZED = -32002
    REQUEST_CANCELLED = -32800
    SESSION_NOT_FOUND = 1001
    SESSION_EXPIRED = 1002
    FILE_REJECTED = 1003
    MAPPING_INVALID = 1004
    REVIEW_REQUIRED = 1005
    IMPORT_IN_PROGRESS = 1006
    WORKSPACE_ERROR = 1007
    NOT_FOUND = 1008
    TOO_MANY_SESSIONS = 1009

    def __init__(self, code: int, message: str, data: Any = None, *, method: Optional[str] = None):
        prefix = f"{method}: " if method else ""
        super().__init__(f"{prefix}{message} [{code}]")
        self.code = code
        self.message = message
        self.data = data
        self.method = method

    @staticmethod
    def from_response(error: Dict[str, Any], method: Optional[str] = None) -> "RpcError":
        code = error.get("code")
        if not isinstance(code, int):
            code = RpcError.INTERNAL_ERROR
        message = error.get("message")
        if not isinstance(message, str):
            message = "(no message)"
        cls = _ERROR_CLASSES.get(code, RpcError)
        return cls(code, message, error.get("data"), method=method)


class RequestCancelled(RpcError):
    """-32800: the request was cancelled (a cancelled commit changed nothing)."""


class InvalidParams(RpcError):
    """-32602: a parameter is missing, ill-typed or not one of the allowed values."""


class SessionNotFound(RpcError):
    """1001: the session id was never issued or was closed."""


class SessionExpired(RpcError):
    """1002: the session timed out; open the file again."""


class FileRejected(RpcError):
    """1003: the file cannot be imported; ``reason`` is ``notCsv``, ``tooLarge``,
    ``empty``, ``tooManyRows`` or ``unreadable``."""

    @property
    def reason(self) -> Optional[str]:
        return self.data.get("reason") if isinstance(self.data, dict) else None


class MappingInvalid(RpcError):
    """1004: the mapping cannot be used; ``problems`` lists every problem at once,
    each a dict with ``code``, ``message`` and possibly ``column`` / ``field``."""

    @property
    def problems(self) -> list:
        if isinstance(self.data, dict) and isinstance(self.data.get("problems"), list):
            return self.data["problems"]
        return []


class ReviewRequired(RpcError):
    """1005: commit without a review, or with a review that is not the latest."""


class ImportInProgress(RpcError):
    """1006: another job is running on the workspace (``data`` has its
    ``jobId`` and ``startedAt``)."""


class WorkspaceError(RpcError):
    """1007: the workspace cannot be opened or written."""


class NotFound(RpcError):
    """1008: unknown contact or job."""


class TooManySessions(RpcError):
    """1009: the daemon's session limit is reached; close a session first."""


_ERROR_CLASSES: Dict[int, Type[RpcError]] = {
    RpcError.REQUEST_CANCELLED: RequestCancelled,
    RpcError.INVALID_PARAMS: InvalidParams,
    RpcError.SESSION_NOT_FOUND: SessionNotFound,
    RpcError.SESSION_EXPIRED: SessionExpired,
    RpcError.FILE_REJECTED: FileRejected,
    RpcError.MAPPING_INVALID: MappingInvalid,
    RpcError.REVIEW_REQUIRED: ReviewRequired,
    RpcError.IMPORT_IN_PROGRESS: ImportInProgress,
    RpcError.WORKSPACE_ERROR: WorkspaceError,
    RpcError.NOT_FOUND: NotFound,
    RpcError.TOO_MANY_SESSIONS: TooManySessions,
}


class ReviewHasErrors(ContactImporterError):
    """``import_csv(..., allow_errors=False)`` stopped before committing because
    the review found rows with errors. ``review`` is the ``import/review``
    result; ``error_file`` the local path of the error CSV."""

    def __init__(self, review: Dict[str, Any], error_file: Optional[str]):
        counts = review.get("counts", {})
        message = f"{counts.get('error', '?')} of {counts.get('total', '?')} rows have errors"
        if error_file:
            message += f"; see {error_file}"
        super().__init__(message)
        self.review = review
        self.error_file = error_file
