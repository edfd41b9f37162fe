#!/usr/bin/env python3
"""Writes the seed corpora: one directory per fuzz target, one file per input, taken from the tests
(tests/*.rs, iotcode/tests/*.rs, the fixtures under tests/fixtures/ and the doc examples). Run it again after
adding inputs; the files are committed. The fuzzers' own corpora (fuzz/corpus/) grow from these and are not
committed."""
import hashlib
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")

# Inputs of tests/du.rs, tests/properties.rs, tests/seeds.rs, iotcode/tests/cli.rs and the doc examples.
DECODE = [
    "404001", "404103", "401002", "401", "429", "700", "1", "0", "-1", "-7", "1200", "603", "999",
    " 0x191 ", "0x30501028", "0x0000001C", "0x40000003", "0xD0D01001", "0xA0000001", "0x30200300",
    "0x30200400", "0x30100FFF", "0x30501001", "810553366", "-536870781", "30501028,A0000FFF", "D0190193",
    "A0000FFF", "404 Not Found", "  404 Not Found ", "401 IoTHubUnauthorized", "DEVICE_DISABLED",
    "DEVICE_BLOCKED", "IotHubUnauthorizedAccess", "IoTHubUnauthorized", "PartitionNotFound", "Unapproved",
    "assigning", "ADUC_ERC_NOMEM", "ADUC_ERC_APT_HANDLER_PACKAGE_CANCEL_FAILURE", "EXIT_CODE_SCRIPT",
    "no such thing", "no-such-code", "4o4", "", "   \t\n", "0x", "--1", "+-0", "0x1FFFFFFFF",
    "18446744073709551616", "-2147483649", "\0", "4294967296",
    "failed to provision with IoT Hub, and no valid device backup was found",
]
# (catalogue, service, agent version) selector bytes: 0 unset, else 1 + index in Catalogue::ALL /
# Service::ALL / AgentVersion::ALL (du-extended-result-code = 9; dps = 2; 1.1.0 = 8, 1.0.2 = 7, 0.7.0 = 2).
DECODE_WITH = [
    ((9, 0, 0), "0x0000001C"), ((9, 0, 8), "30501028"), ((9, 0, 7), "0x30200300"), ((9, 0, 2), "0xA0000001"),
    ((0, 0, 8), "0xA0000001"), ((3, 0, 0), "401002"), ((0, 2, 0), "401"), ((8, 0, 0), "700"),
    ((1, 0, 0), "A0000FFF"), ((13, 0, 0), "12"), ((0, 4, 8), "30501028,A0000FFF"),
]
NUMBERS = [
    "404001", " 0x191 ", "-536870781", "--1", "4294967296", "4294967295", "0x", "0x1FFFFFFFF", "0X00000000FF",
    "-2147483648", "-2147483649", "-0", "+-0", "+5", "18446744073709551616", "9" * 40, "", " \t ", "0x-1",
    "1e3", "٣",
]
ERCS = [
    "-536870781", "0x30501028", "810553384", "30501028", "A0000FFF", "30501028,A0000FFF", "3050102,zz",
    "D0190193", "0x30200400", "a0000fff, 30501028", ",", "30501028,", "1,2,3,4,5,6,7,8,9", "1,2,3,4,5,6,7,8,9,10",
    "1.1.0", "1.0.3", "v0.8", "V1.2.0", "0.5.0", "1.0.2.1", "99999.0.0", "100000.0.0", "", " ",
]
RETRY_AFTER = [
    "120", " 7 ", "0", "-5", "-0", "-2.5", "1.5", "1e3", "0x10", "soon", "later", "99999999999999999999999",
    "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
    "Sun, 31 Feb 1994 08:49:37 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "Wed, 01 Jan 2025 00:00:30 GMT",
    "Wednesday, 01-Jan-25 00:00:30 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Wed, 01 Jan 2025 00:00:60 GMT",
    "Sat, 29 Feb 2025 00:00:00 GMT", "Wed, 01 Jan 2025 24:00:00 GMT", "wed, 01 jan 2025 00:00:30 GMT",
    "Wed, 1 Jan 2025 00:00:30 GMT", "Wed, 01 Jan 2025 00:00:30 GMT junk", "Thursday, 29-Feb-96 00:00:00 GMT",
    "Thu, 29 Feb 1900 00:00:00 GMT", "Sun Nov 16 08:49:37 1994",
    "$dps/registrations/res/202/?$rid=7&retry-after=3", "$dps/registrations/res/200/?$rid=8",
    "$rid=1&retry-after=x", "$dps/registrations/res/429/?retry-after=9&$rid=2",
    "$dps/registrations/res/202/?$rid=1&retry-after=", "$dps/registrations/res/202/?$rid=1&retry-after=-4",
]


