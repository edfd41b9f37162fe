/*
 * C99 test of the azure_iot_codes C API, run by bindings/c/test.sh against the static and the shared library,
 * plain, under AddressSanitizer + UndefinedBehaviorSanitizer and under valgrind.
 *
 * Every exported function is called with good arguments, NULL arguments, out-of-range ids and (for
 * aic_decode_json) buffers of every size. A table of known answers checks decoding from C; the Rust tests
 * check every code against the Rust API.
 *
 *   test_aic                run the tests; prints "N passed, N failed"; exit status 0 when none failed
 *   test_aic --dump FILE    decode every line of FILE and print one line per input:
 *                           input TAB status TAB catalogue:code:name|catalogue:code:name...
 *                           (test.sh compares this with the same lines made from `iotcode decode --json`)
 */
#define _POSIX_C_SOURCE 200809L

#include "azure_iot_codes.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned passed;
static unsigned failed;

static void check(int ok, const char *what, const char *file, int line) {
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    }
}

#define CHECK(cond) check((cond) ? 1 : 0, #cond, __FILE__, __LINE__)

static void check_status(aic_status got, aic_status want, const char *what, const char *file, int line) {
    if (got == want) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "%s:%d: %s returned %s, expected %s\n", file, line, what, aic_status_str((int)got),
                aic_status_str((int)want));
    }
}

#define CHECK_STATUS(call, want) check_status((call), (want), #call, __FILE__, __LINE__)

static void check_str(const char *got, const char *want, const char *what, const char *file, int line) {
    int ok = (got == NULL && want == NULL) || (got != NULL && want != NULL && strcmp(got, want) == 0);
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", file, line, what, got ? got : "(NULL)",
                want ? want : "(NULL)");
    }
}

#define CHECK_STR(got, want) check_str((got), (want), #got, __FILE__, __LINE__)

/* Whether rows[0..count) contains row. */
static int contains(const aic_row *const *rows, size_t count, const aic_row *row) {
    size_t i;
    for (i = 0; i < count; i++) {
        if (rows[i] == row) {
            return 1;
        }
    }
    return 0;
}

static void test_version(void) {
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", AIC_VERSION_MAJOR, AIC_VERSION_MINOR, AIC_VERSION_PATCH);
    CHECK_STR(aic_version(), expected);
}

static void test_status_str(void) {
    static const struct {
        aic_status status;
        const char *id;
    } table[] = {
        {AIC_OK, "ok"},
        {AIC_ERR_EMPTY, "empty"},
        {AIC_ERR_MALFORMED, "malformed"},
        {AIC_ERR_OUT_OF_RANGE, "out-of-range"},
        {AIC_ERR_NOT_FOUND, "not-found"},
        {AIC_ERR_UNKNOWN_CATALOGUE, "unknown-catalogue"},
        {AIC_ERR_UNKNOWN_SERVICE, "unknown-service"},
        {AIC_ERR_INVALID_UTF8, "invalid-utf8"},
        {AIC_ERR_NULL_ARGUMENT, "null-argument"},
        {AIC_ERR_BUFFER_TOO_SMALL, "buffer-too-small"},
        {AIC_ERR_INTERNAL, "internal"},
    };
    static const int not_statuses[] = {-1, 11, 1000, INT_MAX, INT_MIN};
    size_t i;
    for (i = 0; i < sizeof table / sizeof table[0]; i++) {
        CHECK((int)table[i].status == (int)i);
        CHECK_STR(aic_status_str((int)table[i].status), table[i].id);
    }
    for (i = 0; i < sizeof not_statuses / sizeof not_statuses[0]; i++) {
        CHECK_STR(aic_status_str(not_statuses[i]), "unknown-status");
    }
}

