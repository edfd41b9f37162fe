#!/usr/bin/env python3
"""Writes the seed corpora: one directory per fuzz target, one file per input, taken from the tests
(tests/*.rs, iotcode/tests/*.rs and the doc examples). Run it again after adding inputs; the files are committed.
The fuzzers' own corpora (fuzz/corpus/) grow from these and are not committed."""
import hashlib
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

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
    for target in ["decode", "du_erc", "parse_number", "retry_after", "retry_decide"]:
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


if __name__ == "__main__":
    main()