def fixtures(subdir, suffixes):
    """(name, bytes) of every fixture file in tests/fixtures/<subdir> ending in one of `suffixes`."""
    d = os.path.join(FIXTURES, subdir)
    out = []
    for f in sorted(os.listdir(d)):
        if f.endswith(suffixes):
            with open(os.path.join(d, f), "rb") as fh:
                out.append((f.rsplit(".", 1)[0], fh.read()))
    return out


# Topics and header lines of src/payload/topic.rs and header.rs (unit tests and doc examples),
# tests/payload_no_alloc.rs, tests/payload_retry.rs, tests/payload_bounds.rs and tests/hostile.rs; the topic
# fixtures (first line) are added in main().
TOPICS = [
    "$dps/registrations/res/202/?$rid=7&retry-after=3", "$dps/registrations/res/200/?$rid=8",
    "$dps/registrations/res/429/?retry-after=10&$rid=41&extra=1", "$iothub/twin/res/204/?$rid=3&$version=17",
    "$iothub/methods/res/-1/?$rid=5", "$iothub/methods/res/200/?$rid=1", "$iothub/methods/res/7001/?$rid=2",
    "$dps/registrations/res/202/?retry-after=3&x=y&$rid=7", "$dps/registrations/res/2020/?$rid=1",
    "$dps/registrations/res/099/?$rid=1", "$iothub/twin/res/200?$rid=1", "$iothub/twin/res/200/?$rid=1&$rid=2",
    "$iothub/twin/res/200/?$rid=", "$iothub/twin/res/200/?rid", "$iothub/twin/res/200/?$version=2",
    "$iothub/methods/res/99999999999/?$rid=1", "$iothub/twin/res/#", "devices/d1/messages/events/",
    "$dps/registrations/res/202/?retry-after=3", "$dps/registrations/res/2/?$rid=1",
    "$dps/registrations/res/429/?$rid=1&retry-after=3600", "$dps/registrations/res/429/?$rid=1",
    "$dps/registrations/res/401/?$rid=10", "$dps/registrations/res/202/?$rid=1&retry-after=",
    "$dps/registrations/res/202/?$rid=1&retry-after=-4", "$dps/registrations/res/202/?$rid=1&retry-after=soon",
    "$dps/registrations/res/429/?retry-after=9&$rid=2", "$iothub/twin/res/429/?$rid=9", "",
    "iothub-errorcode: DeviceNotFound", "IotHub-ErrorCode:DeviceNotFound", "IotHubErrorCode: DeviceNotFound ",
    "  iothub-errorcode : DeviceNotFound", "iothub-errorcode:", "iothub-errorcode: Device Not Found",
    "x-ms-error-code: 1", "iothub-errorcode", "content-type: application/json",
]
# JSON and CSV bodies written inline in tests/payload_bounds.rs, tests/payload_du.rs, tests/payload_retry.rs,
# iotcode/tests/payload_cli.rs and the doc examples; every file of tests/fixtures/payload and tests/fixtures/du
# and the registration-info fixture of tests/fixtures/central are added in main().
PAYLOADS = [
    '{"errorCode":404001}', '{"hello":"world"}', '{"records":[{}]}', '{"errorCode":{"x":1}}',
    '{"errorCode":"abc1"}', '{"operationId":"1","status":"failed","registrationState":{"errorCode":-5}}',
    '{"lastInstallResult":{"resultCode":0,"extendedResultCodes":"30501028,XYZ"}}',
    '{"lastInstallResult":{"resultCode":4294967296}}',
    '{"dps_state":{"status":null,"error":"DPS said {\\"errorCode\\": 401002, oops"},"@device_id":"d"}',
    '{"dps_state":{"status":null,"error":"DPS said {\\"errorCode\\":401002,\\"trackingId\\":'
    '\\"0f0e0d0c-0b0a-0908-0706-050403020100\\"}"},"@device_id":"d"}',
    '{"resultCode":0,"extendedResultCode":-1610612735,"resultDetails":"x"}',
    '{"resultCode":700,"extendedResultCode":0,"resultDetails":""}',
    '{"resultCode":-1,"extendedResultCodes":"00000000","stepResults":{}}',
    '{"resultCode":0,"extendedResultCodes":"30501028,A0000FFF"}',
    '{"errorCode":499999,"message":"x"}', "$dps/registrations/res/401/?$rid=10\n{}",
    "$dps/registrations/res/200/?$rid=1\nnot json", '$dps/registrations/res/200/?$rid=1\n{"status":"assig',
    '$dps/registrations/res/200/?$rid=1\n{"hello":1}', '$dps/registrations/res/2x0/?$rid=1\n{"status":"assigned"}',
    '$dps/registrations/res/401/?$rid=5\n{"errorCode":401002,"trackingId":"0f0e0d0c-0b0a-0908-0706-050403020100"}',
    '{"Message":"ErrorCode:DeviceNotFound;Device sensor-9 is not registered","ExceptionMessage":"Tracking '
    'ID:0123456789abcdef0123456789abcdef-G:3-TimeStamp:01/02/2025 03:04:05"}',
    '{"errorCode":429001,"trackingId":"0123456789abcdef0123456789abcdef-G:4-TimeStamp:01/02/2025 03:04:05",'
    '"message":"Throttled","timestampUtc":"2025-01-02T03:04:05Z"}',
    '{"@device_id":"d1","dps_state":{"status":null,"error":"Device is not yet provisioned."},'
    '"device_registration_info":{"device_status":"registered","id":"d1","simulated":false,"template":"dtmi:x:y;1"}}',
    '{"deviceUpdate":{"__t":"c","agent":{"state":255,"lastInstallResult":{"resultCode":0,'
    '"extendedResultCodes":"30501028,A0000FFF","resultDetails":"","stepResults":{"step_0":{"resultCode":0,'
    '"extendedResultCodes":"30501028","resultDetails":"exit 40"}}}}}}',
    '{"Category":"DeviceOperations","OperationName":"AttestationAttempt","ResultType":"Failure",'
    '"ResultSignature":"401","ResourceType":"PROVISIONINGSERVICES",'
    '"properties_s":"{\\"id\\":\\"sensor-07\\",\\"type\\":\\"Registration\\",\\"protocol\\":\\"Mqtt\\"}"}',
    '{"time":"2025-05-03T10:11:12Z","operationName":"deviceDisconnect","category":"Connections","level":"Error",'
    '"resultType":"404104","resultDescription":"DeviceConnectionClosedRemotely","properties":"{\\"deviceId\\":\\"pump-7\\"}"}',
    "Category,OperationName,ResultType,ResultDescription,ResourceType\n"
    "Connections,deviceDisconnect,404104,DeviceConnectionClosedRemotely,IOTHUBS",
    "iothub-errorcode: DeviceNotFound", "[]", "   ", "\ufeff{\"errorCode\":401002}",
]
# (service, agent version, nesting limit, size limit, seed) heads, see fuzz/src/bin/payload_json.rs: DPS = 2,
# IoT Hub = 1, Device Update = 4; agent 1.0.2 = 7, 1.1.0 = 8; nesting 2 levels; 4 x 16 bytes; 254: zero.
PAYLOADS_WITH = [
    ((2, 0, 0, 0, 7), '{"errorCode":401002,"message":"x"}'),
    ((1, 0, 0, 0, 0), '{"errorCode":401002,"message":"x"}'),
    ((4, 7, 0, 0, 0), '{"resultCode":0,"extendedResultCode":-1610612735,"resultDetails":"x"}'),
    ((0, 8, 0, 0, 0), '{"resultCode":0,"extendedResultCodes":"30501028,A0000FFF"}'),
    ((0, 0, 2, 0, 0), '{"errorCode":404001,"info":{"a":"b"},"x":[[1]]}'),
    ((0, 0, 0, 4, 0), '{"errorCode":404001,"message":"a body longer than sixty-four bytes, just"}'),
    ((0, 0, 254, 254, 0), '{"errorCode":404001}'),
    ((0, 0, 255, 255, 0), '{"Message":"{\\"errorCode\\":404103,\\"message\\":\\"offline\\"}"}'),
]
# Lines of tests/central.rs written inline (the fixtures of tests/fixtures/central are added in main()).
CENTRAL = [
    "boiler1 pressure only shows under _unmodeleddata in Raw data",
    "Changes in reported properties:\nversion : 3\n{'thermostat1': {'__t': 'c', 'maxTempSinceLastReboot': 30}, "
    "'swVersion': '1.0'}",
    "Changes in reported properties:\nversion : 9\n{'boiler1': {'__t': 'c', 'maxPressureSinceBoot': 3.1, "
    "'maxPresureSinceBoot': 3.1}, 'deviceInformation': {'__t': 'c', 'swversion': '1.2'}, 'pressure': 2}",
    "[ERROR] [DeviceId: d1] Invalid characters detected. Invalid field names: '['a-1']'. Allowed characters: "
    "['a-z'].\n{\"event\": {\"origin\": \"d1\", \"payload\": {\"a-1\": 1, \"b-1\": 2}}}",
    "[WARNING] [DeviceId: d1] [TemplateId: urn:m:t] Device is sending data that has not been defined in the device "
    "template. Following capabilities have NOT been defined in the device template '['Temperature']'. Following "
    "capabilities have been defined in the device template (grouped by components) '{'thermostat1': "
    "['temperature', 'targetTemperature']}'.",
    "[WARNING] [DeviceId: d] Device is sending data that has not been defined in the device template.",
    "{'a': [[[[[", "{\n{\n{\n", "{'state': 'true', 'av': 7, 'ok': True}",
]


