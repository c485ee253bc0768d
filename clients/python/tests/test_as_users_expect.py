"""Issue 16 for the Python client: it finds the daemon like the CLI does and
says where it looked; review() follows the suggestion unless told otherwise
and hands back paths; Portuguese comes through like Spanish."""

import os
import tempfile
import unittest
from unittest import mock

from support import EXAMPLE, REPO, DaemonTestCase, daemon_path

import contact_importer.client as client_module
from contact_importer import Client, DaemonNotFound, FileRejected, find_daemon


def setUpModule():
    daemon_path()


class FindingTheDaemonTests(unittest.TestCase):
    def test_found_on_path_without_the_variable(self):
        with tempfile.TemporaryDirectory() as folder:
            link = os.path.join(folder, "contact-importd")
            os.symlink(daemon_path(), link)
            with mock.patch.dict(os.environ, {"PATH": folder}, clear=False):
                os.environ.pop("CONTACT_IMPORTD", None)
                self.assertEqual(find_daemon(), link)

    def test_found_in_the_build_folder_beside_the_package(self):
        built = [os.path.join(REPO, ".build", kind, "contact-importd") for kind in ("debug", "release")]
        if not any(os.access(path, os.X_OK) for path in built):
            self.fail("no .build/debug or .build/release daemon: run `swift build` first")
        with mock.patch.dict(os.environ, {"PATH": "/nonexistent"}, clear=False):
            os.environ.pop("CONTACT_IMPORTD", None)
            self.assertIn(find_daemon(), built)
            # ...and a Client needs nothing else to start.
            with tempfile.TemporaryDirectory() as workspace:
                with Client(workspace=os.path.join(workspace, "ws")) as client:
                    self.assertEqual(client.server_info.get("name"), "contact-importd")

    def test_not_found_says_where_it_looked(self):
        with tempfile.TemporaryDirectory() as folder:
            missing = [client_module.Path(folder) / "debug", client_module.Path(folder) / "release"]
            with mock.patch.object(client_module, "_build_folders", return_value=missing), \
                    mock.patch.dict(os.environ, {"PATH": folder, "CONTACT_IMPORTD": "/no/such/contact-importd"}):
                with self.assertRaises(DaemonNotFound) as caught:
                    find_daemon()
        message = str(caught.exception)
        self.assertIn("$CONTACT_IMPORTD=/no/such/contact-importd (not an executable file)", message)
        self.assertIn("PATH", message)
        self.assertIn(os.path.join(folder, "debug", "contact-importd"), message)
        self.assertIn(os.path.join(folder, "release", "contact-importd"), message)
        self.assertIn("swift build --product contact-importd", message)


class ReviewFollowsTheSuggestionTests(DaemonTestCase):
    def test_review_uses_the_suggested_identifier_mapping_and_purpose(self):
        with self.client(locale="en") as client:
            session = client.open(EXAMPLE)["sessionId"]
            suggestion = client.suggest_mapping(session, purpose="addNew")
            self.assertEqual(suggestion["identifier"], "phone")
            # The purpose is not given twice; identifier and mapping come from the suggestion.
            review = client.review(session, default_country="MX")
            self.assertEqual(review["counts"]["add"], 16)
            self.assertEqual(review["counts"]["error"], 4)
            error_path = review["errorFile"]["path"]
            self.assertFalse(error_path.startswith("file:"), error_path)
            self.assertTrue(os.path.isfile(error_path), error_path)

            job = client.commit(session, review["reviewId"])
            result_path = job["resultFile"]["path"]
            self.assertTrue(os.path.isfile(result_path), result_path)
            self.assertTrue(result_path.startswith(self.workspace), result_path)
            self.assertEqual(client.history()[0]["resultFile"]["path"], result_path)

            # Told otherwise, it does as told: addNew now skips the 16 contacts.
            again = client.open(EXAMPLE)["sessionId"]
            review = client.review(again, purpose="addNew", default_country="MX")
            self.assertEqual(review["counts"]["skip"], 16)

    def test_review_without_a_suggestion_asks_for_one(self):
        with self.client(locale="en") as client:
            session = client.open(EXAMPLE)["sessionId"]
            review = client.review(session, purpose="updateExisting", default_country="MX")
            counts = review["counts"]
            # The identifier came from the suggestion: no -32602 for a missing one.
            self.assertEqual((counts["update"], counts["skip"] + counts["error"]), (0, 20))


class PortugueseTests(DaemonTestCase):
    def test_messages_and_files_in_portuguese(self):
        with self.client(locale="pt") as client:
            with self.assertRaises(FileRejected) as caught:
                client.open(os.path.join(self.temp, "nao-existe.csv"))
            self.assertIn("arquivo", caught.exception.message.lower())
            path = self.write_file("lista.csv", "Nome,Telefone\nAna,+5511912345671\n,+5511912345672\n")
            session = client.open(path)["sessionId"]
            review = client.review(session, purpose="addNew")
            with open(review["errorFile"]["path"], encoding="utf-8-sig") as handle:
                self.assertEqual(handle.readline().rstrip("\r\n"), "Nome,Telefone,Erro")
            job = client.commit(session, review["reviewId"])
            with open(job["resultFile"]["path"], encoding="utf-8-sig") as handle:
                lines = handle.read().splitlines()
            self.assertEqual(lines[0], "Nome,Telefone,Status da importação,Erros")
            self.assertTrue(lines[1].endswith(",Importado,"), lines[1])


if __name__ == "__main__":
    unittest.main()


class UndoAndChangesTests(DaemonTestCase):
    def test_undo_reverses_an_import_and_rows_show_changes(self):
        with self.client(locale="en") as client:
            session = client.open(EXAMPLE)["sessionId"]
            review = client.review(session, purpose="addNew", default_country="MX")
            job = client.commit(session, review["reviewId"])
            self.assertEqual(job["counts"]["imported"], 16)

            # A second look at the same file shows each update as before -> after.
            again = client.open(EXAMPLE)["sessionId"]
            second = client.review(again, purpose="addAndUpdate", default_country="MX")
            rows = client.rows(again, second["reviewId"], action="update", limit=5)["rows"]
            self.assertTrue(all("changes" in row for row in rows), rows)
            self.assertIn("unchanged", second["counts"])

            undone = client.undo(job["jobId"])
            self.assertEqual(undone["undoes"], job["jobId"])
            self.assertEqual(undone["counts"], {"removed": 16, "restored": 0, "conflicts": 0})
            self.assertTrue(os.path.isfile(undone["resultFile"]["path"]))
            history = client.history()
            self.assertEqual(history[-1]["state"], "undone")
            self.assertEqual(history[-1]["undoneBy"], undone["jobId"])
