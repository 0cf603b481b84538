#!/bin/sh
# The onboarding of the compose demo profile, through the API as people would do it:
# the project team moves both simulated suppliers to the acceptance stage and records each
# gemeente's supplier; each gemeente records its DPIA sign-off and gives consent. From then on
# the service's scheduler queues the test pulls by itself, and the demo worker pulls them from
# the simulator. Every record says DEMONSTRATIE. Safe to run again: what is done is skipped.
#
# Needs: curl, a POSIX shell; API (default http://api:8080) and a folder with the tokens
# written by the demo-tokens service (projectteam, GM0363, ...).
set -eu

api="${DDAS_API:-http://api:8080}"
tokens="${DDAS_DEMO_TOKENS:-/demo-tokens}"
hash="$(printf 'DEMONSTRATIE' | sha256sum | cut -c1-64)"
projectteam="$(cat "$tokens/projectteam")"

# call METHOD PATH TOKEN [BODY]: prints the body; fails on a status >= 400 naming the call.
call() {
    response="$(mktemp)"
    if [ "$#" -ge 4 ]; then
        status="$(curl -sS -o "$response" -w '%{http_code}' -X "$1" "$api$2" -H "Authorization: Bearer $3" \
            -H 'Content-Type: application/json' -d "$4")"
    else
        status="$(curl -sS -o "$response" -w '%{http_code}' -X "$1" "$api$2" -H "Authorization: Bearer $3")"
    fi
    if [ "$status" -ge 400 ]; then
        echo "$1 $2: HTTP $status" >&2
        cat "$response" >&2
        echo >&2
        rm -f "$response"
        return 1
    fi
    cat "$response"
    rm -f "$response"
}

# phase BODY: the first "fase" in a JSON body.
phase() {
    printf '%s' "$1" | grep -o '"fase" *: *"[a-z_]*"' | head -n 1 | sed 's/.*"\([a-z_]*\)"$/\1/'
}

# service_phase BODY STROOM: the phase of the supplier's service of STROOM in a supplier's JSON
# body (keys sorted: a service's "fase" follows its nested "bewijs" object, before "stroom").
service_phase() {
    printf '%s' "$1" | tr '}' '\n' | grep "\"stroom\" *: *\"$2\"" | head -n 1 |
        grep -o '"fase" *: *"[a-z_]*"' | sed 's/.*"\([a-z_]*\)"$/\1/'
}

# Each supplier's two services: vroegsignalering (exchange model 1.2) and schuldhulpverlening (1.0).
for supplier in xxllnc bkr; do
    for stroom in VS SHV; do
        version=1.2
        [ "$stroom" = SHV ] && version=1.0
        current="$(service_phase "$(call GET "/v1/leveranciers/$supplier" "$projectteam")" "$stroom")"
        if [ "$current" = aangemeld ]; then
            call POST "/v1/leveranciers/$supplier/diensten/$stroom/fase-overgangen" "$projectteam" \
                "{\"naar\": \"api_gebouwd\", \"specificatieVersie\": \"$version\", \"reden\": \"DEMONSTRATIE: compose demo\"}" >/dev/null
            current=api_gebouwd
        fi
        if [ "$current" = api_gebouwd ]; then
            call POST "/v1/leveranciers/$supplier/diensten/$stroom/fase-overgangen" "$projectteam" \
                '{"naar": "fsc_acceptatie", "acceptatieDienst": "DEMONSTRATIE: ddas-supplier-sim", "reden": "DEMONSTRATIE: compose demo"}' \
                >/dev/null
            current=fsc_acceptatie
        fi
        echo "leverancier $supplier $stroom: $current"
    done
done

# gemeente supplier streams organisation (the organisation name must match simulator.demo.json;
# the first gemeente of each supplier has its schuldhulpverlening there too)
while read -r gemeente supplier streams organisation; do
    token="$(cat "$tokens/$gemeente")"
    stromen="\"$(printf '%s' "$streams" | sed 's/,/","/g')\""
    body="$(call GET "/v1/gemeenten/$gemeente" "$projectteam")"
    current="$(phase "$body")"
    if [ "$current" = aangemeld ]; then
        for stroom in $(printf '%s' "$streams" | tr ',' ' '); do
            call PUT "/v1/gemeenten/$gemeente/leveranciers/$stroom" "$projectteam" \
                "{\"leverancier\": \"$supplier\", \"organisatienaam\": \"$organisation\"}" >/dev/null
        done
        call POST "/v1/gemeenten/$gemeente/dpia-akkoorden" "$token" \
            "{\"besluitdatum\": \"2025-09-01\", \"goedkeurendeRol\": \"FG\", \"documentreferentie\": \"DEMONSTRATIE-DPIA-$gemeente\", \"documentSha256\": \"$hash\"}" \
            >/dev/null
        current=dpia_akkoord
    fi
    if [ "$current" = dpia_akkoord ]; then
        call POST "/v1/gemeenten/$gemeente/toestemmingen" "$token" \
            "{\"leverancier\": \"$supplier\", \"stromen\": [$stromen], \"besluitdatum\": \"2025-09-15\", \"besluitvormendOrgaan\": \"college van B&W\", \"documentreferentie\": \"DEMONSTRATIE-BESLUIT-$gemeente\", \"documentSha256\": \"$hash\", \"geldigVan\": \"2025-10-01\"}" \
            >/dev/null
    fi
    body="$(call GET "/v1/gemeenten/$gemeente" "$projectteam")"
    echo "gemeente $gemeente: $(phase "$body")"
done <<EOF
GM0363 xxllnc VS,SHV Gemeente Amsterdam
GM0344 xxllnc VS Gemeente Utrecht
GM0014 bkr VS,SHV Gemeente Groningen
GM0037 bkr VS Gemeente Stadskanaal
EOF

echo "Onboarded. The scheduler queues the test pulls within a minute; watch them with"
echo "  docker compose exec api ddas-regie leveringen list"
