"""The README's walk-through, through a client that openapi-python-client generated from the
served /v1/openapi.json (Tests/Interop/openapi-client-peer): the project team records
Amsterdam's supplier, the gemeente records its DPIA sign-off and gives consent, reads its
phase and records, and revokes the consent. Every answer is read as the generated model of
its schema (attribute access on generated classes, enums as enums), never as a dict; an
answer of another type ends the walk with the problem's code.

    openapi_client_walk.py BASE_URL PROJECTTEAM_TOKEN GEMEENTE_TOKEN

Prints one line per step. It prints no token."""

import datetime
import sys

from ddas_regie_client import AuthenticatedClient
from ddas_regie_client.api.default import (
    get_v1_gemeenten_gemeentecode,
    post_v1_gemeenten_gemeentecode_dpia_akkoorden,
    post_v1_gemeenten_gemeentecode_toestemmingen,
    post_v1_gemeenten_gemeentecode_toestemmingen_id_intrekkingen,
    put_v1_gemeenten_gemeentecode_leveranciers_stroom,
)
from ddas_regie_client.models import (
    Gemeente,
    GemeenteFase,
    GemeenteMetGeschiedenis,
    PostV1GemeentenGemeentecodeDpiaAkkoordenBody,
    PostV1GemeentenGemeentecodeToestemmingenBody,
    PostV1GemeentenGemeentecodeToestemmingenIdIntrekkingenBody,
    Problem,
    PutV1GemeentenGemeentecodeLeveranciersStroomBody,
    Stroom,
)

DPIA_SHA256 = "ab" * 32
BESLUIT_SHA256 = "cd" * 32


def typed(response, model):
    """The parsed answer, which must be the generated `model`."""
    parsed = response.parsed
    if isinstance(parsed, Problem):
        sys.exit(f"{response.status_code} {parsed.code}")
    if not isinstance(parsed, model):
        sys.exit(f"{response.status_code}: not a {model.__name__} but {type(parsed).__name__}")
    return parsed


def main():
    base_url, projectteam, gemeente = sys.argv[1], sys.argv[2], sys.argv[3]
    team = AuthenticatedClient(base_url=base_url, token=projectteam, raise_on_unexpected_status=True)
    own = AuthenticatedClient(base_url=base_url, token=gemeente, raise_on_unexpected_status=True)
    code = "GM0363"

    # The project team records Amsterdam's supplier for vroegsignalering.
    detail = typed(
        put_v1_gemeenten_gemeentecode_leveranciers_stroom.sync_detailed(
            code,
            Stroom.VS,
            client=team,
            body=PutV1GemeentenGemeentecodeLeveranciersStroomBody(leverancier="xxllnc", organisatienaam="Gemeente Amsterdam"),
        ),
        Gemeente,
    )
    current = [entry for entry in detail.leveranciers if entry.huidig]
    print(f"leverancier {current[0].stroom.value}: {current[0].leverancier} (huidig)")

    # The gemeente records its DPIA sign-off: fase becomes dpia_akkoord.
    detail = typed(
        post_v1_gemeenten_gemeentecode_dpia_akkoorden.sync_detailed(
            code,
            client=own,
            body=PostV1GemeentenGemeentecodeDpiaAkkoordenBody(
                besluitdatum=parse_date("2025-10-01"),
                goedkeurende_rol="FG",
                documentreferentie="DPIA-2025-17",
                document_sha_256=DPIA_SHA256,
            ),
        ),
        Gemeente,
    )
    assert isinstance(detail.fase, GemeenteFase)
    print(f"fase: {detail.fase.value}")

    # It gives consent to its supplier: fase becomes toestemming_gegeven.
    detail = typed(
        post_v1_gemeenten_gemeentecode_toestemmingen.sync_detailed(
            code,
            client=own,
            body=PostV1GemeentenGemeentecodeToestemmingenBody(
                leverancier="xxllnc",
                stromen=[Stroom.VS],
                besluitdatum=parse_date("2025-10-15"),
                besluitvormend_orgaan="college van B&W",
                documentreferentie="B&W-2025-88",
                document_sha_256=BESLUIT_SHA256,
                geldig_van=parse_date("2025-11-01"),
            ),
        ),
        Gemeente,
    )
    print(f"fase: {detail.fase.value}")

    # See the phase, the records and the history.
    seen = typed(get_v1_gemeenten_gemeentecode.sync_detailed(code, client=own), GemeenteMetGeschiedenis)
    active = [record for record in seen.toestemmingen if record.actief]
    print(
        f"gemeente {seen.gemeentecode} {seen.naam}: {seen.fase.value}, "
        f"{len(seen.toestemmingen)} toestemming(en), {len(active)} actief"
    )

    # Revoke (the id is in the answer above): fase becomes toestemming_ingetrokken.
    detail = typed(
        post_v1_gemeenten_gemeentecode_toestemmingen_id_intrekkingen.sync_detailed(
            code,
            seen.toestemmingen[0].id,
            client=own,
            body=PostV1GemeentenGemeentecodeToestemmingenIdIntrekkingenBody(reden="raadsbesluit"),
        ),
        Gemeente,
    )
    print(f"fase: {detail.fase.value}")
    print(f"toestemming actief: {detail.toestemmingen[0].actief}")


def parse_date(text):
    return datetime.date.fromisoformat(text)


if __name__ == "__main__":
    main()