def retry_case(kind, value, service=0, flags=0, sub_kind=0, sub=0, attempt=1, elapsed_ms=0, now=0, seed=0,
               policy_seed=0, retry_after=""):
    """The retry_decide layout (see fuzz/src/bin/retry_decide.rs)."""
    head = struct.pack("<BIBBBIIQQQQ", kind, value & 0xFFFFFFFF, service, flags, sub_kind, sub, attempt,
                       elapsed_ms, now, seed, policy_seed)
    return head + retry_after.encode()


RA, CLOCK, CUSTOM, OFF, API = 16, 8, 2, 4, 1
NOW = 1_735_689_600  # 2025-01-01
# Scenarios of tests/retry.rs and iotcode/tests/retry_cli.rs.
RETRY = [
    retry_case(1, 429, service=2, flags=RA, retry_after="7"),
    retry_case(1, 429, service=2, flags=RA, retry_after="later"),
    retry_case(1, 429, service=2, flags=RA | CLOCK, now=NOW, retry_after="Wed, 01 Jan 2025 00:00:30 GMT"),
    retry_case(1, 429, service=2, flags=RA | CLOCK, now=NOW, retry_after="Wednesday, 01-Jan-25 00:00:30 GMT"),
    retry_case(1, 429, service=2, flags=RA, retry_after="241"),
    retry_case(1, 202, service=2, flags=RA, retry_after="3"),
    retry_case(1, 503, service=1, attempt=3, elapsed_ms=20_000),
    retry_case(1, 503, service=1, attempt=10),
    retry_case(1, 404, service=2),
    retry_case(1, 404, service=2, flags=API),
    retry_case(1, 401, service=3, sub_kind=2, sub=1),
    retry_case(1, 401, service=2, sub_kind=1, sub=400209),
    retry_case(1, 401, service=2, sub_kind=1, sub=401002),
    retry_case(2, 404001), retry_case(2, 403002), retry_case(2, 500001, attempt=0),
    retry_case(5, 1), retry_case(6, 0), retry_case(4, 2), retry_case(7, 3), retry_case(7, 255),
    retry_case(8, 0), retry_case(8, 0xFFFFFFFF), retry_case(9, 0xD0190193), retry_case(9, 0x30501028),
    retry_case(0, 17), retry_case(0, 300),
    retry_case(1, 429, flags=CUSTOM | RA, policy_seed=1, retry_after="5"),
    retry_case(1, 503, flags=CUSTOM | OFF | RA, policy_seed=2, attempt=0xFFFFFFFF, retry_after="5"),
    retry_case(1, 500, flags=CUSTOM, policy_seed=3, elapsed_ms=0xFFFFFFFFFFFFFFFF),
]


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    digest = hashlib.sha1(data).hexdigest()[:12]
    with open(os.path.join(d, f"{name}-{digest}"), "wb") as f:
        f.write(data)


