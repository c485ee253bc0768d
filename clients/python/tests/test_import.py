"""The Python client against the real contact-importd: whole imports,
errors, cancellation, shutdown."""

import os
import signal
import subprocess
import sys
import threading
import unittest

from support import (
    daemon_path,
    EXAMPLE,
    EXCEL_EXAMPLE,
    PYTHON_ROOT,
    DaemonTestCase,
    generated_contacts,
    read_csv,
)

from contact_importer import (
    Client,
    DaemonNotFound,
    FileRejected,
    MappingInvalid,
    RequestCancelled,
    ReviewHasErrors,
    RpcError,
    SessionNotFound,
    build_mapping,
    import_csv,
)


def setUpModule():
    # One clear failure, rather than one per test, when the daemon is missing.
    daemon_path()


# contactos-ejemplo.csv read with defaultCountry MX: 20 rows, 4 with errors
# (row 8 an invalid e-mail, row 12 no first name, rows 13 and 14 the same
# Spanish phone written two ways).
EXAMPLE_ERROR_ROWS = {8: "invalidValue", 12: "nameMissing", 13: "duplicateInFile", 14: "duplicateInFile"}


class WholeImportTests(DaemonTestCase):
    def test_import_example_file_adds_valid_rows_and_reports_errors(self):
        progress = []
        result = import_csv(
            EXAMPLE,
            purpose="addAndUpdate",
            identifier="phone",
            default_country="MX",
            tags=["python"],
            on_progress=progress.append,
            daemon=self.daemon,
            workspace=self.workspace,
            locale="en",
        )
        self.assertEqual(result.review_counts, {"add": 16, "update": 0, "skip": 0, "error": 4, "total": 20, "unchanged": 0})
        self.assertTrue(result.committed)
        self.assertEqual(result.state, "completed")
        self.assertEqual(result.counts["imported"], 16)
        self.assertEqual(result.counts["updated"], 0)
        self.assertEqual(result.counts["errors"], 4)
        self.assertRegex(result.import_tag, r"^import-\d{8}-\d{6}(-\d+)?$")
        self.assertEqual(
            [entry["field"] for entry in result.mapping],
            ["firstName", "lastName", "phone", "email", "countryCode", "language", "tags"],
        )

        steps = {(p.step, p.kind) for p in progress}
        self.assertIn(("review", "begin"), steps)
        self.assertIn(("commit", "begin"), steps)
        self.assertIn(("commit", "end"), steps)

        rows = read_csv(result.result_file)
        self.assertEqual(
            rows[0],
            ["Nombre", "Apellidos", "Teléfono", "Correo", "País", "Idioma", "Etiquetas", "Import Status", "Errors"],
        )
        statuses = [row[7] for row in rows[1:]]
        self.assertEqual(len(statuses), 20)
        for row_number, status in enumerate(statuses, start=1):
            expected = "Error" if row_number in EXAMPLE_ERROR_ROWS else "Imported"
            self.assertEqual(status, expected, f"row {row_number}: {rows[row_number]}")

        error_rows = read_csv(result.error_file)
        self.assertEqual(error_rows[0][-1], "Error")
        self.assertEqual([row[0] for row in error_rows[1:]], ["Pedro", "", "Raúl", "Elena"])

    def test_reimport_matches_phones_written_differently(self):
        options = dict(default_country="MX", daemon=self.daemon, workspace=self.workspace, locale="en")
        first = import_csv(EXAMPLE, purpose="addNew", identifier="phone", **options)
        self.assertEqual(first.counts["imported"], 16)

        with self.client(locale="en") as client:
            # Lucía was written "(55) 1234-5679" with País México.
            found = client.find_contacts(phone="+525512345679")
            self.assertEqual([c["firstName"] for c in found], ["Lucía"])
            self.assertIn(first.import_tag, found[0]["tags"])
            self.assertEqual(found[0]["countryCode"], "MX")
            self.assertEqual(found[0]["email"], "lucia.hernandez@example.com")
            second = import_csv(EXAMPLE, purpose="addAndUpdate", identifier="phone", client=client,
                                default_country="MX")
            # Not unchanged: the tags column (overwrite) replaces the tags, dropping the first import's tag.
            self.assertEqual(second.review_counts, {"add": 0, "update": 16, "skip": 0, "error": 4, "total": 20, "unchanged": 0})
            self.assertEqual(second.counts["updated"], 16)
            self.assertNotEqual(second.import_tag, first.import_tag)

            jobs = client.history()
            self.assertEqual([job["state"] for job in jobs[:2]], ["completed", "completed"])
            self.assertEqual(jobs[0]["counts"]["updated"], 16)
            self.assertEqual(jobs[0]["fileName"], "contactos-ejemplo.csv")
            self.assertTrue(jobs[0]["resultFile"]["available"])

    def test_mapping_override_and_spanish_result_file(self):
        result = import_csv(
            EXAMPLE,
            purpose="addAll",
            default_country="MX",
            mapping_overrides={"etiquetas": "-", "Idioma": None},
            import_tag=False,
            daemon=self.daemon,
            workspace=self.workspace,
            locale="es",
        )
        self.assertEqual([entry["column"] for entry in result.mapping], [0, 1, 2, 3, 4])
        # addAll matches nothing, so the duplicate phone is not an error there.
        self.assertEqual(result.review_counts["error"], 2)
        self.assertEqual(result.counts["imported"], 18)
        self.assertIsNone(result.import_tag)
        rows = read_csv(result.result_file)
        self.assertEqual(rows[0][-2:], ["Estado de la importación", "Errores"])
        self.assertEqual(rows[1][-2], "Importado")

    def test_windows_1252_semicolon_file(self):
        with self.client(locale="es") as client:
            opened = client.open(EXCEL_EXAMPLE)
            self.assertEqual(opened["file"]["encoding"], "windows-1252")
            self.assertEqual(opened["file"]["delimiter"], ";")
            self.assertEqual(opened["file"]["rowCount"], 8)
            headers = [column["header"] for column in opened["columns"]]
            self.assertEqual(headers, ["Nombre", "Apellidos", "Móvil", "E-mail", "Población", "Idioma", "Observaciones"])
            client.close_session(opened["sessionId"])

            result = import_csv(EXCEL_EXAMPLE, purpose="addNew", identifier="phone", default_country="ES",
                                client=client)
            # Begoña and Íñigo share a mobile number: both rows are errors.
            self.assertEqual(result.review_counts["add"], 6)
            self.assertEqual(result.review_counts["error"], 2)
            found = client.find_contacts(phone="+34 633 21 09 87")
            self.assertEqual(found[0]["firstName"], "José Ramón")
            self.assertEqual(found[0]["lastName"], "Núñez")

    def test_nothing_is_committed_without_consent(self):
        with self.client(locale="en") as client:
            with self.assertRaises(ReviewHasErrors) as caught:
                import_csv(EXAMPLE, purpose="addNew", identifier="phone", default_country="MX",
                           allow_errors=False, client=client)
            self.assertEqual(caught.exception.review["counts"]["error"], 4)
            self.assertTrue(os.path.isfile(caught.exception.error_file))

            dry = import_csv(EXAMPLE, purpose="addNew", identifier="phone", default_country="MX",
                             dry_run=True, client=client)
            self.assertFalse(dry.committed)
            self.assertEqual(dry.review_counts["add"], 16)
            self.assertEqual(dry.counts, {})

            seen = []
            declined = import_csv(EXAMPLE, purpose="addNew", identifier="phone", default_country="MX",
                                  on_review=lambda review: seen.append(review["counts"]) or False, client=client)
            self.assertFalse(declined.committed)
            self.assertEqual(seen[0]["error"], 4)
            self.assertEqual(client.history(), [])

    def test_open_buffer_text_and_page_rows(self):
        with self.client(locale="en") as client:
            opened = client.open(text=generated_contacts(30), file_name="buffer.csv")
            self.assertEqual(opened["file"]["name"], "buffer.csv")
            self.assertEqual(opened["file"]["rowCount"], 30)
            session = opened["sessionId"]
            suggestion = client.suggest_mapping(session, purpose="addNew")
            self.assertEqual(suggestion["identifier"], "phone")
            mapping = build_mapping(opened["columns"], suggestion["mapping"])
            review = client.review(session, purpose="addNew", identifier="phone", mapping=mapping,
                                   default_country="MX")
            self.assertEqual(review["counts"]["add"], 30)
            rows = list(client.iter_rows(session, review["reviewId"], action="add", page_size=7))
            self.assertEqual([row["row"] for row in rows], list(range(1, 31)))
            self.assertEqual(rows[0]["values"]["phone"], "+525512000000")
            self.assertEqual(rows[0]["line"], 2)