static void test_ids(void) {
    static const char *const catalogues[] = {
        "http-status", "service-error", "auth-suberror", "iot-central-status", "dps-registration-status",
        "dps-registration-substatus", "mqtt-connack",
    };
    static const char *const services[] = {"iot-hub", "dps", "iot-central", "device-update"};
    static const char *const standings[] = {"current", "observed", "conflicting", "historical", "doc-error"};
    static const char *const forms[] = {"decimal", "hex", "signed"};
    uint32_t i;
    uint32_t id;

    CHECK(aic_catalogue_count() == sizeof catalogues / sizeof catalogues[0]);
    CHECK(AIC_CATALOGUE_HTTP_STATUS == 0 && AIC_CATALOGUE_MQTT_CONNACK == 6);
    for (i = 0; i < aic_catalogue_count(); i++) {
        CHECK_STR(aic_catalogue_str(i), catalogues[i]);
        id = 12345;
        CHECK_STATUS(aic_catalogue_from_str(catalogues[i], &id), AIC_OK);
        CHECK(id == i);
    }
    CHECK(aic_catalogue_str(aic_catalogue_count()) == NULL);
    CHECK(aic_catalogue_str(AIC_CATALOGUE_ANY) == NULL);
    CHECK(aic_catalogue_str(UINT32_MAX - 1) == NULL);
    id = 0;
    CHECK_STATUS(aic_catalogue_from_str("Service-Error", &id), AIC_ERR_UNKNOWN_CATALOGUE);
    CHECK(id == AIC_CATALOGUE_ANY);
    CHECK_STATUS(aic_catalogue_from_str("", &id), AIC_ERR_UNKNOWN_CATALOGUE);
    CHECK_STATUS(aic_catalogue_from_str("http-status\xff", &id), AIC_ERR_INVALID_UTF8);
    CHECK_STATUS(aic_catalogue_from_str(NULL, &id), AIC_ERR_NULL_ARGUMENT);
    CHECK_STATUS(aic_catalogue_from_str("http-status", NULL), AIC_ERR_NULL_ARGUMENT);

    for (i = 0; i < sizeof services / sizeof services[0]; i++) {
        CHECK_STR(aic_service_str(i), services[i]);
        id = 12345;
        CHECK_STATUS(aic_service_from_str(services[i], &id), AIC_OK);
        CHECK(id == i);
    }
    CHECK(AIC_SERVICE_IOT_HUB == 0 && AIC_SERVICE_DPS == 1 && AIC_SERVICE_IOT_CENTRAL == 2 &&
          AIC_SERVICE_DEVICE_UPDATE == 3);
    CHECK(aic_service_str(4) == NULL);
    CHECK(aic_service_str(AIC_SERVICE_ANY) == NULL);
    CHECK_STATUS(aic_service_from_str("DPS", &id), AIC_ERR_UNKNOWN_SERVICE);
    CHECK(id == AIC_SERVICE_ANY);
    CHECK_STATUS(aic_service_from_str("\xc3(", &id), AIC_ERR_INVALID_UTF8);
    CHECK_STATUS(aic_service_from_str(NULL, &id), AIC_ERR_NULL_ARGUMENT);
    CHECK_STATUS(aic_service_from_str("dps", NULL), AIC_ERR_NULL_ARGUMENT);

    for (i = 0; i < sizeof standings / sizeof standings[0]; i++) {
        CHECK_STR(aic_standing_str(i), standings[i]);
    }
    CHECK(AIC_STANDING_CURRENT == 0 && AIC_STANDING_DOC_ERROR == 4);
    CHECK(aic_standing_str(5) == NULL);
    CHECK(aic_standing_str(UINT32_MAX) == NULL);

    for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        CHECK_STR(aic_number_form_str(i), forms[i]);
    }
    CHECK(AIC_NUMBER_FORM_DECIMAL == 0 && AIC_NUMBER_FORM_HEX == 1 && AIC_NUMBER_FORM_SIGNED == 2);
    CHECK(aic_number_form_str(3) == NULL);
    CHECK(aic_number_form_str(UINT32_MAX) == NULL);
}

