"""The other side of the schema check: python-jsonschema validates a document against a
JSON Schema (draft 2020-12, formats asserted) and prints each violation as
{"pointer": RFC 6901 pointer into the document, "keyword": the failing keyword}, sorted.
It prints no value from the document."""

import json
import sys

import jsonschema


def pointer(path):
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def main():
    schema_file, document_file = sys.argv[1], sys.argv[2]
    with open(schema_file, encoding="utf-8") as handle:
        schema = json.load(handle)
    with open(document_file, encoding="utf-8") as handle:
        document = json.load(handle)
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    found = [{"pointer": pointer(error.absolute_path), "keyword": error.validator} for error in validator.iter_errors(document)]
    found.sort(key=lambda item: (item["pointer"], item["keyword"]))
    json.dump(found, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
