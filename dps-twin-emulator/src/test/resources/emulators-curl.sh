# The curl tour of the standalone emulators in docs/testing.md (copied there from the tag below).
# EmulatorsJarIT runs it against dps-twin-emulators.jar started as the doc shows and checks its answers.
# tag::curl[]
CONN=${CONNECTION_FILE:-emulators.json}            # written by --connection-file
PEM=$(jq -r .caCertificatePem "$CONN")              # one CA for every emulator
uri() { jq -rn --arg v "$1" '$v|@uri'; }
# Base64(HMAC-SHA256(Base64-decoded key $1, text $2)): SAS signatures and DPS's derived device keys
hmac() {
  printf '%s' "$2" | openssl dgst -sha256 -binary \
      -mac HMAC -macopt "hexkey:$(base64 -d <<< "$1" | od -An -v -tx1 | tr -d ' \n')" | base64
}
sas() {  # resource, key, [key name]: a SAS token valid for an hour
  local sr se; sr=$(uri "$1"); se=$(( $(date +%s) + 3600 ))
  echo "SharedAccessSignature sr=$sr&sig=$(uri "$(hmac "$2" "$sr"$'\n'"$se")")&se=$se${3:+&skn=$3}"
}
JSON='Content-Type: application/json'

# IoT hub service API: a service token whose sr is the hub's host name, signed with iothubowner's key
HUB=$(jq -r '.iotHubs[0].hostName' "$CONN")
SVC=$(jq -r '.iotHubs[0].httpsEndpoint' "$CONN")
TOKEN=$(sas "$HUB" "$(jq -r '.iotHubs[0].sharedAccessKey' "$CONN")" iothubowner)
# (or: TOKEN=$(java -jar dps-twin-emulator/target/dps-twin-emulators.jar sas --connection-file "$CONN"))
hub() { curl -sS --cacert "$PEM" -H "Authorization: $TOKEN" "$@"; echo; }
H='api-version=2021-04-12'
hub -H "$JSON" -X PUT "$SVC/devices/curl-1?$H" -d '{"deviceId": "curl-1"}'
hub "$SVC/devices/curl-1?$H"
hub -H "$JSON" -X POST "$SVC/devices/query?$H" -d '{"query": "SELECT * FROM devices"}'
hub -X DELETE -H 'If-Match: *' -o /dev/null -w '%{http_code}' "$SVC/devices/curl-1?$H"   # 204

# DPS over HTTPS: register a device of the enrollment group with its derived key, then poll the operation
DPS=$(jq -r .dps.httpsEndpoint "$CONN")
SCOPE=$(jq -r .dps.idScope "$CONN")
REG=curl-device-1
DEVICE_KEY=$(hmac "$(jq -r '.dps.enrollmentGroups[0].primaryKey' "$CONN")" "$REG")
DPS_TOKEN=$(sas "$SCOPE/registrations/$REG" "$DEVICE_KEY" registration)
dps() { curl -sS --cacert "$PEM" -H "Authorization: $DPS_TOKEN" -H "$JSON" "$@"; echo; }
D='api-version=2021-06-01'
OPERATION=$(dps -X PUT "$DPS/$SCOPE/registrations/$REG/register?$D" -d "{\"registrationId\": \"$REG\"}" \
    | jq -r .operationId)
for _ in 1 2 3 4 5 6 7 8 9 10; do
  STATE=$(dps "$DPS/$SCOPE/registrations/$REG/operations/$OPERATION?$D")
  [ "$(jq -r .status <<< "$STATE")" = assigning ] || break
  sleep 1
done
echo "$STATE"                                      # "status":"assigned", registrationState.assignedHub

# ADT: any bearer token
ADT=$(jq -r .adt.endpoint "$CONN")
curl -sS --cacert "$PEM" -H 'Authorization: Bearer any-token' "$ADT/models?api-version=2023-10-31"; echo
# end::curl[]