/* Every row of every catalogue is well-formed and found again by number, by name and by aic_decode. */
static void test_rows_round_trip(void) {
    uint32_t c;
    for (c = 0; c < aic_catalogue_count(); c++) {
        const aic_row *rows = NULL;
        size_t count = 0;
        size_t i;
        CHECK_STATUS(aic_catalogue_rows(c, &rows, &count), AIC_OK);
        CHECK(rows != NULL && count > 0);
        for (i = 0; i < count; i++) {
            const aic_row *r = &rows[i];
            aic_matches m;
            aic_decoded d;
            size_t a;
            CHECK(r->catalogue == c);
            CHECK(r->code != NULL && r->code[0] != '\0');
            CHECK(r->name != NULL && r->name[0] != '\0');
            CHECK(r->description != NULL && r->description[0] != '\0');
            CHECK(r->mitigation != NULL && r->mitigation[0] != '\0');
            CHECK(r->source != NULL && r->source[0] != '\0');
            CHECK(r->note != NULL);
            CHECK((r->aliases == NULL) == (r->alias_count == 0));
            for (a = 0; a < r->alias_count; a++) {
                CHECK(r->aliases[a] != NULL && r->aliases[a][0] != '\0');
            }
            CHECK(r->http_status == 0 || (r->http_status >= 100 && r->http_status <= 599));
            CHECK(r->services != 0 && r->services < (1u << 4));
            CHECK(aic_standing_str(r->standing) != NULL);
            if (r->code_is_number) {
                char text[16];
                snprintf(text, sizeof text, "%lu", (unsigned long)r->number);
                CHECK_STR(r->code, text);
                CHECK_STATUS(aic_lookup_number(c, r->number, &m), AIC_OK);
                CHECK(contains(m.rows, m.count, r));
            } else {
                CHECK(r->number == 0);
                CHECK_STATUS(aic_lookup_name(c, r->code, &m), AIC_OK);
                CHECK(contains(m.rows, m.count, r));
            }
            CHECK_STATUS(aic_lookup_name(c, r->name, &m), AIC_OK);
            CHECK(contains(m.rows, m.count, r));
            for (a = 0; a < r->alias_count; a++) {
                CHECK_STATUS(aic_lookup_name(c, r->aliases[a], &m), AIC_OK);
                CHECK(contains(m.rows, m.count, r));
            }
            CHECK_STATUS(aic_decode(r->code, c, AIC_SERVICE_ANY, &d), AIC_OK);
            CHECK(contains(d.rows, d.count, r));
        }
    }
}

static void test_catalogue_rows_errors(void) {
    const aic_row *rows = (const aic_row *)&rows;
    size_t count = 99;
    CHECK_STATUS(aic_catalogue_rows(7, &rows, &count), AIC_ERR_UNKNOWN_CATALOGUE);
    CHECK(rows == NULL && count == 0);
    CHECK_STATUS(aic_catalogue_rows(AIC_CATALOGUE_ANY, &rows, &count), AIC_ERR_UNKNOWN_CATALOGUE);
    count = 99;
    CHECK_STATUS(aic_catalogue_rows(0, NULL, &count), AIC_ERR_NULL_ARGUMENT);
    CHECK(count == 0);
    rows = (const aic_row *)&rows;
    CHECK_STATUS(aic_catalogue_rows(0, &rows, NULL), AIC_ERR_NULL_ARGUMENT);
    CHECK(rows == NULL);
    CHECK_STATUS(aic_catalogue_rows(0, NULL, NULL), AIC_ERR_NULL_ARGUMENT);
}