def main():
    for target in ["decode", "du_erc", "parse_number", "retry_after", "retry_decide", "payload_topic",
                   "payload_json", "central_reader", "annotate_record"]:
        d = os.path.join(HERE, target)
        if os.path.isdir(d):
            for f in os.listdir(d):
                os.remove(os.path.join(d, f))
    for s in DECODE:
        write("decode", "test", b"\0\0\0" + s.encode())
    for sel, s in DECODE_WITH:
        write("decode", "with-options", bytes(sel) + s.encode())
    write("decode", "invalid-utf8", b"\0\0\0" + b"4040\xff01")
    # Inputs that found bugs (see the regression tests in tests/hostile.rs).
    write("decode", "regression-erc-list-ignores-catalogue", b"\x01\x00\x00A0000FFF")
    write("decode", "regression-posix-errno-no-mitigation", b"\x0d\x00\x0012")
    for s in NUMBERS:
        write("parse_number", "test", s)
    for s in ERCS:
        write("du_erc", "test", s)
    for s in RETRY_AFTER:
        write("retry_after", "test", s)
    for case in RETRY:
        write("retry_decide", "test", case)

    payload_files = fixtures("payload", (".json", ".txt", ".csv")) + fixtures("du", (".json",))
    registration_info = fixtures("central", (".json",))
    for t in TOPICS:
        write("payload_topic", "test", t)
    for name, data in payload_files:
        if "topic" in name or name.startswith("iothub-errorcode"):
            write("payload_topic", "fixture-" + name, data.split(b"\n")[0].strip())
    head = bytes(5)
    for name, data in payload_files + registration_info:
        write("payload_json", "fixture-" + name, head + data)
    for p in PAYLOADS:
        write("payload_json", "test", head + p.encode())
    for sel, p in PAYLOADS_WITH:
        write("payload_json", "with-options", bytes(sel) + p.encode())

    for name, data in fixtures("central", (".txt", ".json")):
        write("central_reader", "fixture-" + name, data)
    for text in CENTRAL:
        write("central_reader", "test", text)

    # Exports for annotate: head (flags: 1 CSV, 2 auto; record limit in units of 2 bytes, 0 the default;
    # buffer size - 1), then the export. The CSV fixtures and the records of iotcode/tests/payload_cli.rs; the
    # JSON fixtures as one JSON-lines export (each object on one line).
    csv_files = [d for _, d in fixtures("payload", (".csv",))]  # diag-iothub-409002.csv first: CSV_EXPORT
    for data in csv_files:
        write("annotate_record", "fixture-csv", bytes([1, 0, 63]) + data)
        write("annotate_record", "fixture-csv-auto", bytes([2, 0, 3]) + data)
    multiline = (csv_files[0].decode() + '"5/3/2025, 10:12:00.000 AM",IOTHUBS,Connections,deviceDisconnect,Error,'
                 '404104,404,"Device\nConnectionClosedRemotely","{""deviceId"":""pump-04""}"\r\ntoo,few\r\n')
    write("annotate_record", "test-csv-multiline", bytes([1, 0, 7]) + multiline.encode())
    lines = []
    for name, data in payload_files + registration_info:
        if data.lstrip().startswith(b"{"):
            lines.append(json.dumps(json.loads(data, strict=False), separators=(",", ":")))
    lines += ["", '{"unrelated":1}', '{"errorCode": 4', "plain text, not JSON"]
    # A few records per seed: every record is decoded, so a long export makes a slow input.
    for i in range(0, len(lines), 6):
        jsonl = "\n".join(lines[i:i + 6])
        write("annotate_record", "fixture-jsonl", bytes([0, 0, 255]) + jsonl.encode())
        write("annotate_record", "fixture-jsonl-auto-crlf", bytes([2, 0, 15]) + jsonl.replace("\n", "\r\n").encode())
    # Found while writing the target (regression test in iotcode/tests/payload_cli.rs): an error name holding a
    # line break, in JSON embedded in a CSV field, added a line to the annotated export.
    write("annotate_record", "regression-csv-annotation-line-break", bytes([1, 0, 63]) + (
        "Category,OperationName,ResultType,ResultDescription,ResourceType\n"
        'Connections,deviceConnect,404104,"{""errorCode"":""Device\\nNot Found"",""message"":""x""}",IOTHUBS\n'
    ).encode())
    dps_error = payload_files[[n for n, _ in payload_files].index("dps-error-401002")][1].decode().strip()
    big = '{"errorCode":401002,"message":"%s"}' % ("x" * 500)
    write("annotate_record", "test-oversized", bytes([0, 100, 31]) + f"{dps_error}\n{big}\n{dps_error}\n".encode())


if __name__ == "__main__":
    main()
