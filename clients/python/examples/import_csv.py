#!/usr/bin/env python3
"""Import a CSV file of contacts and print a summary.

    python3 clients/python/examples/import_csv.py protocol/examples/contactos-ejemplo.csv \
        --purpose addAndUpdate --default-country MX --map "Correo=email" --locale es

The daemon is found through --daemon, $CONTACT_IMPORTD or PATH; without
--workspace the contacts go to the embedded default workspace.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from contact_importer import ContactImporterError, MappingInvalid, RpcError, import_csv  # noqa: E402


def parse_overrides(values):
    overrides = {}
    for value in values:
        header, separator, field = value.partition("=")
        if not separator:
            raise SystemExit(f"--map needs Header=field (or Header=- to skip), got {value!r}")
        overrides[header] = field.strip() or None
    return overrides


def show_progress(progress):
    if progress.kind == "begin":
        print(f"  {progress.step}: {progress.title or ''}", file=sys.stderr)
    elif progress.kind == "report" and progress.message:
        percentage = f"{progress.percentage}% " if progress.percentage is not None else ""
        print(f"  {progress.step}: {percentage}{progress.message}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description="Import contacts from a CSV file.")
    parser.add_argument("csv")
    parser.add_argument("--purpose", default="addAndUpdate",
                        choices=["addNew", "updateExisting", "addAndUpdate", "addAll"])
    parser.add_argument("--identifier", choices=["phone", "email", "contactId"])
    parser.add_argument("--default-country", help="ISO country for phones without a country code, e.g. MX")
    parser.add_argument("--tag", action="append", default=[], help="tag for every added or updated contact")
    parser.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD")
    parser.add_argument("--workspace")
    parser.add_argument("--daemon")
    parser.add_argument("--locale", default="es")
    parser.add_argument("--dry-run", action="store_true", help="review only, change nothing")
    args = parser.parse_args()

    try:
        result = import_csv(
            args.csv,
            purpose=args.purpose,
            identifier=args.identifier,
            tags=args.tag,
            default_country=args.default_country,
            mapping_overrides=parse_overrides(args.map),
            dry_run=args.dry_run,
            on_progress=show_progress,
            daemon=args.daemon,
            workspace=args.workspace,
            locale=args.locale,
        )
    except MappingInvalid as error:
        print(f"error: {error.message}", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem.get('message')} ({problem.get('code')})", file=sys.stderr)
        return 1
    except (RpcError, ContactImporterError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # import_csv has already had a running commit cancelled and rolled back.
        print("interrupted: nothing was imported", file=sys.stderr)
        return 130

    review = result.review_counts
    print(f"{result.file_name}: {review.get('total', 0)} rows — add {review.get('add', 0)}, "
          f"update {review.get('update', 0)}, skip {review.get('skip', 0)}, error {review.get('error', 0)}")
    if result.error_file:
        print(f"error file: {result.error_file}")
    if result.committed:
        counts = result.counts
        print(f"job {result.job_id} {result.state}: imported {counts.get('imported', 0)}, "
              f"updated {counts.get('updated', 0)}, skipped {counts.get('skipped', 0)}, "
              f"errors {counts.get('errors', 0)}; tag {result.import_tag}")
        print(f"result file: {result.result_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