static void test_lookups(void) {
    /* Facts from data/ CSV files: (catalogue, number, rows, first row's name). */
    static const struct {
        uint32_t catalogue;
        uint32_t number;
        size_t count;
        const char *first;
    } by_number[] = {
        {AIC_CATALOGUE_SERVICE_ERROR, 404001, 1, "DeviceNotFound"},
        {AIC_CATALOGUE_SERVICE_ERROR, 404103, 1, "DeviceNotOnline"},
        /* Sources disagree on 400020: both meanings, today's first. */
        {AIC_CATALOGUE_SERVICE_ERROR, 400020, 2, "InvalidStorageEndpointOrBlob"},
        /* One row per service where they differ. */
        {AIC_CATALOGUE_HTTP_STATUS, 404, 3, "Not Found"},
        {AIC_CATALOGUE_MQTT_CONNACK, 5, 1, "NotAuthorized"},
        {AIC_CATALOGUE_MQTT_CONNACK, 0, 1, "Accepted"},
        {AIC_CATALOGUE_SERVICE_ERROR, 7, 0, NULL},
        {AIC_CATALOGUE_HTTP_STATUS, 404001, 0, NULL},
        {AIC_CATALOGUE_MQTT_CONNACK, 6, 0, NULL},
        {AIC_CATALOGUE_HTTP_STATUS, UINT32_MAX, 0, NULL},
        /* Text-keyed catalogues never find a number. */
        {AIC_CATALOGUE_AUTH_SUBERROR, 0, 0, NULL},
    };
    static const struct {
        uint32_t catalogue;
        const char *name;
        size_t count;
        const char *first_code;
    } by_name[] = {
        {AIC_CATALOGUE_AUTH_SUBERROR, "DEVICE_DISABLED", 1, "DEVICE_DISABLED"},
        {AIC_CATALOGUE_AUTH_SUBERROR, "device_disabled", 1, "DEVICE_DISABLED"},
        {AIC_CATALOGUE_SERVICE_ERROR, "devicenotfound", 1, "404001"},
        {AIC_CATALOGUE_IOT_CENTRAL_STATUS, "Waiting for Approval", 1, "Unapproved"},
        {AIC_CATALOGUE_DPS_REGISTRATION_STATUS, "ASSIGNING", 1, "assigning"},
        {AIC_CATALOGUE_SERVICE_ERROR, "DEVICE_DISABLED", 0, NULL},
        {AIC_CATALOGUE_SERVICE_ERROR, "", 0, NULL},
        {AIC_CATALOGUE_SERVICE_ERROR, "a name far longer than any name in any catalogue of this library at all", 0,
         NULL},
    };
    size_t i;
    aic_matches m;
    for (i = 0; i < sizeof by_number / sizeof by_number[0]; i++) {
        aic_status want = by_number[i].count ? AIC_OK : AIC_ERR_NOT_FOUND;
        CHECK_STATUS(aic_lookup_number(by_number[i].catalogue, by_number[i].number, &m), want);
        CHECK(m.count == by_number[i].count);
        CHECK(m.count == 0 || strcmp(m.rows[0]->name, by_number[i].first) == 0);
        CHECK(m.count == AIC_MATCHES_CAPACITY || m.rows[m.count] == NULL);
    }
    for (i = 0; i < sizeof by_name / sizeof by_name[0]; i++) {
        aic_status want = by_name[i].count ? AIC_OK : AIC_ERR_NOT_FOUND;
        CHECK_STATUS(aic_lookup_name(by_name[i].catalogue, by_name[i].name, &m), want);
        CHECK(m.count == by_name[i].count);
        CHECK(m.count == 0 || strcmp(m.rows[0]->code, by_name[i].first_code) == 0);
    }
    /* Errors clear the answer. */
    CHECK_STATUS(aic_lookup_number(AIC_CATALOGUE_SERVICE_ERROR, 404001, &m), AIC_OK);
    CHECK_STATUS(aic_lookup_number(7, 404001, &m), AIC_ERR_UNKNOWN_CATALOGUE);
    CHECK(m.count == 0 && m.rows[0] == NULL);
    CHECK_STATUS(aic_lookup_number(AIC_CATALOGUE_ANY, 404001, &m), AIC_ERR_UNKNOWN_CATALOGUE);
    CHECK_STATUS(aic_lookup_number(0, 404, NULL), AIC_ERR_NULL_ARGUMENT);
    CHECK_STATUS(aic_lookup_name(1000, "OK", &m), AIC_ERR_UNKNOWN_CATALOGUE);
    CHECK_STATUS(aic_lookup_name(0, NULL, &m), AIC_ERR_NULL_ARGUMENT);
    CHECK_STATUS(aic_lookup_name(0, "OK", NULL), AIC_ERR_NULL_ARGUMENT);
    CHECK_STATUS(aic_lookup_name(0, "\xff\xfe", &m), AIC_ERR_INVALID_UTF8);
    CHECK(m.count == 0);
}

