# The curl tour of the standalone ADT emulator in docs/testing.md (copied there from the tag below).
# StandaloneEmulatorExamplesTest runs it against the emulator started as the doc shows and checks its answers.
# tag::curl[]
E=${ADT_ENDPOINT:-https://localhost:8443}   # the emulator prints its endpoint
PEM=${ADT_CERT:-adt-emulator.pem}           # the certificate written by --cert (or use curl -k)
V='api-version=2023-10-31'                  # any api-version is accepted
JSON='Content-Type: application/json'
adt() { curl -sS --cacert "$PEM" -H 'Authorization: Bearer any-token' "$@"; echo; }

# models (a raw ; and : in a model id are fine)
adt -H "$JSON" -X POST "$E/models?$V" -d '[{
  "@context": "dtmi:dtdl:context;3", "@id": "dtmi:com:example:Floor;1", "@type": "Interface",
  "contents": [{"@type": "Property", "name": "temperature", "schema": "double"},
               {"@type": "Relationship", "name": "contains"}]}]'
adt "$E/models/dtmi:com:example:Floor;1?includeModelDefinition=true&$V"

# twins
adt -H "$JSON" -H 'If-None-Match: *' -X PUT "$E/digitaltwins/floor-1?$V" \
    -d '{"$metadata": {"$model": "dtmi:com:example:Floor;1"}, "temperature": 21.5}'
adt -i "$E/digitaltwins/floor-1?$V"                                 # with the ETag header
adt -H 'Content-Type: application/json-patch+json' -X PATCH "$E/digitaltwins/floor-1?$V" \
    -d '[{"op": "replace", "path": "/temperature", "value": 22}]'  # 204

# relationships
adt -H "$JSON" -X PUT "$E/digitaltwins/floor-2?$V" -d '{"$metadata": {"$model": "dtmi:com:example:Floor;1"}}'
adt -H "$JSON" -X PUT "$E/digitaltwins/floor-1/relationships/r1?$V" \
    -d '{"$targetId": "floor-2", "$relationshipName": "contains"}'
adt "$E/digitaltwins/floor-2/incomingrelationships?$V"
adt -X DELETE "$E/digitaltwins/floor-2?$V"                          # 400 RelationshipsNotDeleted
adt -X DELETE "$E/digitaltwins/floor-1/relationships/r1?$V"         # 204

# queries: one twin per page; the next page sends only the continuation token
PAGE=$(adt -H "$JSON" -H 'max-items-per-page: 1' -X POST "$E/query?$V" \
    -d "{\"query\": \"SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, 'dtmi:com:example:Floor;1')\"}")
echo "$PAGE"
TOKEN=$(jq -r .continuationToken <<< "$PAGE")
adt -H "$JSON" -X POST "$E/query?$V" -d "{\"continuationToken\": \"$TOKEN\"}"
adt -H "$JSON" -X POST "$E/query?$V" -d '{"query": "SELECT COUNT() FROM DIGITALTWINS"}'
# end::curl[]