class ErrorTests(DaemonTestCase):
    def test_mapping_invalid_lists_every_problem(self):
        with self.client(locale="en") as client:
            opened = client.open(EXAMPLE)
            with self.assertRaises(MappingInvalid) as caught:
                client.review(
                    opened["sessionId"],
                    purpose="addNew",
                    identifier="email",
                    mapping=[
                        {"column": 1, "field": "firstName"},
                        {"column": 2, "field": "firstName"},
                        {"column": 5, "field": "favouriteColour"},
                    ],
                )
            error = caught.exception
            self.assertEqual(error.code, 1004)
            codes = sorted(problem["code"] for problem in error.problems)
            self.assertEqual(codes, ["fieldMappedTwice", "identifierNotMapped", "unknownField"])
            unknown = next(p for p in error.problems if p["code"] == "unknownField")
            self.assertEqual(unknown.get("column"), 5)
            self.assertTrue(all(isinstance(p["message"], str) and p["message"] for p in error.problems))

    def test_mapping_invalid_message_follows_locale(self):
        messages = {}
        for locale in ("en", "es"):
            with self.client(locale=locale) as client:
                opened = client.open(EXAMPLE)
                with self.assertRaises(MappingInvalid) as caught:
                    client.review(opened["sessionId"], purpose="addNew", identifier="phone",
                                  mapping=[{"column": 2, "field": "phone"}])
                self.assertEqual([p["code"] for p in caught.exception.problems], ["nameRequired"])
                messages[locale] = caught.exception.problems[0]["message"]
        self.assertNotEqual(messages["en"], messages["es"])

    def test_file_rejected_reasons(self):
        workbook = self.write_file("libro.xlsx", b"PK\x03\x04" + bytes(range(256)) * 8, mode="wb")
        header_only = self.write_file("vacio.csv", "Nombre,Teléfono\n")
        missing = os.path.join(self.temp, "no-existe.csv")
        with self.client(locale="es") as client:
            for path, reason in ((workbook, "notCsv"), (header_only, "empty"), (missing, "unreadable")):
                with self.subTest(reason=reason):
                    with self.assertRaises(FileRejected) as caught:
                        client.open(path)
                    self.assertEqual(caught.exception.code, 1003)
                    self.assertEqual(caught.exception.reason, reason)
                    self.assertTrue(caught.exception.message)

    def test_unknown_session(self):
        with self.client() as client:
            with self.assertRaises(SessionNotFound) as caught:
                client.suggest_mapping("no-such-session")
            self.assertEqual(caught.exception.code, 1001)

    def test_invalid_params_is_an_rpc_error_with_code(self):
        with self.client() as client:
            with self.assertRaises(RpcError) as caught:
                client.request("import/rows", {"sessionId": "x", "reviewId": "y", "limit": 5000})
            self.assertIn(caught.exception.code, (-32602, 1001))
            with self.assertRaises(RpcError) as caught:
                client.request("import/nonsense", {})
            self.assertEqual(caught.exception.code, -32601)

    def test_missing_daemon_is_reported(self):
        with self.assertRaises(DaemonNotFound):
            Client(os.path.join(self.temp, "nowhere", "contact-importd"))