static void test_decode_table(void) {
    /* Known answers (data/ CSV files and the decode rules in src/decode.rs). count 0 = the call fails. */
    static const struct {
        const char *input;
        uint32_t catalogue;
        uint32_t service;
        aic_status status;
        size_t count;
        uint32_t first_catalogue;
        const char *first_name;
        int is_number;
        uint32_t number;
        uint32_t form;
    } table[] = {
        {"404001", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_OK, 1, AIC_CATALOGUE_SERVICE_ERROR, "DeviceNotFound", 1,
         404001, AIC_NUMBER_FORM_DECIMAL},
        {"401002", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_OK, 2, AIC_CATALOGUE_SERVICE_ERROR,
         "IotHubUnauthorizedAccess", 1, 401002, AIC_NUMBER_FORM_DECIMAL},
        {"401002", AIC_CATALOGUE_AUTH_SUBERROR, AIC_SERVICE_ANY, AIC_OK, 1, AIC_CATALOGUE_AUTH_SUBERROR,
         "Unauthorized", 1, 401002, AIC_NUMBER_FORM_DECIMAL},
        {"0x191", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_OK, 3, AIC_CATALOGUE_HTTP_STATUS, "Unauthorized", 1, 401,
         AIC_NUMBER_FORM_HEX},
        {"  404 Not Found ", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_OK, 3, AIC_CATALOGUE_HTTP_STATUS, "Not Found", 1,
         404, AIC_NUMBER_FORM_DECIMAL},
        {"404", AIC_CATALOGUE_ANY, AIC_SERVICE_DPS, AIC_OK, 1, AIC_CATALOGUE_HTTP_STATUS, "Not Found", 1, 404,
         AIC_NUMBER_FORM_DECIMAL},
        {"5", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_OK, 1, AIC_CATALOGUE_MQTT_CONNACK, "NotAuthorized", 1, 5,
         AIC_NUMBER_FORM_DECIMAL},
        {"DEVICE_DISABLED", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_OK, 1, AIC_CATALOGUE_AUTH_SUBERROR,
         "IoTHubUnauthorized", 0, 0, 0},
        {"waiting for approval", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_OK, 1, AIC_CATALOGUE_IOT_CENTRAL_STATUS,
         "Unapproved", 0, 0, 0},
        {"assigning", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_OK, 1, AIC_CATALOGUE_DPS_REGISTRATION_STATUS,
         "assigning", 0, 0, 0},
        {"initialAssignment", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_OK, 1,
         AIC_CATALOGUE_DPS_REGISTRATION_SUBSTATUS, "initialAssignment", 0, 0, 0},
        {"", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_ERR_EMPTY, 0, 0, NULL, 0, 0, 0},
        {" \t ", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_ERR_EMPTY, 0, 0, NULL, 0, 0, 0},
        {"4o4", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_ERR_MALFORMED, 0, 0, NULL, 0, 0, 0},
        {"--1", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_ERR_MALFORMED, 0, 0, NULL, 0, 0, 0},
        {"0x", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_ERR_MALFORMED, 0, 0, NULL, 0, 0, 0},
        {"4294967296", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_ERR_OUT_OF_RANGE, 0, 0, NULL, 0, 0, 0},
        {"999", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_ERR_NOT_FOUND, 0, 0, NULL, 0, 0, 0},
        {"-1", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_ERR_NOT_FOUND, 0, 0, NULL, 0, 0, 0},
        {"404001", AIC_CATALOGUE_MQTT_CONNACK, AIC_SERVICE_ANY, AIC_ERR_NOT_FOUND, 0, 0, NULL, 0, 0, 0},
        {"404001", AIC_CATALOGUE_ANY, AIC_SERVICE_DEVICE_UPDATE, AIC_ERR_NOT_FOUND, 0, 0, NULL, 0, 0, 0},
        {"404001", 7, AIC_SERVICE_ANY, AIC_ERR_UNKNOWN_CATALOGUE, 0, 0, NULL, 0, 0, 0},
        {"404001", AIC_CATALOGUE_ANY, 4, AIC_ERR_UNKNOWN_SERVICE, 0, 0, NULL, 0, 0, 0},
        {"4\xff", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_ERR_INVALID_UTF8, 0, 0, NULL, 0, 0, 0},
    };
    size_t i;
    for (i = 0; i < sizeof table / sizeof table[0]; i++) {
        aic_decoded d;
        memset(&d, 0xA5, sizeof d); /* garbage the call must overwrite */
        CHECK_STATUS(aic_decode(table[i].input, table[i].catalogue, table[i].service, &d), table[i].status);
        CHECK(d.count == table[i].count);
        if (table[i].count > 0) {
            CHECK(d.rows[0]->catalogue == table[i].first_catalogue);
            CHECK_STR(d.rows[0]->name, table[i].first_name);
        }
        CHECK(d.count == AIC_MATCHES_CAPACITY || d.rows[d.count] == NULL);
        CHECK((d.is_number ? 1 : 0) == table[i].is_number);
        CHECK(d.number == table[i].number);
        CHECK(d.number_form == table[i].form);
    }
    CHECK_STATUS(aic_decode(NULL, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, NULL), AIC_ERR_NULL_ARGUMENT);
    CHECK_STATUS(aic_decode("404", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, NULL), AIC_ERR_NULL_ARGUMENT);
    {
        aic_decoded d;
        CHECK_STATUS(aic_decode(NULL, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, &d), AIC_ERR_NULL_ARGUMENT);
        CHECK(d.count == 0 && !d.is_number);
    }
}

