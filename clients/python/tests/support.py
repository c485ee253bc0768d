"""Shared helpers of the client tests: the real daemon, fresh workspaces, files."""

import csv
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_ROOT = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(PYTHON_ROOT))
EXAMPLES = os.path.join(REPO, "protocol", "examples")
TRANSCRIPTS = os.path.join(REPO, "protocol", "transcripts")
EXAMPLE = os.path.join(EXAMPLES, "contactos-ejemplo.csv")
EXCEL_EXAMPLE = os.path.join(EXAMPLES, "clientes-excel.csv")

sys.path.insert(0, PYTHON_ROOT)


def daemon_path() -> str:
    """The daemon under test: $CONTACT_IMPORTD, else the debug build. These
    tests exist to exercise the real daemon, so a missing one is a failure,
    never a skip."""
    path = os.environ.get("CONTACT_IMPORTD") or os.path.join(REPO, ".build", "debug", "contact-importd")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise RuntimeError(
            f"contact-importd not found at {path}: build it with `swift build --product contact-importd` "
            "or set CONTACT_IMPORTD to its path. The client tests run against the real daemon."
        )
    return path


class DaemonTestCase(unittest.TestCase):
    """Each test gets a fresh workspace directory, deleted afterwards."""

    def setUp(self):
        self.daemon = daemon_path()
        self.temp = tempfile.mkdtemp(prefix="contact-importer-py-")
        self.workspace = os.path.join(self.temp, "workspace")
        self.addCleanup(shutil.rmtree, self.temp, ignore_errors=True)

    def client(self, **options):
        from contact_importer import Client

        options.setdefault("workspace", self.workspace)
        options.setdefault("timeout", 120)
        client = Client(self.daemon, **options)
        client.start()
        self.addCleanup(client.close)
        return client

    def write_file(self, name, content, mode="w", encoding="utf-8"):
        path = os.path.join(self.temp, name)
        if "b" in mode:
            with open(path, mode) as handle:
                handle.write(content)
        else:
            with open(path, mode, encoding=encoding, newline="") as handle:
                handle.write(content)
        return path


def read_csv(path):
    """Rows of a result or error file (UTF-8 with BOM, as the daemon writes them)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def generated_contacts(count, first_phone=5512000000):
    """A CSV text of `count` valid Mexican contacts with distinct phones."""
    lines = ["Nombre,Apellidos,Teléfono,Correo"]
    for n in range(count):
        lines.append(f"Nombre{n},Apellido{n},+52 {first_phone + n},persona{n}@example.com")
    return "\n".join(lines) + "\n"
