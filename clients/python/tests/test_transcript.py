"""One scenario checked from both sides.

The Python client runs a whole import with `--record`; the transcript it
produced is committed as protocol/transcripts/python-import.jsonl, which the
Swift suite replays as a client of its own (`contact-importd replay`). This
test runs the scenario again, checks its answers, checks that the client still
says exactly what the committed transcript says, and replays the committed
transcript against the daemon under test.

To re-record after a deliberate protocol change:
    CONTACT_IMPORTER_RECORD=1 python3 -m unittest discover -s clients/python/tests -k transcript
"""

import json
import os
import shutil
import subprocess
import threading

from support import TRANSCRIPTS, DaemonTestCase, daemon_path

from contact_importer import build_mapping

TRANSCRIPT = os.path.join(TRANSCRIPTS, "python-import.jsonl")

# Five rows: three new contacts, one phone written twice (both rows errors).
SCENARIO_CSV = (
    "Nombre,Apellidos,Celular,Correo electrónico,País\n"
    "Ana,García,+52 55 1234 5678,ana@example.com,México\n"
    "Luis,Pérez,(33) 3123 4567,luis@example.com,MX\n"
    "Marta,Ruiz,0034 612 345 678,marta@example.org,España\n"
    "Jorge,Soto,612 345 679,jorge@example.org,España\n"
    "Jorge,Soto,+34 612 345 679,jorge.soto@example.org,España\n"
)


def setUpModule():
    daemon_path()


def client_messages(path):
    """The messages the client sent, in order, without values that differ
    per run (the process id) or are issued by the server (session, review
    and job ids)."""
    messages = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            entry = json.loads(line)
            if entry.get("direction") == "in" and "message" in entry:
                messages.append(_without_volatile(entry["message"]))
    return messages


def _without_volatile(value, key=None):
    if key in ("processId", "sessionId", "reviewId", "jobId"):
        return f"<{key}>"
    if isinstance(value, dict):
        return {name: _without_volatile(member, name) for name, member in value.items()}
    if isinstance(value, list):
        return [_without_volatile(member) for member in value]
    return value


class TranscriptTests(DaemonTestCase):
    def run_scenario(self, record_path):
        """The recorded scenario; returns what the client saw."""
        finished = threading.Event()
        shown = threading.Event()
        with self.client(locale="es", record=record_path, send_process_id=False) as client:
            client.on_notification("import/finished", lambda method, params: finished.set())
            client.on_notification("window/showMessage", lambda method, params: shown.set())
            opened = client.open(text=SCENARIO_CSV, file_name="clientes.csv", on_progress=lambda value: None)
            session = opened["sessionId"]
            suggestion = client.suggest_mapping(session, purpose="addAndUpdate")
            mapping = build_mapping(opened["columns"], suggestion["mapping"])
            review = client.review(
                session,
                purpose="addAndUpdate",
                identifier=suggestion["identifier"],
                mapping=mapping,
                tags=["python"],
                import_tag="python-transcript",
                default_country="MX",
                on_progress=lambda value: None,
            )
            errors = client.rows(session, review["reviewId"], action="error")
            commit = client.commit(session, review["reviewId"], on_progress=lambda value: None)
            # Wait for the job's notifications so that they are recorded before the next
            # request, as a replay expects them.
            self.assertTrue(finished.wait(30), "no import/finished notification")
            self.assertTrue(shown.wait(30), "no window/showMessage notification")
            history = client.history(limit=1)
            client.close_session(session)
        self.assertEqual(client.returncode, 0)
        return suggestion, review, errors, commit, history

    def test_scenario_answers(self):
        record = os.path.join(self.temp, "recorded.jsonl")
        suggestion, review, errors, commit, history = self.run_scenario(record)
        fields = [entry["field"] for entry in suggestion["mapping"]]
        self.assertEqual(fields, ["firstName", "lastName", "phone", "email", "countryCode"])
        self.assertEqual(suggestion["identifier"], "phone")
        self.assertEqual(review["counts"], {"add": 3, "update": 0, "skip": 0, "error": 2, "total": 5, "unchanged": 0})
        self.assertEqual(review["importTag"], "python-transcript")
        self.assertEqual([row["line"] for row in errors["rows"]], [5, 6])
        self.assertEqual([row["errors"][0]["code"] for row in errors["rows"]], ["duplicateInFile"] * 2)
        self.assertEqual(errors["rows"][0]["errors"][0].get("rows"), [5])
        self.assertEqual(commit["counts"]["imported"], 3)
        self.assertEqual(commit["counts"]["errors"], 2)
        self.assertEqual(history[0]["jobId"], commit["jobId"])

        if os.environ.get("CONTACT_IMPORTER_RECORD") == "1":
            os.makedirs(TRANSCRIPTS, exist_ok=True)
            shutil.copyfile(record, TRANSCRIPT)

        self.assertTrue(os.path.isfile(TRANSCRIPT), f"{TRANSCRIPT} is missing; record it with CONTACT_IMPORTER_RECORD=1")
        self.assertEqual(client_messages(record), client_messages(TRANSCRIPT),
                         "the client no longer sends what the committed transcript says")

    def test_committed_transcript_replays(self):
        completed = subprocess.run([self.daemon, "replay", TRANSCRIPT], capture_output=True, text=True, timeout=300)
        self.assertEqual(completed.returncode, 0, completed.stdout + completed.stderr)