/* Every buffer size from 0 to the whole document: snprintf semantics, nothing written past size. */
static void check_json_sizes(const char *input, aic_status final_status) {
    enum { CANARY = 0x5A, SLACK = 16 };
    size_t needed = 0;
    size_t size;
    char *whole;
    char *buf;
    CHECK_STATUS(aic_decode_json(input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, NULL, 0, &needed),
                 AIC_ERR_BUFFER_TOO_SMALL);
    CHECK(needed > 0);
    whole = malloc(needed + 1);
    buf = malloc(needed + 1 + SLACK);
    if (whole == NULL || buf == NULL) {
        CHECK(!"out of memory");
        free(whole);
        free(buf);
        return;
    }
    {
        size_t again = 0;
        CHECK_STATUS(aic_decode_json(input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, whole, needed + 1, &again),
                     final_status);
        CHECK(again == needed);
        CHECK(strlen(whole) == needed);
        CHECK(whole[0] == '{' && whole[needed - 1] == '}');
    }
    for (size = 0; size <= needed + 2; size++) {
        size_t got = 0;
        size_t k;
        int clean = 1;
        aic_status want = size > needed ? final_status : AIC_ERR_BUFFER_TOO_SMALL;
        memset(buf, CANARY, needed + 1 + SLACK);
        CHECK_STATUS(aic_decode_json(input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, buf, size, &got), want);
        CHECK(got == needed);
        for (k = size; k < needed + 1 + SLACK; k++) {
            clean &= (unsigned char)buf[k] == CANARY;
        }
        CHECK(clean); /* nothing past size */
        if (size > 0) {
            size_t len = strnlen(buf, size);
            CHECK(len < size);                      /* NUL-terminated inside the buffer */
            CHECK(memcmp(buf, whole, len) == 0);    /* a prefix of the document */
            CHECK(len + 4 >= size || len == needed); /* at most a partial UTF-8 character is dropped */
        }
    }
    free(whole);
    free(buf);
}

static void test_decode_json(void) {
    char buf[4096];
    size_t needed = 0;
    check_json_sizes("401002", AIC_OK);
    check_json_sizes("999", AIC_ERR_NOT_FOUND);
    check_json_sizes("4o4", AIC_ERR_MALFORMED);
    check_json_sizes("\xc3\xa9" "404", AIC_ERR_NOT_FOUND); /* non-ASCII: cuts fall inside characters */

    CHECK_STATUS(aic_decode_json("404001", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, buf, sizeof buf, &needed), AIC_OK);
    CHECK(strstr(buf, "\"input\":\"404001\"") != NULL);
    CHECK(strstr(buf, "\"name\":\"DeviceNotFound\"") != NULL);
    CHECK(strstr(buf, "\"catalogue\":\"service-error\"") != NULL);
    CHECK(strstr(buf, "\"error\"") == NULL);
    CHECK_STATUS(aic_decode_json("999", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, buf, sizeof buf, &needed),
                 AIC_ERR_NOT_FOUND);
    CHECK(strstr(buf, "\"matches\":[]") != NULL);
    CHECK(strstr(buf, "\"kind\":\"not-found\"") != NULL);
    CHECK(strstr(buf, "cannot decode \\\"999\\\"") != NULL); /* the message names the input */
    CHECK_STATUS(aic_decode_json("404001", AIC_CATALOGUE_AUTH_SUBERROR, AIC_SERVICE_ANY, buf, sizeof buf, &needed),
                 AIC_ERR_NOT_FOUND);

    /* Argument errors: no document, "" in the buffer, needed 0. */
    memset(buf, 'x', sizeof buf);
    needed = 99;
    CHECK_STATUS(aic_decode_json(NULL, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, buf, sizeof buf, &needed),
                 AIC_ERR_NULL_ARGUMENT);
    CHECK(buf[0] == '\0' && needed == 0);
    memset(buf, 'x', sizeof buf);
    needed = 99;
    CHECK_STATUS(aic_decode_json("\xff", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, buf, sizeof buf, &needed),
                 AIC_ERR_INVALID_UTF8);
    CHECK(buf[0] == '\0' && needed == 0);
    CHECK_STATUS(aic_decode_json("404", 99, AIC_SERVICE_ANY, buf, sizeof buf, &needed), AIC_ERR_UNKNOWN_CATALOGUE);
    CHECK(buf[0] == '\0' && needed == 0);
    CHECK_STATUS(aic_decode_json("404", AIC_CATALOGUE_ANY, 99, buf, sizeof buf, &needed), AIC_ERR_UNKNOWN_SERVICE);
    memset(buf, 'x', sizeof buf);
    CHECK_STATUS(aic_decode_json("404", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, buf, sizeof buf, NULL),
                 AIC_ERR_NULL_ARGUMENT);
    CHECK(buf[0] == '\0');
    needed = 99;
    CHECK_STATUS(aic_decode_json("404", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, NULL, 10, &needed),
                 AIC_ERR_NULL_ARGUMENT);
    CHECK(needed == 0);
    CHECK_STATUS(aic_decode_json(NULL, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, NULL, 0, NULL), AIC_ERR_NULL_ARGUMENT);
}

