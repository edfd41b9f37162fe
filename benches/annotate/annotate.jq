# What a user would write with jq instead of `iotcode annotate` for a JSON-lines export of AzureDiagnostics rows:
# append to every row an "iotcode" member with the same fields annotate adds (iotcode/src/annotate.rs,
# iotcode/src/docs.rs, the row reading of src/payload/diagnostics.rs), the meanings coming from the catalogue
# as `iotcode list <catalogue> --json` prints it:
#
#   iotcode list service-error --json > service-error.json
#   iotcode list http-status --json > http-status.json
#   jq -nc --slurpfile se service-error.json --slurpfile hs http-status.json -f annotate.jq export.jsonl
#
# Added: kind, service, failure, context (identifiers, result fields, TimeGenerated), codes (field, value,
# catalogue and every meaning, narrowed to the row's service, with the fallback warning), warnings.
# Column names are read in the two spellings exports use (Log Analytics' PascalCase, raw resource logs'
# camelCase); annotate matches them ignoring case. Not added: "retry". The decision (action, jittered delay, reason, rule, basis) comes from the retry classifier
# (src/retry/, about 2,800 lines: rule table, backoff bands, SplitMix64 jitter) that nobody would rewrite in jq,
# so this program does strictly less work per row than annotate. Values are not trimmed and ResultType is read
# as decimal only (annotate also trims and reads hex); the generated export (gen_export.py) needs neither.
# Rows that are not AzureDiagnostics rows, or that already carry "iotcode", pass through unchanged, as in
# annotate.

def lc: ascii_downcase;

# Catalogue rows by code, and by lowercased name or alias (each row once per spelling).
def by_code: reduce .[] as $r ({}; .[$r.code | tostring] += [$r]);
# Within a name, today's meaning first (the library orders a name's rows by standing, then catalogue order).
def standing_rank: {"current": 0, "observed": 1, "conflicting": 2, "historical": 3, "doc-error": 4}[.standing];
def by_name: reduce .[] as $r ({}; reduce ([$r.name] + $r.aliases | map(lc) | unique)[] as $n (.; .[$n] += [$r]))
    | map_values(sort_by(standing_rank));

def brief: {catalogue, code, name, standing, description, mitigation};

# The rows named $text: exact spelling of a name or alias first, then the same ignoring case.
def ranked($text): [.[] | select(.name == $text or any(.aliases[]; . == $text))]
    + [.[] | select((.name == $text or any(.aliases[]; . == $text)) | not)];

# One found code: its rows narrowed to $svc; when the service has none but others do, theirs with a warning.
def found($field; $value; $catalogue; $rows; $svc):
  (if $svc == null then $rows else [$rows[] | select(any(.services[]; . == $svc))] end) as $narrow
  | if ($narrow | length) == 0 and $svc != null and ($rows | length) > 0 then
      {code: {field: $field, value: $value, catalogue: $catalogue, matches: ($rows | map(brief))},
       warning: "\($field) \($value): the catalogue has no meaning for \($svc) (shown: other services' meanings)"}
    else
      {code: {field: $field, value: $value, catalogue: $catalogue, matches: ($narrow | map(brief))}}
    end;

def text: if . == null or . == "" then null elif type == "string" then . else tostring end;

($se[0] | by_code) as $se_code
| ($se[0] | by_name) as $se_name
| ($hs[0] | by_code) as $hs_code
| inputs
| . as $row
| def col(names): first((names as $k | $row[$k] | text | values), null);
  if (type != "object") or has("iotcode") or col("OperationName", "operationName") == null
     or ([col("Category", "category", "ResultType", "resultType", "ResourceId", "resourceId",
              "ResourceType", "resourceType")] | all(. == null)) then .
  else
    col("ResourceType", "resourceType") as $rt
    | (col("ResourceId", "resourceId", "_ResourceId") // "") as $rid
    | col("Category", "category") as $cat
    | col("Level", "level") as $level
    | col("ResultType", "resultType") as $result
    | col("ResultSignature", "resultSignature") as $sig
    | col("ResultDescription", "resultDescription") as $desc
    | (col("properties_s", "properties") | if . == null then null else (try fromjson catch null) end
       | if type == "object" then . else null end) as $p
    | ($rt // "" | lc) as $rtl
    | (if $rtl == "iothubs" then "iot-hub"
       elif $rtl == "provisioningservices" then "dps"
       elif ($rid | test("/microsoft\\.devices/iothubs/"; "i")) then "iot-hub"
       elif ($rid | test("/microsoft\\.devices/provisioningservices/"; "i")) then "dps"
       elif $cat == null then null
       elif ($cat | lc) == "deviceoperations" or ($cat | lc) == "serviceoperations" then "dps"
       elif ["connections", "devicetelemetry", "c2dcommands", "deviceidentityoperations",
             "fileuploadoperations", "routes", "d2ctwinoperations", "c2dtwinoperations", "twinqueries",
             "jobsoperations", "directmethods", "distributedtracing", "configurations", "devicestreams"]
            | index([$cat | lc]) then "iot-hub"
       else null end) as $svc
    | [ (if $result != null and ($result | test("^[0-9]+$")) then
           ($result | tonumber) as $n
           | if $n >= 100000 then found("ResultType"; $result; "service-error"; $se_code[$result] // []; $svc)
             else found("ResultType"; $result; "http-status"; $hs_code[$n | tostring] // []; $svc) end
         else empty end),
        (if $sig == null then empty
         elif ($sig | test("^[0-9]{3}$")) then found("ResultSignature"; $sig; "http-status"; $hs_code[$sig] // []; $svc)
         else {warning: "ResultSignature \($sig | tojson) is not an HTTP status"} end),
        (if $desc != null and ($desc | test("^[A-Za-z0-9]+$")) then
           $se_name[$desc | lc] | values | found("ResultDescription"; $desc; "service-error"; ranked($desc); $svc)
         else empty end),
        (($p.statusCode | text) as $status
         | if $status != null and ($status | test("^[0-9]{3}$")) then
             found("properties_s.statusCode"; $status; "http-status"; $hs_code[$status] // []; $svc)
           else empty end)
      ] as $found
    | [$found[] | .code | values] as $codes
    | [$found[] | .warning | values] as $warnings
    | . + {iotcode: ({
        kind: "azure-diagnostics",
        service: $svc,
        failure: (any($codes[]; .catalogue == "service-error"
                         or (.catalogue == "http-status" and (.value | tonumber) >= 400))
                  or ($level != null and ($level | lc) == "error")
                  or ($result != null and ($result | lc) != "success")),
        context: ({
          registration_id: (if $svc == "dps" and (($p.type | text) == null or ($p.type | text | lc) == "registration")
                            then $p.id | text else null end),
          device_id: ($p.deviceId | text),
          module_id: ($p.moduleId | text),
          message: $desc,
          operation_name: col("OperationName", "operationName"),
          category: $cat,
          level: $level,
          result_type: $result,
          correlation_id: col("CorrelationId", "correlationId"),
          timestamps: ([col("TimeGenerated", "time") | values | {field: "TimeGenerated", value: .}])
        } | del(.[] | select(. == null or . == []))),
        codes: $codes
      } + (if $warnings == [] then {} else {warnings: $warnings} end))}
  end
