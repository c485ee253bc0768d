"""The connection itself against the real daemon: timeouts, cancellation of any
request, out-of-order responses, a daemon that dies, a bug answered -32603.
Uses the daemon's hidden test methods (`--enable-test-methods`)."""

import os
import signal
import threading
import time

from support import DaemonTestCase, daemon_path

from contact_importer import ConnectionClosed, RequestCancelled, RequestTimeout, RpcError

TEST_METHODS = ["--enable-test-methods"]


def setUpModule():
    daemon_path()


class ConnectionTests(DaemonTestCase):
    def test_timeout_cancels_the_request_and_the_connection_keeps_working(self):
        client = self.client(extra_args=TEST_METHODS)
        started = time.monotonic()
        with self.assertRaises(RequestTimeout):
            client.request("$/test/sleep", {"milliseconds": 60000, "steps": 600}, timeout=0.5)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(client.request("$/test/sleep", {"milliseconds": 10, "steps": 1}), {"slept": 10})

    def test_cancel_any_request_with_progress(self):
        client = self.client(extra_args=TEST_METHODS)
        reports = []
        began = threading.Event()

        def on_progress(value):
            reports.append(value["kind"])
            if value["kind"] == "report":
                began.set()

        pending = client.request_async("$/test/sleep", {"milliseconds": 30000, "steps": 300}, on_progress=on_progress)
        self.assertTrue(began.wait(10), reports)
        pending.cancel()
        with self.assertRaises(RequestCancelled) as caught:
            pending.result(10)
        self.assertEqual(caught.exception.code, -32800)
        self.assertEqual(reports[0], "begin")

    def test_responses_out_of_order_reach_their_requests(self):
        client = self.client(extra_args=TEST_METHODS)
        slow = client.request_async("$/test/sleep", {"milliseconds": 800, "steps": 1})
        fast = client.request_async("$/test/sleep", {"milliseconds": 10, "steps": 1})
        self.assertEqual(fast.result(10), {"slept": 10})
        self.assertFalse(slow.done())
        self.assertEqual(slow.result(10), {"slept": 800})

    def test_internal_error_is_an_rpc_error_and_the_daemon_keeps_serving(self):
        client = self.client(extra_args=TEST_METHODS)
        with self.assertRaises(RpcError) as caught:
            client.request("$/test/fail", {})
        self.assertEqual(caught.exception.code, -32603)
        self.assertEqual(client.history(), [])

    def test_daemon_killed_while_waiting(self):
        client = self.client(extra_args=TEST_METHODS)
        pending = client.request_async("$/test/sleep", {"milliseconds": 60000, "steps": 10})
        os.kill(client._process.pid, signal.SIGKILL)
        with self.assertRaises(ConnectionClosed) as caught:
            pending.result(10)
        self.assertEqual(caught.exception.returncode, -signal.SIGKILL)
        with self.assertRaises(ConnectionClosed):
            client.history()

    def test_notification_callbacks_may_send_requests(self):
        client = self.client(extra_args=TEST_METHODS)
        answers = []
        done = threading.Event()

        def on_progress(value):
            if value["kind"] == "end":
                # On the notification thread: a request from here must not deadlock.
                answers.append(client.request("import/history", {"limit": 1}, timeout=10))
                done.set()

        client.request("$/test/sleep", {"milliseconds": 50, "steps": 2}, on_progress=on_progress)
        self.assertTrue(done.is_set(), "progress callbacks of a request run before its result is returned")
        self.assertEqual(answers, [{"jobs": []}])
