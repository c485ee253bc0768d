"""A JSON-RPC client for ``contact-importd`` over its standard input and output.

Threads: one reads the daemon's stdout and matches responses to requests, one
drains its stderr (kept for error reports), and one delivers notifications to
callbacks. Callbacks therefore never run on the reader thread, so a callback
may itself send requests without deadlocking the connection.
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import queue
from pathlib import Path
from typing import Any, Callable, Deque, Dict, Iterator, List, Optional, Sequence, Union
from urllib.parse import unquote, urlparse

from .errors import ConnectionClosed, ContactImporterError, DaemonNotFound, RequestTimeout, RpcError

__all__ = ["Client", "PendingRequest", "find_daemon", "path_to_uri", "uri_to_path"]

JSON = Any
NotificationHandler = Callable[[str, JSON], None]
ProgressHandler = Callable[[Dict[str, Any]], None]

DAEMON_ENV = "CONTACT_IMPORTD"
DEFAULT_TIMEOUT = 120.0
_HEADER_LIMIT = 8192


def _build_folders() -> List[Path]:
    """``.build/debug`` and ``.build/release`` of the checkout this package
    lives in (``clients/python/contact_importer`` → the repository root)."""
    root = Path(__file__).resolve().parents[3]
    return [root / ".build" / "debug", root / ".build" / "release"]


def _is_executable(candidate: str) -> bool:
    return os.path.isfile(candidate) and os.access(candidate, os.X_OK)


def find_daemon(path: Optional[Union[str, os.PathLike]] = None) -> str:
    """Locate ``contact-importd`` the way the ``contact-import`` command does:
    the given path, else ``$CONTACT_IMPORTD``, else the ``PATH``, else the
    build folder of the checkout beside this package (``.build/debug``, then
    ``.build/release``). :class:`DaemonNotFound` says every place it looked."""
    if path is not None:
        candidate = os.fspath(path)
        if _is_executable(candidate):
            return candidate
        # A bare name ("contact-importd") is looked up on PATH like a shell would.
        if os.sep not in candidate:
            resolved = shutil.which(candidate)
            if resolved:
                return resolved
        raise DaemonNotFound(f"contact-importd given as an argument is not an executable file: {candidate}")
    looked: List[str] = []
    from_environment = os.environ.get(DAEMON_ENV)
    if from_environment:
        if _is_executable(from_environment):
            return from_environment
        resolved = shutil.which(from_environment) if os.sep not in from_environment else None
        if resolved:
            return resolved
        looked.append(f"${DAEMON_ENV}={from_environment} (not an executable file)")
    else:
        looked.append(f"${DAEMON_ENV} (not set)")
    found = shutil.which("contact-importd")
    if found:
        return found
    looked.append("PATH")
    for folder in _build_folders():
        candidate = str(folder / "contact-importd")
        if _is_executable(candidate):
            return candidate
        looked.append(candidate)
    raise DaemonNotFound(
        "contact-importd was not found (looked at: " + ", ".join(looked) + "). Build it with "
        "`swift build --product contact-importd`, set $CONTACT_IMPORTD, or put it on PATH."
    )


def path_to_uri(path: Union[str, os.PathLike]) -> str:
    return Path(path).resolve().as_uri()


def uri_to_path(uri: Optional[str]) -> Optional[str]:
    """The local path of a ``file://`` URI (``None`` stays ``None``)."""
    if uri is None:
        return None
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return uri
    return unquote(parsed.path)


def _add_path(result: Any, key: str) -> Any:
    """Adds ``path`` (the local path, or ``None``) beside the ``uri`` of
    ``result[key]``: Python code wants paths, the wire carries URIs."""
    if isinstance(result, dict) and isinstance(result.get(key), dict):
        entry = result[key]
        entry["path"] = uri_to_path(entry.get("uri"))
    return result