/* Concurrent decoding gives the same rows as decoding on one thread. */
enum { THREADS = 4, FIRST_STATUS = 100, LAST_STATUS = 599 };

static const aic_row *single_thread[LAST_STATUS + 1][AIC_MATCHES_CAPACITY];

static void *decode_statuses(void *arg) {
    unsigned long mismatches = 0;
    int round;
    (void)arg;
    for (round = 0; round < 3; round++) {
        uint32_t n;
        for (n = FIRST_STATUS; n <= LAST_STATUS; n++) {
            char input[16];
            aic_decoded d;
            size_t i;
            snprintf(input, sizeof input, "%lu", (unsigned long)n);
            aic_decode(input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, &d);
            for (i = 0; i < AIC_MATCHES_CAPACITY; i++) {
                mismatches += d.rows[i] != single_thread[n][i];
            }
        }
    }
    return mismatches == 0 ? arg : NULL;
}

static void test_threads(void) {
    pthread_t threads[THREADS];
    int marker;
    int t;
    uint32_t n;
    for (n = FIRST_STATUS; n <= LAST_STATUS; n++) {
        char input[16];
        aic_decoded d;
        snprintf(input, sizeof input, "%lu", (unsigned long)n);
        aic_decode(input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, &d);
        memcpy(single_thread[n], d.rows, sizeof d.rows);
    }
    for (t = 0; t < THREADS; t++) {
        CHECK(pthread_create(&threads[t], NULL, decode_statuses, &marker) == 0);
    }
    for (t = 0; t < THREADS; t++) {
        void *result = NULL;
        CHECK(pthread_join(threads[t], &result) == 0);
        CHECK(result == &marker);
    }
}

/* --dump FILE: one line per input, in the format test.sh builds from `iotcode decode --json`. */
static int dump(const char *path) {
    FILE *f = fopen(path, "r");
    char line[1024];
    if (f == NULL) {
        perror(path);
        return 2;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        aic_decoded d;
        aic_status s;
        size_t i;
        line[strcspn(line, "\n")] = '\0';
        s = aic_decode(line, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, &d);
        printf("%s\t%s\t", line, aic_status_str((int)s));
        for (i = 0; i < d.count; i++) {
            printf("%s%s:%s:%s", i ? "|" : "", aic_catalogue_str(d.rows[i]->catalogue), d.rows[i]->code,
                   d.rows[i]->name);
        }
        printf("\n");
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--dump") == 0) {
        return dump(argv[2]);
    }
    if (argc != 1) {
        fprintf(stderr, "usage: %s [--dump FILE]\n", argv[0]);
        return 2;
    }
    test_version();
    test_status_str();
    test_ids();
    test_rows_round_trip();
    test_catalogue_rows_errors();
    test_lookups();
    test_decode_table();
    test_decode_json();
    test_threads();
    printf("library %s\n", aic_version());
    printf("test_aic: %u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