class CancellationTests(DaemonTestCase):
    def test_cancelled_commit_changes_nothing(self):
        rows = 40000
        with self.client(locale="en") as client:
            opened = client.open(self.write_file("grande.csv", generated_contacts(rows)))
            session = opened["sessionId"]
            mapping = build_mapping(opened["columns"], client.suggest_mapping(session)["mapping"])
            review = client.review(session, purpose="addNew", identifier="phone", mapping=mapping,
                                   default_country="MX")
            self.assertEqual(review["counts"]["add"], rows)

            began = threading.Event()
            kinds = []

            def on_progress(value):
                kinds.append(value["kind"])
                if value["kind"] == "begin":
                    began.set()

            pending = client.commit_async(session, review["reviewId"], on_progress=on_progress)
            self.assertTrue(began.wait(60), "commit sent no progress begin")
            pending.cancel()
            with self.assertRaises(RequestCancelled) as caught:
                pending.result(120)
            self.assertEqual(caught.exception.code, -32800)

            self.assertEqual(client.find_contacts(phone="+525512000000"), [])
            jobs = client.history()
            self.assertEqual(jobs[0]["state"], "cancelled")

            # The session survives a cancelled commit: review again and import.
            again = client.review(session, purpose="addNew", identifier="phone", mapping=mapping,
                                  default_country="MX")
            done = client.commit(session, again["reviewId"])
            self.assertEqual(done["counts"]["imported"], rows)


    def test_control_c_during_commit_rolls_back(self):
        # The example script in a session of its own stands for a terminal's
        # foreground job: SIGINT goes to its whole process group, as Ctrl-C does.
        # The daemon, in a session of its own, must not die of it.
        path = self.write_file("grande.csv", generated_contacts(40000))
        script = subprocess.Popen(
            [sys.executable, os.path.join(PYTHON_ROOT, "examples", "import_csv.py"), path,
             "--purpose", "addNew", "--default-country", "MX", "--workspace", self.workspace,
             "--daemon", self.daemon, "--locale", "en"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        try:
            lines = []
            for line in script.stderr:
                lines.append(line)
                if line.strip().startswith("commit:"):
                    break
            self.assertTrue(lines and "commit:" in lines[-1], "".join(lines))
            os.killpg(script.pid, signal.SIGINT)
            out, err = script.communicate(timeout=120)
        finally:
            if script.poll() is None:
                script.kill()
        self.assertEqual(script.returncode, 130, err)
        self.assertIn("interrupted: nothing was imported", err)
        self.assertNotIn("result file", out)
        with self.client(locale="en") as client:
            self.assertEqual(client.history()[0]["state"], "cancelled")
            self.assertEqual(client.find_contacts(phone="+525512000000"), [])


class LifecycleTests(DaemonTestCase):
    def test_context_manager_shuts_down_cleanly(self):
        with Client(self.daemon, workspace=self.workspace) as client:
            self.assertEqual(client.server_info.get("name"), "contact-importd")
            provider = client.capabilities["importProvider"]
            self.assertEqual(provider["purposes"], ["addNew", "updateExisting", "addAndUpdate", "addAll"])
            self.assertEqual(provider["limits"]["maxRows"], 200000)
        self.assertEqual(client.returncode, 0)
        self.assertFalse(client.running)

    def test_example_script(self):
        completed = subprocess.run(
            [sys.executable, os.path.join(PYTHON_ROOT, "examples", "import_csv.py"), EXAMPLE,
             "--default-country", "MX", "--workspace", self.workspace, "--daemon", self.daemon,
             "--locale", "en", "--tag", "example"],
            capture_output=True, text=True, timeout=300,
        )
        self.assertEqual(completed.returncode, 0, completed.stderr)
        self.assertIn("contactos-ejemplo.csv: 20 rows — add 16, update 0, skip 0, error 4", completed.stdout)
        self.assertIn("imported 16", completed.stdout)
        self.assertIn("result file: ", completed.stdout)


if __name__ == "__main__":
    unittest.main()