class PendingRequest:
    """A request sent and not necessarily answered yet."""

    def __init__(self, client: "Client", request_id: int, method: str):
        self.id = request_id
        self.method = method
        self._client = client
        self._done = threading.Event()
        self._result: JSON = None
        self._error: Optional[BaseException] = None
        # Number of notifications that arrived before the response: result()
        # waits until their callbacks have run, so that progress callbacks of a
        # request are over when its result is returned.
        self._notifications_before = 0
        self._progress_token: Any = None

    def done(self) -> bool:
        return self._done.is_set()

    def cancel(self) -> None:
        """Ask the daemon to cancel the request (``$/cancelRequest``). The
        request then normally ends with :class:`RequestCancelled`."""
        if not self._done.is_set():
            self._client.notify("$/cancelRequest", {"id": self.id})

    def result(self, timeout: Optional[float] = None) -> JSON:
        """Wait for the response; return its result or raise its error.

        On timeout the request is cancelled and :class:`RequestTimeout` raised."""
        if not self._done.wait(timeout):
            self.cancel()
            raise RequestTimeout(self.method, timeout if timeout is not None else 0)
        self._client._wait_for_notifications(self._notifications_before)
        if self._progress_token is not None:
            # A request that failed before its progress ended leaves no callback behind.
            self._client._progress_handlers.pop(self._progress_token, None)
        if self._error is not None:
            raise self._error
        return self._result

    def _resolve(self, result: JSON, error: Optional[BaseException], notifications_before: int) -> None:
        self._result = result
        self._error = error
        self._notifications_before = notifications_before
        self._done.set()


