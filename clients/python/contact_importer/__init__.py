"""Python client for ``contact-importd``, the Contact Importer daemon.

Only the standard library is used. See ``clients/python/README.md``.
"""

from .client import Client, PendingRequest, find_daemon, path_to_uri, uri_to_path
from .errors import (
    ConnectionClosed,
    ContactImporterError,
    DaemonNotFound,
    FileRejected,
    ImportInProgress,
    InvalidParams,
    MappingInvalid,
    NotFound,
    RequestCancelled,
    RequestTimeout,
    ReviewHasErrors,
    ReviewRequired,
    RpcError,
    SessionExpired,
    SessionNotFound,
    TooManySessions,
    WorkspaceError,
)
from .importer import SKIP, ImportResult, Progress, build_mapping, import_csv

__version__ = "0.1.0"

__all__ = [
    "Client",
    "PendingRequest",
    "find_daemon",
    "path_to_uri",
    "uri_to_path",
    "ConnectionClosed",
    "ContactImporterError",
    "DaemonNotFound",
    "FileRejected",
    "ImportInProgress",
    "InvalidParams",
    "MappingInvalid",
    "NotFound",
    "RequestCancelled",
    "RequestTimeout",
    "ReviewHasErrors",
    "ReviewRequired",
    "RpcError",
    "SessionExpired",
    "SessionNotFound",
    "TooManySessions",
    "WorkspaceError",
    "SKIP",
    "ImportResult",
    "Progress",
    "build_mapping",
    "import_csv",
]
