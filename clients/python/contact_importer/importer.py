"""``import_csv``: a whole import (open, mapping, review, commit) in one call.

The daemon does all the work — reading the file, suggesting the mapping,
checking every row, writing the result file. This module only strings the
requests together, in the order ``protocol/writing-a-client.md`` describes.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from .client import Client, uri_to_path
from .errors import ReviewHasErrors

__all__ = ["ImportResult", "Progress", "import_csv", "build_mapping", "SKIP"]

SKIP = "-"
"""In ``mapping_overrides``, skips a column (as do ``None`` and ``""``)."""


@dataclass(frozen=True)
class Progress:
    """One ``$/progress`` value, tagged with the step it belongs to
    (``"open"``, ``"review"`` or ``"commit"``)."""

    step: str
    kind: str
    title: Optional[str] = None
    message: Optional[str] = None
    percentage: Optional[int] = None


@dataclass
class ImportResult:
    """What ``import_csv`` did. ``counts`` is the commit's (``imported``,
    ``updated``, ``skipped``, ``errors``; empty when nothing was committed),
    ``review_counts`` the review's (``add``, ``update``, ``skip``, ``error``,
    ``total``). Paths are local paths of the files the daemon wrote."""

    file_name: str
    purpose: str
    identifier: Optional[str]
    mapping: List[Dict[str, Any]]
    review_counts: Dict[str, int]
    warnings: List[Dict[str, Any]]
    error_file: Optional[str]
    committed: bool
    counts: Dict[str, int] = field(default_factory=dict)
    job_id: Any = None
    state: Optional[str] = None
    import_tag: Optional[str] = None
    result_file: Optional[str] = None
    result_file_expires_at: Optional[str] = None
    review: Dict[str, Any] = field(default_factory=dict)
    commit: Dict[str, Any] = field(default_factory=dict)


ProgressCallback = Callable[[Progress], None]
Overrides = Mapping[Union[str, int], Optional[str]]


def _comparable(header: str) -> str:
    text = unicodedata.normalize("NFC", header).strip()
    return text.casefold()


def build_mapping(
    columns: Sequence[Dict[str, Any]],
    suggestion: Sequence[Dict[str, Any]],
    overrides: Optional[Overrides] = None,
    overwrite: Union[bool, Mapping[str, bool]] = True,
) -> List[Dict[str, Any]]:
    """The ``mapping`` param of ``import/review``: the suggested field of each
    column, with ``overrides`` applied. An override key is a column header
    (compared ignoring case) or a column index; its value is a field key, or
    ``None``/``"-"``/``""`` to skip the column. Validating field keys is left
    to the daemon (``1004 MappingInvalid`` lists every problem at once)."""
    fields: Dict[int, Optional[str]] = {}
    headers: Dict[int, str] = {}
    for column in columns:
        headers[column["index"]] = column.get("header", "")
    for entry in suggestion:
        fields[entry["column"]] = entry.get("field")

    for key, value in (overrides or {}).items():
        if isinstance(key, int):
            if key not in headers:
                raise ValueError(f"mapping override for column {key}: the file has columns 0-{len(headers) - 1}")
            indexes = [key]
        else:
            wanted = _comparable(key)
            indexes = [index for index, header in headers.items() if _comparable(header) == wanted]
            if not indexes:
                known = ", ".join(repr(header) for header in headers.values())
                raise ValueError(f"mapping override for {key!r}: no such column (columns: {known})")
            indexes = indexes[:1]  # a repeated header: use its column index to reach the others
        fields[indexes[0]] = None if value in (None, "", SKIP) else value

    mapping = []
    for index in sorted(fields):
        field_key = fields[index]
        if field_key is None:
            continue
        entry: Dict[str, Any] = {"column": index, "field": field_key}
        keep = overwrite if isinstance(overwrite, bool) else overwrite.get(field_key, True)
        if not keep:
            entry["overwrite"] = False
        mapping.append(entry)
    return mapping


def import_csv(
    path: Union[str, os.PathLike],
    purpose: str = "addAndUpdate",
    identifier: Optional[str] = None,
    *,
    tags: Optional[Sequence[str]] = None,
    import_tag: Optional[Union[bool, str]] = None,
    default_country: Optional[str] = None,
    mapping_overrides: Optional[Overrides] = None,
    overwrite: Union[bool, Mapping[str, bool]] = True,
    allow_errors: bool = True,
    dry_run: bool = False,
    on_progress: Optional[ProgressCallback] = None,
    on_review: Optional[Callable[[Dict[str, Any]], bool]] = None,
    client: Optional[Client] = None,
    daemon: Optional[Union[str, os.PathLike]] = None,
    workspace: Optional[Union[str, os.PathLike]] = None,
    locale: Optional[str] = None,
    timeout: Optional[float] = None,
) -> ImportResult:
    """Import a CSV file into a workspace and return what happened.

    - ``purpose``: ``addNew``, ``updateExisting``, ``addAndUpdate`` or ``addAll``.
    - ``identifier``: ``phone``, ``email`` or ``contactId``; by default the one
      the daemon suggests (none for ``addAll``).
    - ``mapping_overrides``: ``{"Celular": "phone", "Notas": None}`` — see
      :func:`build_mapping`.
    - ``overwrite``: ``False`` (or ``{"email": False}``) keeps stored values
      (the "don't overwrite" box).
    - ``allow_errors=False`` raises :class:`ReviewHasErrors` instead of
      committing when some rows have errors; ``dry_run=True`` stops after the
      review; ``on_review(review)`` returning ``False`` also stops there.
    - ``client``: an already started :class:`Client` to reuse; otherwise one is
      started with ``daemon``, ``workspace`` and ``locale`` and shut down at the end.
    """
    steps = dict(
        path=path,
        purpose=purpose,
        identifier=identifier,
        tags=tags,
        import_tag=import_tag,
        default_country=default_country,
        mapping_overrides=mapping_overrides,
        overwrite=overwrite,
        allow_errors=allow_errors,
        dry_run=dry_run,
        on_progress=on_progress,
        on_review=on_review,
        timeout=timeout,
    )
    if client is None:
        with Client(daemon, workspace=workspace, locale=locale) as own_client:
            return _import_with(own_client, **steps)
    return _import_with(client, **steps)


def _progress_reporter(step: str, callback: Optional[ProgressCallback]):
    if callback is None:
        return None

    def report(value: Dict[str, Any]) -> None:
        callback(
            Progress(
                step=step,
                kind=str(value.get("kind", "")),
                title=value.get("title"),
                message=value.get("message"),
                percentage=value.get("percentage"),
            )
        )

    return report


def _import_with(
    client: Client,
    *,
    path: Union[str, os.PathLike],
    purpose: str,
    identifier: Optional[str],
    tags: Optional[Sequence[str]],
    import_tag: Optional[Union[bool, str]],
    default_country: Optional[str],
    mapping_overrides: Optional[Overrides],
    overwrite: Union[bool, Mapping[str, bool]],
    allow_errors: bool,
    dry_run: bool,
    on_progress: Optional[ProgressCallback],
    on_review: Optional[Callable[[Dict[str, Any]], bool]],
    timeout: Optional[float],
) -> ImportResult:
    opened = client.open(path, on_progress=_progress_reporter("open", on_progress), timeout=timeout)
    session_id = opened["sessionId"]
    try:
        suggestion = client.suggest_mapping(session_id, purpose=purpose, identifier=identifier)
        if identifier is None and purpose != "addAll":
            identifier = suggestion.get("identifier")
        mapping = build_mapping(opened["columns"], suggestion.get("mapping", []), mapping_overrides, overwrite)
        review = client.review(
            session_id,
            purpose=purpose,
            identifier=identifier,
            mapping=mapping,
            tags=tags,
            import_tag=import_tag,
            default_country=default_country,
            on_progress=_progress_reporter("review", on_progress),
            timeout=timeout,
        )
        error_file = uri_to_path((review.get("errorFile") or {}).get("uri"))
        result = ImportResult(
            file_name=opened.get("file", {}).get("name", os.path.basename(os.fspath(path))),
            purpose=purpose,
            identifier=identifier,
            mapping=mapping,
            review_counts=review.get("counts", {}),
            warnings=opened.get("warnings", []),
            error_file=error_file,
            committed=False,
            import_tag=review.get("importTag"),
            review=review,
        )
        if review.get("counts", {}).get("error", 0) and not allow_errors:
            raise ReviewHasErrors(review, error_file)
        if dry_run or (on_review is not None and on_review(review) is False):
            return result

        commit = client.commit(
            session_id,
            review["reviewId"],
            on_progress=_progress_reporter("commit", on_progress),
            timeout=timeout,
        )
        result_file = commit.get("resultFile") or {}
        result.committed = True
        result.commit = commit
        result.counts = commit.get("counts", {})
        result.job_id = commit.get("jobId")
        result.state = commit.get("state")
        result.import_tag = commit.get("importTag", result.import_tag)
        result.result_file = uri_to_path(result_file.get("uri"))
        result.result_file_expires_at = result_file.get("expiresAt")
        return result
    finally:
        _close_quietly(client, session_id)


def _close_quietly(client: Client, session_id: str) -> None:
    try:
        client.close_session(session_id)
    except Exception:
        # The session may be gone already (expired, or the daemon died); the
        # error that matters has been raised by then.
        pass