class Client:
    """A connection to one ``contact-importd`` process.

    Use it as a context manager: entering starts the daemon and sends
    ``initialize``/``initialized``; leaving sends ``shutdown`` and ``exit`` and
    kills the process if it does not exit in time::

        with Client(workspace="/tmp/ws", locale="es") as client:
            session = client.open("contactos.csv")
    """

    def __init__(
        self,
        daemon: Optional[Union[str, os.PathLike]] = None,
        *,
        workspace: Optional[Union[str, os.PathLike]] = None,
        locale: Optional[str] = None,
        session_ttl: Optional[int] = None,
        record: Optional[Union[str, os.PathLike]] = None,
        extra_args: Sequence[str] = (),
        env: Optional[Dict[str, str]] = None,
        timeout: float = DEFAULT_TIMEOUT,
        stderr: Optional[Any] = None,
        client_name: str = "contact-importer-python",
        send_process_id: bool = True,
    ):
        self.daemon = find_daemon(daemon)
        self.workspace = os.fspath(workspace) if workspace is not None else None
        self.locale = locale
        self.timeout = timeout
        self.client_name = client_name
        # With processId the daemon exits when this process is gone; a transcript replayed
        # later must not name a process that no longer exists, so recordings leave it out.
        self.send_process_id = send_process_id
        self.server_info: Dict[str, Any] = {}
        self.capabilities: Dict[str, Any] = {}
        self.returncode: Optional[int] = None
        # The last import/suggestMapping of each session, with the purpose it was asked for.
        self._suggestions: Dict[str, tuple] = {}

        args = [self.daemon]
        if self.workspace is not None:
            args += ["--workspace", self.workspace]
        if session_ttl is not None:
            args += ["--session-ttl", str(session_ttl)]
        if record is not None:
            args += ["--record", os.fspath(record)]
        args += list(extra_args)
        self._args = args
        self._env = env
        self._stderr_sink = stderr

        self._process: Optional[subprocess.Popen] = None
        self._write_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._ids = itertools.count(1)
        self._tokens = itertools.count(1)
        self._pending: Dict[Any, PendingRequest] = {}
        self._closed_error: Optional[ConnectionClosed] = None
        self._stderr_tail: Deque[str] = collections.deque(maxlen=200)

        self._handlers: Dict[str, List[NotificationHandler]] = collections.defaultdict(list)
        self._progress_handlers: Dict[Any, ProgressHandler] = {}
        self._notifications: "queue.Queue[Optional[tuple]]" = queue.Queue()
        self._notifications_received = 0
        self._notifications_delivered = 0
        self._delivery = threading.Condition()
        self._threads: List[threading.Thread] = []
        self._dispatcher: Optional[threading.Thread] = None

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self) -> "Client":
        if self._process is None:
            self.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, initialization_options: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Start the daemon and run the ``initialize`` handshake; returns the
        ``initialize`` result."""
        if self._process is not None:
            raise RuntimeError("client already started")
        self._process = subprocess.Popen(
            self._args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self._env,
            # A session of its own: Ctrl-C in a terminal reaches every process of the
            # foreground group, and would kill the daemon mid-commit (history
            # "interrupted") instead of letting commit() ask it to roll back.
            # (``process_group=0`` would do, but only from Python 3.11.)
            start_new_session=True,
        )
        self._spawn(self._read_stdout, "contact-importd-stdout")
        self._spawn(self._read_stderr, "contact-importd-stderr")
        self._dispatcher = self._spawn(self._deliver_notifications, "contact-importd-notifications")

        params: Dict[str, Any] = {
            "clientInfo": {"name": self.client_name},
            "capabilities": {"window": {"workDoneProgress": True}},
        }
        if self.send_process_id:
            params["processId"] = os.getpid()
        if self.locale:
            params["locale"] = self.locale
        if initialization_options:
            params["initializationOptions"] = initialization_options
        try:
            result = self.request("initialize", params)
        except BaseException:
            self._terminate(timeout=2)
            raise
        self.server_info = result.get("serverInfo", {}) if isinstance(result, dict) else {}
        self.capabilities = result.get("capabilities", {}) if isinstance(result, dict) else {}
        self.notify("initialized", {})
        return result

    def close(self, timeout: float = 5.0) -> Optional[int]:
        """Shut the daemon down politely (``shutdown`` then ``exit``); kill it
        if it has not exited within ``timeout`` seconds. Returns its exit code."""
        if self._process is None:
            return None
        if self._process.poll() is None and self._closed_error is None:
            try:
                self.request("shutdown", None, timeout=timeout)
                self.notify("exit")
            except Exception:
                # A daemon that cannot shut down cleanly is killed below.
                pass
        return self._terminate(timeout)

    def _terminate(self, timeout: float) -> Optional[int]:
        process = self._process
        if process is None:
            return None
        try:
            if process.stdin and not process.stdin.closed:
                process.stdin.close()
        except OSError:
            pass
        try:
            self.returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            self.returncode = process.wait()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        return self.returncode

    def stderr_tail(self) -> str:
        """The daemon's last stderr lines (its log)."""
        with self._state_lock:
            return "".join(self._stderr_tail)

    # -- messages ----------------------------------------------------------

    def on_notification(self, method: str, handler: NotificationHandler) -> Callable[[], None]:
        """Call ``handler(method, params)`` for each notification ``method``
        (``"*"`` for every notification). Returns a function that unregisters it."""
        self._handlers[method].append(handler)

        def remove() -> None:
            if handler in self._handlers[method]:
                self._handlers[method].remove(handler)

        return remove

    def new_progress_token(self) -> str:
        return f"{self.client_name}-progress-{next(self._tokens)}"

    def request_async(
        self,
        method: str,
        params: Optional[Dict[str, Any]] = None,
        *,
        on_progress: Optional[ProgressHandler] = None,
    ) -> PendingRequest:
        """Send a request without waiting. With ``on_progress``, a
        ``workDoneToken`` is added to the params and each ``$/progress`` value
        for it is passed to the callback."""
        token = None
        if on_progress is not None:
            params = dict(params or {})
            token = params.setdefault("workDoneToken", self.new_progress_token())
            self._progress_handlers[token] = on_progress
        request_id = next(self._ids)
        pending = PendingRequest(self, request_id, method)
        pending._progress_token = token
        with self._state_lock:
            if self._closed_error is not None:
                raise self._closed_error
            self._pending[request_id] = pending
        message: Dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        self._send(message)
        return pending

    def request(
        self,
        method: str,
        params: Optional[Dict[str, Any]] = None,
        *,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressHandler] = None,
    ) -> JSON:
        """Send a request and wait for its result (raises :class:`RpcError` on
        an error response, :class:`RequestTimeout` after ``timeout`` seconds)."""
        pending = self.request_async(method, params, on_progress=on_progress)
        return pending.result(self.timeout if timeout is None else timeout)

    def notify(self, method: str, params: Optional[Dict[str, Any]] = None) -> None:
        message: Dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self._send(message)

    def _send(self, message: Dict[str, Any]) -> None:
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        frame = b"Content-Length: %d\r\n\r\n" % len(body) + body
        process = self._process
        if process is None or process.stdin is None:
            raise RuntimeError("client not started")
        with self._write_lock:
            try:
                process.stdin.write(frame)
                process.stdin.flush()
            except (BrokenPipeError, ValueError, OSError) as error:
                closed = self._connection_closed(f"cannot write to contact-importd: {error}")
                raise closed from error

    # -- threads -----------------------------------------------------------

    def _spawn(self, target: Callable[[], None], name: str) -> threading.Thread:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)
        return thread

    def _read_stdout(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        stream = self._process.stdout
        reason = "contact-importd closed its output"
        try:
            while True:
                body = self._read_frame(stream)
                if body is None:
                    break
                try:
                    message = json.loads(body.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    self._log(f"[client] ignoring a body that is not JSON: {error}\n")
                    continue
                if isinstance(message, dict):
                    self._dispatch(message)
                else:
                    self._log("[client] ignoring a message that is not a JSON object\n")
        except (OSError, ValueError) as error:
            reason = f"reading from contact-importd failed: {error}"
        self._connection_closed(reason)
        self._notifications.put(None)

    def _read_frame(self, stream: Any) -> Optional[bytes]:
        length: Optional[int] = None
        while True:
            line = stream.readline(_HEADER_LIMIT)
            if not line:
                return None
            stripped = line.strip()
            if not stripped:
                if length is not None:
                    break
                continue
            name, _, value = stripped.partition(b":")
            if name.strip().lower() == b"content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    self._log(f"[client] bad header: {stripped!r}\n")
                    length = None
        body = stream.read(length)
        if body is None or len(body) < length:
            return None
        return body

    def _dispatch(self, message: Dict[str, Any]) -> None:
        method = message.get("method")
        if isinstance(method, str):
            if "id" in message:
                self._answer_server_request(message["id"], method)
            else:
                with self._delivery:
                    self._notifications_received += 1
                self._notifications.put((method, message.get("params")))
            return
        request_id = message.get("id")
        with self._state_lock:
            pending = self._pending.pop(request_id, None)
        if pending is None:
            if request_id is None and "error" in message:
                self._log(f"[client] error without id: {message['error']}\n")
            return
        with self._delivery:
            received = self._notifications_received
        if "error" in message and isinstance(message["error"], dict):
            pending._resolve(None, RpcError.from_response(message["error"], pending.method), received)
        else:
            pending._resolve(message.get("result"), None, received)

    def _answer_server_request(self, request_id: Any, method: str) -> None:
        # The protocol has no server-to-client requests; answer LSP's usual ones
        # harmlessly so that a newer daemon never waits on us.
        if method in ("window/workDoneProgress/create", "client/registerCapability"):
            reply: Dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "result": None}
        else:
            reply = {
                "jsonrpc": "2.0",
                "id": request_id,
                "error": {"code": RpcError.METHOD_NOT_FOUND, "message": f"client does not handle {method}"},
            }
        try:
            self._send(reply)
        except ConnectionClosed:
            pass

    def _deliver_notifications(self) -> None:
        while True:
            item = self._notifications.get()
            if item is None:
                with self._delivery:
                    self._delivery.notify_all()
                return
            method, params = item
            try:
                self._deliver(method, params)
            except Exception as error:  # a failing callback must not stop delivery
                self._log(f"[client] notification callback for {method} failed: {error!r}\n")
            with self._delivery:
                self._notifications_delivered += 1
                self._delivery.notify_all()

    def _deliver(self, method: str, params: JSON) -> None:
        if method == "$/progress" and isinstance(params, dict):
            handler = self._progress_handlers.get(params.get("token"))
            value = params.get("value")
            if handler is not None and isinstance(value, dict):
                if value.get("kind") == "end":
                    self._progress_handlers.pop(params.get("token"), None)
                handler(value)
        for handler in list(self._handlers.get(method, ())) + list(self._handlers.get("*", ())):
            handler(method, params)

    def _wait_for_notifications(self, count: int) -> None:
        if threading.current_thread() is self._dispatcher:
            return
        with self._delivery:
            self._delivery.wait_for(
                lambda: self._notifications_delivered >= count or self._closed_error is not None,
                timeout=30,
            )

    def _read_stderr(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        for raw in iter(self._process.stderr.readline, b""):
            self._log(raw.decode("utf-8", errors="replace"))

    def _log(self, text: str) -> None:
        with self._state_lock:
            self._stderr_tail.append(text)
        sink = self._stderr_sink
        if sink is not None:
            try:
                sink.write(text)
                sink.flush()
            except (OSError, ValueError):
                pass

    def _connection_closed(self, reason: str) -> ConnectionClosed:
        with self._state_lock:
            if self._closed_error is not None:
                return self._closed_error
        returncode = None
        if self._process is not None:
            try:
                returncode = self._process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                returncode = None
        error = ConnectionClosed(reason, returncode=returncode, stderr_tail=self._last_stderr_lines())
        with self._state_lock:
            if self._closed_error is None:
                self._closed_error = error
            pending = list(self._pending.values())
            self._pending.clear()
        for request in pending:
            request._resolve(None, self._closed_error, 0)
        with self._delivery:
            self._delivery.notify_all()
        return self._closed_error

    def _last_stderr_lines(self, count: int = 20) -> str:
        with self._state_lock:
            lines = "".join(self._stderr_tail).splitlines(keepends=True)
        return "".join(lines[-count:])

    # -- the protocol's methods ----------------------------------------------

    def open(
        self,
        path: Optional[Union[str, os.PathLike]] = None,
        *,
        text: Optional[str] = None,
        file_name: Optional[str] = None,
        encoding: Optional[str] = None,
        delimiter: Optional[str] = None,
        on_progress: Optional[ProgressHandler] = None,
        timeout: Optional[float] = None,
    ) -> Dict[str, Any]:
        """``import/open`` a file (by path) or the contents of a buffer
        (``text``); returns the session description."""
        if (path is None) == (text is None):
            raise ValueError("give exactly one of path or text")
        params: Dict[str, Any] = {}
        if path is not None:
            params["uri"] = path_to_uri(path)
        else:
            params["text"] = text
        if file_name is not None:
            params["fileName"] = file_name
        if encoding is not None:
            params["encoding"] = encoding
        if delimiter is not None:
            params["delimiter"] = delimiter
        return self.request("import/open", params, timeout=timeout, on_progress=on_progress)

    def suggest_mapping(
        self, session_id: str, *, purpose: Optional[str] = None, identifier: Optional[str] = None
    ) -> Dict[str, Any]:
        """``import/suggestMapping``. The suggestion (and the purpose asked
        for) is remembered for the session: :meth:`review` uses it unless told
        otherwise."""
        params: Dict[str, Any] = {"sessionId": session_id}
        if purpose is not None:
            params["purpose"] = purpose
        if identifier is not None:
            params["identifier"] = identifier
        result = self.request("import/suggestMapping", params)
        if isinstance(result, dict):
            self._suggestions[session_id] = (purpose, result)
        return result

    def review(
        self,
        session_id: str,
        *,
        purpose: Optional[str] = None,
        mapping: Optional[List[Dict[str, Any]]] = None,
        identifier: Optional[str] = None,
        tags: Optional[Sequence[str]] = None,
        import_tag: Optional[Union[bool, str]] = None,
        default_country: Optional[str] = None,
        on_progress: Optional[ProgressHandler] = None,
        timeout: Optional[float] = None,
    ) -> Dict[str, Any]:
        """``import/review``. Left out, ``purpose``, ``identifier`` and
        ``mapping`` come from the session's :meth:`suggest_mapping` (asked for
        here if it has not been): the purpose given there (else
        ``addAndUpdate``), the suggested identifier (none for ``addAll``) and
        every column the suggestion maps. ``errorFile`` gains ``path``, the
        local path of its ``uri``."""
        remembered = self._suggestions.get(session_id)
        if remembered is None and (mapping is None or (identifier is None and purpose != "addAll")):
            self.suggest_mapping(session_id, purpose=purpose, identifier=identifier)
            remembered = self._suggestions.get(session_id)
        suggested_purpose, suggestion = remembered if remembered else (None, {})
        if purpose is None:
            purpose = suggested_purpose or "addAndUpdate"
        if identifier is None and purpose != "addAll":
            identifier = suggestion.get("identifier")
        if mapping is None:
            mapping = [
                {"column": entry["column"], "field": entry["field"]}
                for entry in suggestion.get("mapping", [])
                if entry.get("field")
            ]
        params: Dict[str, Any] = {"sessionId": session_id, "purpose": purpose, "mapping": mapping}
        if identifier is not None:
            params["identifier"] = identifier
        if tags:
            params["tags"] = list(tags)
        if import_tag is not None:
            params["importTag"] = import_tag
        if default_country is not None:
            params["defaultCountry"] = default_country
        result = self.request("import/review", params, timeout=timeout, on_progress=on_progress)
        _add_path(result, "errorFile")
        return result

    def rows(
        self,
        session_id: str,
        review_id: str,
        *,
        action: Optional[str] = None,
        offset: Optional[int] = None,
        limit: Optional[int] = None,
    ) -> Dict[str, Any]:
        params: Dict[str, Any] = {"sessionId": session_id, "reviewId": review_id}
        if action is not None:
            params["action"] = action
        if offset is not None:
            params["offset"] = offset
        if limit is not None:
            params["limit"] = limit
        return self.request("import/rows", params)

    def iter_rows(
        self, session_id: str, review_id: str, *, action: Optional[str] = None, page_size: int = 1000
    ) -> Iterator[Dict[str, Any]]:
        """Every row outcome of a review (optionally of one action), page by page."""
        offset = 0
        while True:
            page = self.rows(session_id, review_id, action=action, offset=offset, limit=page_size)
            rows = page.get("rows", [])
            yield from rows
            offset += len(rows)
            if not rows or offset >= page.get("total", 0):
                return

    def commit_async(
        self, session_id: str, review_id: str, *, on_progress: Optional[ProgressHandler] = None
    ) -> PendingRequest:
        """Start ``import/commit``; ``.cancel()`` on the result rolls it back."""
        return self.request_async(
            "import/commit", {"sessionId": session_id, "reviewId": review_id}, on_progress=on_progress
        )

    def commit(
        self,
        session_id: str,
        review_id: str,
        *,
        on_progress: Optional[ProgressHandler] = None,
        timeout: Optional[float] = None,
    ) -> Dict[str, Any]:
        """Run ``import/commit`` and return its result. Ctrl-C (``KeyboardInterrupt``)
        while it runs cancels the job and waits for the daemon to roll it back —
        nothing is changed, history says ``cancelled`` — before the interrupt is
        raised again; a second Ctrl-C stops waiting."""
        return self._job_result(self.commit_async(session_id, review_id, on_progress=on_progress), timeout)

    def _job_result(self, pending: PendingRequest, timeout: Optional[float]) -> Dict[str, Any]:
        """The result of a job request (commit, undo), with the result file's ``path``.
        Ctrl-C while it runs cancels the job and waits for the rollback before the
        interrupt is raised again; a second Ctrl-C stops waiting."""
        try:
            result = pending.result(self.timeout if timeout is None else timeout)
            _add_path(result, "resultFile")
            return result
        except KeyboardInterrupt:
            pending.cancel()
            try:
                pending.result(self.timeout)
            except ContactImporterError:
                # RequestCancelled, as expected; anything else is no news worth
                # hiding the interrupt for.
                pass
            raise

    def undo(
        self, job_id: int, *, on_progress: Optional[ProgressHandler] = None, timeout: Optional[float] = None
    ) -> Dict[str, Any]:
        """Run ``import/undo``: reverse a completed import as one job. The result has
        ``counts`` ``{removed, restored, conflicts}`` and ``resultFile`` (with ``path``)
        listing the changes kept because the contacts changed since. Ctrl-C cancels it
        (rolled back) like a commit."""
        return self._job_result(self.request_async("import/undo", {"jobId": job_id}, on_progress=on_progress), timeout)

    def history(self, limit: Optional[int] = None) -> List[Dict[str, Any]]:
        """``import/history``; each ``resultFile`` gains ``path``."""
        params = {"limit": limit} if limit is not None else {}
        jobs = self.request("import/history", params).get("jobs", [])
        for job in jobs:
            _add_path(job, "resultFile")
        return jobs

    def status(self, job_id: Any) -> Dict[str, Any]:
        return _add_path(self.request("import/status", {"jobId": job_id}), "resultFile")

    def close_session(self, session_id: str) -> None:
        self.request("import/close", {"sessionId": session_id})

    def fields(self) -> List[Dict[str, Any]]:
        return self.request("fields/list", {}).get("fields", [])

    def find_contacts(
        self, *, phone: Optional[str] = None, email: Optional[str] = None, default_country: Optional[str] = None
    ) -> List[Dict[str, Any]]:
        params: Dict[str, Any] = {}
        if phone is not None:
            params["phone"] = phone
        if email is not None:
            params["email"] = email
        if default_country is not None:
            params["defaultCountry"] = default_country
        return self.request("contacts/find", params).get("contacts", [])

    def get_contact(self, contact_id: int) -> Dict[str, Any]:
        return self.request("contacts/get", {"contactId": contact_id})
