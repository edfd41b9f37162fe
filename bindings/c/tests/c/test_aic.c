/*
 * C99 test of the azure_iot_codes C API, run by bindings/c/test.sh against the static and the shared library,
 * plain, under AddressSanitizer + UndefinedBehaviorSanitizer and under valgrind.
 *
 * Every exported function is called with good arguments, NULL arguments, out-of-range ids and (for
 * aic_decode_json and aic_decode_payload_json) buffers of every size. A table of known answers checks decoding from C; the Rust tests
 * check every code against the Rust API.
 *
 *   test_aic                run the tests; prints "N passed, N failed"; exit status 0 when none failed
 *   test_aic --dump FILE    decode every line of FILE and print one line per input:
 *                           input TAB status TAB catalogue:code:name|catalogue:code:name...
 *                           (test.sh compares this with the same lines made from `iotcode decode --json`)
 *   test_aic --dump-json FILE CATALOGUE SERVICE AGENT_VERSION SEED
 *                           print aic_decode_json's document for every line of FILE, one per line (the
 *                           arguments are identifiers as aic_*_from_str read them, or "any"; test.sh compares
 *                           the documents byte for byte with `iotcode decode --json`)
 *   test_aic --dump-payload-json FILE CATALOGUE SERVICE AGENT_VERSION SEED RETRY_AFTER NOW_UNIX
 *                           the same with aic_decode_payload_json for every input of FILE, inputs that end with a
 *                           NUL byte each (payloads span lines); RETRY_AFTER "none" passes NULL
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
        {AIC_ERR_INVALID_ARGUMENT, "invalid-argument"},
        {AIC_ERR_TOO_LARGE, "too-large"},
        {AIC_ERR_TOO_DEEP, "too-deep"},
        {AIC_ERR_TRUNCATED, "truncated"},
        {AIC_ERR_INVALID_JSON, "invalid-json"},
        {AIC_ERR_INVALID_TOPIC, "invalid-topic"},
        {AIC_ERR_INVALID_CSV, "invalid-csv"},
        {AIC_ERR_UNKNOWN_SHAPE, "unknown-shape"},
        {AIC_ERR_INVALID_FIELD, "invalid-field"},
    };
    static const int not_statuses[] = {-1, 20, 1000, INT_MAX, INT_MIN};
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
        "http-status",    "service-error",           "auth-suberror",         "iot-central-status",
        "dps-registration-status", "dps-registration-substatus", "mqtt-connack", "du-result-code",
        "du-extended-result-code", "du-diagnostics-result", "du-erc-pattern", "du-extension-code",
        "posix-errno",    "do-hresult", "iot-central-unmodeled-cause", "iot-central-export", "dps-metric",
        "dps-log-category",
    };
    static const char *const versions[] = {"0.6.0", "0.7.0", "0.8.0", "0.8.2", "1.0.0", "1.0.1", "1.0.2", "1.1.0"};
    static const char *const actions[] = {"none", "retry", "re-register", "status-lookup", "renew-credentials",
                                          "fix-request", "operator-action", "contact-support", "give-up"};
    static const char *const retry_afters[] = {"absent", "honored", "clamped", "invalid", "not-waiting", "disabled"};
    static const char *const services[] = {"iot-hub", "dps", "iot-central", "device-update"};
    static const char *const standings[] = {"current", "observed", "conflicting", "historical", "doc-error"};
    static const char *const forms[] = {"decimal", "hex", "signed"};
    uint32_t i;
    uint32_t id;

    CHECK(aic_catalogue_count() == sizeof catalogues / sizeof catalogues[0]);
    CHECK(AIC_CATALOGUE_HTTP_STATUS == 0 && AIC_CATALOGUE_MQTT_CONNACK == 6 && AIC_CATALOGUE_DU_RESULT_CODE == 7 &&
          AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE == 8 && AIC_CATALOGUE_DO_HRESULT == 13 &&
          AIC_CATALOGUE_IOT_CENTRAL_UNMODELED_CAUSE == 14 && AIC_CATALOGUE_DPS_LOG_CATEGORY == 17);
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

    for (i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        CHECK_STR(aic_agent_version_str(i), versions[i]);
        id = 12345;
        CHECK_STATUS(aic_agent_version_from_str(versions[i], &id), AIC_OK);
        CHECK(id == i);
    }
    CHECK(AIC_AGENT_VERSION_0_6_0 == 0 && AIC_AGENT_VERSION_1_1_0 == 7 && AIC_AGENT_VERSION_ANY == UINT32_MAX);
    CHECK(aic_agent_version_str(8) == NULL);
    CHECK(aic_agent_version_str(AIC_AGENT_VERSION_ANY) == NULL);
    CHECK_STATUS(aic_agent_version_from_str("1.0.3", &id), AIC_OK); /* between listed versions: the older */
    CHECK(id == AIC_AGENT_VERSION_1_0_2);
    CHECK_STATUS(aic_agent_version_from_str("v0.8", &id), AIC_OK);
    CHECK(id == AIC_AGENT_VERSION_0_8_0);
    CHECK_STATUS(aic_agent_version_from_str("0.5.0", &id), AIC_ERR_NOT_FOUND);
    CHECK(id == AIC_AGENT_VERSION_ANY);
    CHECK_STATUS(aic_agent_version_from_str("1.x", &id), AIC_ERR_MALFORMED);
    CHECK_STATUS(aic_agent_version_from_str("", &id), AIC_ERR_EMPTY);
    CHECK_STATUS(aic_agent_version_from_str("1.\xff", &id), AIC_ERR_INVALID_UTF8);
    CHECK_STATUS(aic_agent_version_from_str(NULL, &id), AIC_ERR_NULL_ARGUMENT);
    CHECK_STATUS(aic_agent_version_from_str("1.0", NULL), AIC_ERR_NULL_ARGUMENT);

    CHECK_STR(aic_du_layout_str(AIC_DU_LAYOUT_CURRENT), "current");
    CHECK_STR(aic_du_layout_str(AIC_DU_LAYOUT_LEGACY), "legacy");
    CHECK(aic_du_layout_str(2) == NULL);

    for (i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        CHECK_STR(aic_action_str(i), actions[i]);
    }
    CHECK(AIC_ACTION_NONE == 0 && AIC_ACTION_GIVE_UP == 8);
    CHECK(aic_action_str(9) == NULL);
    for (i = 0; i < sizeof retry_afters / sizeof retry_afters[0]; i++) {
        CHECK_STR(aic_retry_after_str(i), retry_afters[i]);
    }
    CHECK(aic_retry_after_str(6) == NULL);
    CHECK(aic_pace_str(AIC_PACE_NONE) == NULL);
    CHECK_STR(aic_pace_str(AIC_PACE_NORMAL), "normal");
    CHECK_STR(aic_pace_str(AIC_PACE_THROTTLED), "throttled");
    CHECK_STR(aic_pace_str(AIC_PACE_POLL), "poll");
    CHECK(aic_pace_str(4) == NULL);
    CHECK(aic_budget_str(AIC_BUDGET_NONE) == NULL);
    CHECK_STR(aic_budget_str(AIC_BUDGET_ATTEMPTS), "attempts");
    CHECK_STR(aic_budget_str(AIC_BUDGET_ELAPSED), "elapsed");
    CHECK(aic_budget_str(3) == NULL);
    /* Outcome ids are the catalogue ids of their codes. */
    CHECK(AIC_OUTCOME_HTTP_STATUS == AIC_CATALOGUE_HTTP_STATUS &&
          AIC_OUTCOME_DU_EXTENDED_RESULT_CODE == AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE &&
          AIC_OUTCOME_DU_DIAGNOSTICS_RESULT == AIC_CATALOGUE_DU_DIAGNOSTICS_RESULT);
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
            /* posix-errno is a reference table without mitigations. */
            CHECK(r->mitigation != NULL && (r->mitigation[0] != '\0' || c == AIC_CATALOGUE_POSIX_ERRNO));
            CHECK(r->source != NULL && r->source[0] != '\0');
            CHECK(r->note != NULL);
            CHECK((r->aliases == NULL) == (r->alias_count == 0));
            for (a = 0; a < r->alias_count; a++) {
                CHECK(r->aliases[a] != NULL && r->aliases[a][0] != '\0');
            }
            CHECK(r->http_status == 0 || (r->http_status >= 100 && r->http_status <= 599));
            CHECK(r->services != 0 && r->services < (1u << 4));
            CHECK(aic_standing_str(r->standing) != NULL);
            CHECK(r->agent_versions < (1u << 8));
            CHECK(r->action != NULL);
            CHECK(r->action[0] == '\0' || c == AIC_CATALOGUE_DU_RESULT_CODE);
            CHECK(r->role != NULL);
            CHECK(r->role[0] == '\0' || c == AIC_CATALOGUE_IOT_CENTRAL_EXPORT);
            CHECK(!r->code_is_signed || r->code_is_number);
            if (r->code_is_number) {
                char text[16];
                if (r->code_is_signed) {
                    snprintf(text, sizeof text, "%ld", (long)r->signed_number);
                    CHECK((uint32_t)r->signed_number == r->number);
                } else {
                    snprintf(text, sizeof text, "%lu", (unsigned long)r->number);
                    CHECK(r->signed_number == 0);
                }
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
            CHECK_STATUS(aic_decode(r->code, c, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d), AIC_OK);
            CHECK(contains(d.rows, d.count, r));
        }
    }
}

static void test_catalogue_rows_errors(void) {
    const aic_row *rows = (const aic_row *)&rows;
    size_t count = 99;
    CHECK_STATUS(aic_catalogue_rows(18, &rows, &count), AIC_ERR_UNKNOWN_CATALOGUE);
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
        /* Signed codes are found by their bits: resultCode -1 has four meanings (per action in 0.6/0.7). */
        {AIC_CATALOGUE_DU_RESULT_CODE, (uint32_t)-1, 4, "ADUC_Result_Failure_Cancelled"},
        {AIC_CATALOGUE_DU_RESULT_CODE, 700, 1, "ADUC_Result_Apply_Success"},
        {AIC_CATALOGUE_DU_DIAGNOSTICS_RESULT, (uint32_t)-1, 1, "NoLogsFound"},
        {AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE, 0xA0000FFFu, 1, "ADUC_ERC_ROOTKEY_PKG_UNCHANGED"},
        {AIC_CATALOGUE_POSIX_ERRNO, 131, 1, "ENOTRECOVERABLE"},
        {AIC_CATALOGUE_DO_HRESULT, 0x80190194u, 1, "HTTP_E_STATUS_NOT_FOUND"},
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
    /* IoT Central export destinations carry the role the managed identity needs. */
    CHECK_STATUS(aic_lookup_name(AIC_CATALOGUE_IOT_CENTRAL_EXPORT, "event_hubs", &m), AIC_OK);
    CHECK(m.count == 1 && strcmp(m.rows[0]->role, "Azure Event Hubs Data Sender") == 0);
    CHECK_STATUS(aic_lookup_name(AIC_CATALOGUE_IOT_CENTRAL_EXPORT, "IDENTITY_ENABLED", &m), AIC_OK);
    CHECK(m.count == 1 && m.rows[0]->role[0] == '\0');
    /* Errors clear the answer. */
    CHECK_STATUS(aic_lookup_number(AIC_CATALOGUE_SERVICE_ERROR, 404001, &m), AIC_OK);
    CHECK_STATUS(aic_lookup_number(18, 404001, &m), AIC_ERR_UNKNOWN_CATALOGUE);
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
        /* Device Update resultCode -1: four cancelled results, today's last among them by catalogue order. */
        {"-1", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_OK, 7, AIC_CATALOGUE_DU_RESULT_CODE, "ADUC_Result_Failure_Cancelled",
         1, UINT32_MAX, AIC_NUMBER_FORM_SIGNED},
        {"-1", AIC_CATALOGUE_ANY, AIC_SERVICE_IOT_HUB, AIC_ERR_NOT_FOUND, 0, 0, NULL, 0, 0, 0},
        {"404001", AIC_CATALOGUE_MQTT_CONNACK, AIC_SERVICE_ANY, AIC_ERR_NOT_FOUND, 0, 0, NULL, 0, 0, 0},
        {"404001", AIC_CATALOGUE_ANY, AIC_SERVICE_DEVICE_UPDATE, AIC_ERR_NOT_FOUND, 0, 0, NULL, 0, 0, 0},
        {"404001", AIC_CATALOGUE_DU_RESULT_CODE, AIC_SERVICE_ANY, AIC_ERR_NOT_FOUND, 0, 0, NULL, 0, 0, 0},
        {"404001", 18, AIC_SERVICE_ANY, AIC_ERR_UNKNOWN_CATALOGUE, 0, 0, NULL, 0, 0, 0},
        {"404001", AIC_CATALOGUE_ANY, 4, AIC_ERR_UNKNOWN_SERVICE, 0, 0, NULL, 0, 0, 0},
        {"4\xff", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_ERR_INVALID_UTF8, 0, 0, NULL, 0, 0, 0},
    };
    size_t i;
    for (i = 0; i < sizeof table / sizeof table[0]; i++) {
        aic_decoded d;
        size_t k;
        memset(&d, 0xA5, sizeof d); /* garbage the call must overwrite */
        CHECK_STATUS(aic_decode(table[i].input, table[i].catalogue, table[i].service, AIC_AGENT_VERSION_ANY, &d),
                     table[i].status);
        CHECK(d.count == table[i].count);
        if (table[i].count > 0) {
            CHECK(d.rows[0]->catalogue == table[i].first_catalogue);
            CHECK_STR(d.rows[0]->name, table[i].first_name);
        }
        CHECK(d.count == AIC_MATCHES_CAPACITY || d.rows[d.count] == NULL);
        for (k = d.count; k < AIC_MATCHES_CAPACITY; k++) {
            CHECK(!d.ercs[k].is_erc && d.ercs[k].facility_name == NULL); /* cleared past count */
        }
        CHECK((d.is_number ? 1 : 0) == table[i].is_number);
        CHECK(d.number == table[i].number);
        CHECK(d.number_form == table[i].form);
    }
    CHECK_STATUS(aic_decode(NULL, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, NULL),
                 AIC_ERR_NULL_ARGUMENT);
    CHECK_STATUS(aic_decode("404", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, NULL),
                 AIC_ERR_NULL_ARGUMENT);
    {
        aic_decoded d;
        CHECK_STATUS(aic_decode(NULL, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d),
                     AIC_ERR_NULL_ARGUMENT);
        CHECK(d.count == 0 && !d.is_number);
        memset(&d, 0xA5, sizeof d);
        CHECK_STATUS(aic_decode("404", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, 8, &d), AIC_ERR_INVALID_ARGUMENT);
        CHECK(d.count == 0 && !d.is_number && !d.ercs[0].is_erc);
    }
}

/* Device Update extended result codes: per-match readings, agent versions, aic_du_erc_parts and _make. */
static void test_device_update(void) {
    aic_decoded d;
    aic_erc e;
    uint32_t code = 1;
    const aic_erc *r;

    /* A script's exit code: 0x30501000 + 40. */
    CHECK_STATUS(aic_decode("0x30501028", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d), AIC_OK);
    CHECK(d.count == 1);
    r = &d.ercs[0];
    CHECK(r->is_erc);
    CHECK_STR(d.rows[0]->code, "EXIT_CODE_SCRIPT"); /* the pattern row */
    CHECK(d.rows[0]->catalogue == AIC_CATALOGUE_DU_ERC_PATTERN);
    CHECK(r->code == 0x30501028u && r->signed_code == 0x30501028);
    CHECK_STR(r->hex, "0x30501028");
    CHECK(r->layout == AIC_DU_LAYOUT_CURRENT);
    CHECK(r->facility == 3);
    CHECK_STR(r->facility_name, "ADUC_FACILITY_EXTENSION_UPDATE_CONTENT_HANDLER");
    CHECK(r->has_component && r->component == 5);
    CHECK_STR(r->component_name, "ADUC_CONTENT_HANDLER_SCRIPT");
    CHECK(r->value == 0x1028);
    CHECK(r->has_exit_code && r->exit_code == 40);
    CHECK(r->errno_row == NULL && r->extension_row == NULL && !r->has_delivery_optimization);
    CHECK(!r->has_delta_processor_error);

    /* The signed form a twin shows: agents 0.6/0.7 name it (errno 131), later agents do not. */
    CHECK_STATUS(aic_decode("-536870781", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d), AIC_OK);
    CHECK(d.count == 2);
    CHECK_STR(d.rows[0]->name, "ADUC_ERC_NOTRECOVERABLE");
    CHECK(d.ercs[0].layout == AIC_DU_LAYOUT_LEGACY && !d.ercs[0].has_component);
    CHECK(d.ercs[0].agent_versions == ((1u << AIC_AGENT_VERSION_0_6_0) | (1u << AIC_AGENT_VERSION_0_7_0)));
    CHECK(d.ercs[0].errno_row != NULL && d.ercs[0].errno_row->number == 131);
    CHECK_STR(d.ercs[0].errno_row->name, "ENOTRECOVERABLE");
    CHECK(d.ercs[0].signed_code == -536870781 && d.ercs[0].code == 0xE0000083u);
    CHECK(d.ercs[1].layout == AIC_DU_LAYOUT_CURRENT && d.ercs[1].has_component);
    CHECK(d.is_number && d.number_form == AIC_NUMBER_FORM_SIGNED);
    /* Narrowed to agent 1.1.0: one reading, for that version only. */
    CHECK_STATUS(aic_decode("-536870781", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_1_1_0, &d), AIC_OK);
    CHECK(d.count == 1 && d.ercs[0].layout == AIC_DU_LAYOUT_CURRENT);
    CHECK(d.ercs[0].agent_versions == 1u << AIC_AGENT_VERSION_1_1_0);

    /* Delivery Optimization: HTTP 404 inside facility 13. */
    CHECK_STATUS(aic_decode("0xD0190194", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d), AIC_OK);
    r = &d.ercs[0];
    CHECK(r->is_erc && r->has_delivery_optimization && !r->has_component && r->component_name == NULL);
    CHECK(r->do_hresult == 0x80190194u && r->do_facility == 25 && r->do_http_status == 404 && !r->has_do_win32);
    CHECK(r->do_row != NULL && strcmp(r->do_row->name, "HTTP_E_STATUS_NOT_FOUND") == 0);
    CHECK(r->do_xplat_errno_row == NULL);
    CHECK(r->value == 0x0190194);

    /* An agent 1.1.0 extendedResultCodes list: one reading per code, root first. */
    CHECK_STATUS(aic_decode("30501028,A0000FFF", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d),
                 AIC_OK);
    CHECK(d.count == 2 && d.ercs[0].exit_code == 40 && d.ercs[1].code == 0xA0000FFFu);
    CHECK_STR(d.rows[1]->name, "ADUC_ERC_ROOTKEY_PKG_UNCHANGED");
    CHECK(!d.is_number);
    /* Rows that are not readings carry no reading. */
    CHECK_STATUS(aic_decode("700", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d), AIC_OK);
    CHECK(d.count == 1 && !d.ercs[0].is_erc && d.ercs[0].hex[0] == '\0');
    CHECK_STR(d.rows[0]->action, "apply");
    CHECK(d.rows[0]->agent_versions != 0);

    /* aic_du_erc_parts: the same reading without a string. */
    memset(&e, 0xA5, sizeof e);
    CHECK_STATUS(aic_du_erc_parts(0x30501028u, AIC_AGENT_VERSION_ANY, &e), AIC_OK);
    CHECK(e.is_erc && e.facility == 3 && e.component == 5 && e.value == 0x1028 && e.exit_code == 40);
    CHECK_STR(e.hex, "0x30501028");
    CHECK_STATUS(aic_du_erc_parts((uint32_t)-536870781, AIC_AGENT_VERSION_0_7_0, &e), AIC_OK);
    CHECK(e.layout == AIC_DU_LAYOUT_LEGACY && e.value == 0x83 && e.errno_row != NULL);
    CHECK_STATUS(aic_du_erc_parts(0, 8, &e), AIC_ERR_INVALID_ARGUMENT);
    CHECK(!e.is_erc && e.facility_name == NULL && e.hex[0] == '\0');
    CHECK_STATUS(aic_du_erc_parts(0, AIC_AGENT_VERSION_ANY, NULL), AIC_ERR_NULL_ARGUMENT);

    CHECK_STATUS(aic_du_erc_make(3, 5, 0x1028, &code), AIC_OK);
    CHECK(code == 0x30501028u);
    CHECK_STATUS(aic_du_erc_make(16, 0, 0, &code), AIC_ERR_OUT_OF_RANGE);
    CHECK(code == 0);
    CHECK_STATUS(aic_du_erc_make(0, 256, 0, &code), AIC_ERR_OUT_OF_RANGE);
    CHECK_STATUS(aic_du_erc_make(0, 0, 0x100000, &code), AIC_ERR_OUT_OF_RANGE);
    CHECK_STATUS(aic_du_erc_make(0, 0, 0, NULL), AIC_ERR_NULL_ARGUMENT);

    CHECK(aic_du_result_code_is_success(700) == 1 && aic_du_result_code_is_success(1) == 1);
    CHECK(aic_du_result_code_is_success(0) == 0 && aic_du_result_code_is_success(-1) == 0);
    CHECK(aic_du_result_code_is_success(INT32_MIN) == 0);
}

/* aic_retry_decide and aic_retry_next_delays: known answers, bad arguments, small arrays. */
static void test_retry(void) {
    enum { CANARY = 0x77 };
    aic_retry_decision r;
    aic_retry_step steps[AIC_RETRY_MAX_STEPS + 2];
    size_t count = 99;
    size_t k;

    /* DPS throttling with Retry-After: 5 s, honoured. */
    memset(&r, 0xA5, sizeof r);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 429, NULL, AIC_SERVICE_DPS, AIC_OPERATION_DEVICE, NULL, 1, 0,
                                  "5", 0, 0, &r),
                 AIC_OK);
    CHECK(r.action == AIC_ACTION_RETRY && r.has_delay && r.delay_ms == 5000);
    CHECK(r.retry_after == AIC_RETRY_AFTER_HONORED && r.retry_after_honored);
    CHECK(r.pace == AIC_PACE_THROTTLED && r.service == AIC_SERVICE_DPS && r.attempt == 1);
    CHECK(r.budget_spent == AIC_BUDGET_NONE);
    CHECK_STR(r.rule, "dps-429");
    CHECK(strstr(r.reason, "DPS is throttling") == r.reason);
    CHECK(r.basis != NULL && r.basis[0] != '\0');
    CHECK(r.row != NULL && r.row->number == 429 && r.row->catalogue == AIC_CATALOGUE_HTTP_STATUS);
    /* The same from a DPS response topic. */
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 429, NULL, AIC_SERVICE_DPS, AIC_OPERATION_DEVICE, NULL, 1, 0,
                                  "$dps/registrations/res/429/?$rid=1&retry-after=3", 0, 0, &r),
                 AIC_OK);
    CHECK(r.delay_ms == 3000 && r.retry_after_honored);
    /* An unreadable Retry-After is ignored: jittered backoff of 10-15 s. */
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 429, NULL, AIC_SERVICE_DPS, AIC_OPERATION_DEVICE, NULL, 1, 0,
                                  "later", 0, 0, &r),
                 AIC_OK);
    CHECK(r.retry_after == AIC_RETRY_AFTER_INVALID && !r.retry_after_honored);
    CHECK(r.has_delay && r.delay_ms >= 10000 && r.delay_ms <= 15000);
    /* An IoT Central sub-error refines a 401: an operator must act; no delay. */
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 401, NULL, AIC_SERVICE_IOT_CENTRAL, AIC_OPERATION_DEVICE,
                                  "DEVICE_BLOCKED", 1, 0, NULL, 0, 0, &r),
                 AIC_OK);
    CHECK(r.action == AIC_ACTION_OPERATOR_ACTION && !r.has_delay && r.delay_ms == 0 && r.pace == AIC_PACE_NONE);
    /* DPS 404 for a device: re-register after 1-1.5 s. */
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 404, NULL, AIC_SERVICE_DPS, AIC_OPERATION_DEVICE, NULL, 1, 0,
                                  NULL, 0, 7, &r),
                 AIC_OK);
    CHECK(r.action == AIC_ACTION_RE_REGISTER && r.delay_ms >= 1000 && r.delay_ms <= 1500);
    /* The attempt budget: attempt 10 of a 503 gives up. */
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 503, NULL, AIC_SERVICE_ANY, AIC_OPERATION_DEVICE, NULL, 10,
                                  0, NULL, 0, 0, &r),
                 AIC_OK);
    CHECK(r.action == AIC_ACTION_GIVE_UP && r.budget_spent == AIC_BUDGET_ATTEMPTS && !r.has_delay);
    /* Text outcomes, Device Update outcomes. */
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_DPS_REGISTRATION_STATUS, 0, "assigning", AIC_SERVICE_ANY,
                                  AIC_OPERATION_DEVICE, NULL, 1, 0, NULL, 0, 0, &r),
                 AIC_OK);
    CHECK(r.action == AIC_ACTION_STATUS_LOOKUP || r.action == AIC_ACTION_RETRY);
    CHECK(r.pace == AIC_PACE_POLL && r.delay_ms >= 2000 && r.delay_ms <= 3000 && r.service == AIC_SERVICE_DPS);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_DU_RESULT_CODE, 700, NULL, AIC_SERVICE_ANY, AIC_OPERATION_DEVICE, NULL, 1,
                                  0, NULL, 0, 0, &r),
                 AIC_OK);
    CHECK(r.action == AIC_ACTION_NONE && r.service == AIC_SERVICE_DEVICE_UPDATE);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_DU_EXTENDED_RESULT_CODE, -803667564, NULL, AIC_SERVICE_ANY,
                                  AIC_OPERATION_DEVICE, NULL, 1, 0, NULL, 0, 0, &r),
                 AIC_OK);
    CHECK(r.action == AIC_ACTION_OPERATOR_ACTION);
    CHECK_STR(r.rule, "du-erc");

    /* Bad arguments: statuses, and the decision cleared. */
    memset(&r, 0xA5, sizeof r);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 70000, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 0, &r),
                 AIC_ERR_OUT_OF_RANGE);
    CHECK(r.action == AIC_ACTION_NONE && !r.has_delay && r.rule == NULL && r.reason == NULL && r.row == NULL);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_MQTT_CONNACK, 256, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 0, &r),
                 AIC_ERR_OUT_OF_RANGE);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_AUTH_SUBERROR, 0, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 0, &r),
                 AIC_ERR_NULL_ARGUMENT);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_AUTH_SUBERROR, 0, "NO_SUCH", AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 0,
                                  &r),
                 AIC_ERR_NOT_FOUND);
    CHECK_STATUS(aic_retry_decide(99, 0, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 0, &r), AIC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 429, NULL, 4, 0, NULL, 1, 0, NULL, 0, 0, &r),
                 AIC_ERR_UNKNOWN_SERVICE);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 429, NULL, AIC_SERVICE_ANY, 2, NULL, 1, 0, NULL, 0, 0, &r),
                 AIC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 401, NULL, AIC_SERVICE_ANY, 0, "4002", 1, 0, NULL, 0, 0, &r),
                 AIC_ERR_OUT_OF_RANGE);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 429, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, "5\xff", 0, 0, &r),
                 AIC_ERR_INVALID_UTF8);
    CHECK_STATUS(aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 429, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 0, NULL),
                 AIC_ERR_NULL_ARGUMENT);

    /* The schedule: the delays that follow if every attempt fails the same way (iotcode retry's "next"). */
    memset(steps, CANARY, sizeof steps);
    CHECK_STATUS(aic_retry_next_delays(AIC_OUTCOME_HTTP_STATUS, 429, NULL, AIC_SERVICE_DPS, AIC_OPERATION_DEVICE, NULL,
                                       1, 0, "5", 0, 0, steps, AIC_RETRY_MAX_STEPS, &count),
                 AIC_OK);
    CHECK(count >= 1 && count <= AIC_RETRY_MAX_STEPS);
    CHECK(steps[0].attempt == 2 && steps[0].action == AIC_ACTION_RETRY && steps[0].has_delay);
    CHECK(steps[0].delay_ms == 28833); /* iotcode retry 429 --service dps --retry-after 5 --json (seed 0) */
    CHECK(steps[count - 1].action == AIC_ACTION_GIVE_UP && !steps[count - 1].has_delay);
    for (k = 1; k < count; k++) {
        CHECK(steps[k].attempt == steps[k - 1].attempt + 1);
    }
    {
        const unsigned char *bytes = (const unsigned char *)&steps[count];
        int clean = 1;
        for (k = 0; k < sizeof steps - count * sizeof steps[0]; k++) {
            clean &= bytes[k] == CANARY;
        }
        CHECK(clean); /* nothing written past count */
    }
    /* Polling an assignment: the attempt budget ends it after exactly AIC_RETRY_MAX_STEPS steps. */
    CHECK_STATUS(aic_retry_next_delays(AIC_OUTCOME_DPS_REGISTRATION_STATUS, 0, "assigning", AIC_SERVICE_ANY,
                                       AIC_OPERATION_DEVICE, NULL, 1, 0, NULL, 0, 0, steps, AIC_RETRY_MAX_STEPS + 2,
                                       &count),
                 AIC_OK);
    CHECK(count == AIC_RETRY_MAX_STEPS && steps[count - 1].action == AIC_ACTION_GIVE_UP);
    /* Small arrays: the first capacity steps, no more. */
    memset(steps, CANARY, sizeof steps);
    CHECK_STATUS(aic_retry_next_delays(AIC_OUTCOME_DPS_REGISTRATION_STATUS, 0, "assigning", AIC_SERVICE_ANY,
                                       AIC_OPERATION_DEVICE, NULL, 1, 0, NULL, 0, 0, steps, 2, &count),
                 AIC_OK);
    CHECK(count == 2 && steps[0].attempt == 2 && steps[1].attempt == 3);
    CHECK(((const unsigned char *)&steps[2])[0] == CANARY);
    CHECK_STATUS(aic_retry_next_delays(AIC_OUTCOME_HTTP_STATUS, 503, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 0,
                                       NULL, 0, &count),
                 AIC_OK);
    CHECK(count == 0);
    /* A decision that does not wait has no next steps. */
    CHECK_STATUS(aic_retry_next_delays(AIC_OUTCOME_HTTP_STATUS, 400, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 0,
                                       steps, AIC_RETRY_MAX_STEPS, &count),
                 AIC_OK);
    CHECK(count == 0);
    count = 99;
    CHECK_STATUS(aic_retry_next_delays(AIC_OUTCOME_HTTP_STATUS, 503, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 0,
                                       NULL, 3, &count),
                 AIC_ERR_NULL_ARGUMENT);
    CHECK(count == 0);
    CHECK_STATUS(aic_retry_next_delays(AIC_OUTCOME_HTTP_STATUS, 503, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 0,
                                       steps, 3, NULL),
                 AIC_ERR_NULL_ARGUMENT);
    count = 99;
    CHECK_STATUS(aic_retry_next_delays(AIC_OUTCOME_HTTP_STATUS, -1, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 0,
                                       steps, 3, &count),
                 AIC_ERR_OUT_OF_RANGE);
    CHECK(count == 0);
}

/* Every buffer size from 0 to the whole document: snprintf semantics, nothing written past size. */
static void check_json_sizes(const char *input, aic_status final_status) {
    enum { CANARY = 0x5A, SLACK = 16 };
    size_t needed = 0;
    size_t size;
    char *whole;
    char *buf;
    CHECK_STATUS(aic_decode_json(input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 0, NULL, 0, &needed),
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
        CHECK_STATUS(aic_decode_json(input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 0, whole,
                                     needed + 1, &again),
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
        CHECK_STATUS(
            aic_decode_json(input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 0, buf, size, &got), want);
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

/* aic_decode_json with the usual arguments, into buf. */
static aic_status json_into(const char *input, uint32_t catalogue, char *buf, size_t size, size_t *needed) {
    return aic_decode_json(input, catalogue, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 0, buf, size, needed);
}

static void test_decode_json(void) {
    static char buf[65536];
    size_t needed = 0;
    size_t again = 0;
    check_json_sizes("401002", AIC_OK);
    check_json_sizes("0x30501028", AIC_OK);
    check_json_sizes("999", AIC_ERR_NOT_FOUND);
    check_json_sizes("4o4", AIC_ERR_MALFORMED);
    check_json_sizes("\xc3\xa9" "404", AIC_ERR_NOT_FOUND); /* non-ASCII: cuts fall inside characters */

    CHECK_STATUS(json_into("404001", AIC_CATALOGUE_ANY, buf, sizeof buf, &needed), AIC_OK);
    CHECK(strstr(buf, "\"input\":\"404001\"") != NULL);
    CHECK(strstr(buf, "\"name\":\"DeviceNotFound\"") != NULL);
    CHECK(strstr(buf, "\"catalogue\":\"service-error\"") != NULL);
    CHECK(strstr(buf, "\"retry\":{\"action\":") != NULL);
    CHECK(strstr(buf, "\"error\"") == NULL);
    CHECK_STATUS(json_into("999", AIC_CATALOGUE_ANY, buf, sizeof buf, &needed), AIC_ERR_NOT_FOUND);
    CHECK(strstr(buf, "\"matches\":[]") != NULL);
    CHECK(strstr(buf, "\"kind\":\"not-found\"") != NULL);
    CHECK(strstr(buf, "cannot decode \\\"999\\\"") != NULL); /* the message names the input */
    CHECK_STATUS(json_into("404001", AIC_CATALOGUE_AUTH_SUBERROR, buf, sizeof buf, &needed), AIC_ERR_NOT_FOUND);
    /* Device Update fields and the retry decision of each match. */
    CHECK_STATUS(json_into("0x30501028", AIC_CATALOGUE_ANY, buf, sizeof buf, &needed), AIC_OK);
    CHECK(strstr(buf, "\"hex\":\"0x30501028\"") != NULL);
    CHECK(strstr(buf, "\"exit_code\":40") != NULL);
    CHECK(strstr(buf, "\"pattern\":\"EXIT_CODE_SCRIPT\"") != NULL);
    CHECK(strstr(buf, "\"component\":{\"code\":5,\"name\":\"ADUC_CONTENT_HANDLER_SCRIPT\"}") != NULL);
    CHECK(strstr(buf, "\"retry\":{\"action\":") != NULL);
    /* The agent version narrows; the seed moves the jitter, deterministically. */
    CHECK_STATUS(aic_decode_json("-536870781", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_0_7_0, 0, buf,
                                 sizeof buf, &needed),
                 AIC_OK);
    CHECK(strstr(buf, "\"layout\":\"legacy\"") != NULL && strstr(buf, "\"layout\":\"current\"") == NULL);
    {
        static char other[65536];
        CHECK_STATUS(aic_decode_json("503", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 1, buf,
                                     sizeof buf, &needed),
                     AIC_OK);
        CHECK_STATUS(aic_decode_json("503", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 1, other,
                                     sizeof other, &again),
                     AIC_OK);
        CHECK(needed == again && strcmp(buf, other) == 0);
        CHECK_STATUS(aic_decode_json("503", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 2, other,
                                     sizeof other, &again),
                     AIC_OK);
        CHECK(strcmp(buf, other) != 0);
    }

    /* Argument errors: no document, "" in the buffer, needed 0. */
    memset(buf, 'x', sizeof buf);
    needed = 99;
    CHECK_STATUS(json_into(NULL, AIC_CATALOGUE_ANY, buf, sizeof buf, &needed), AIC_ERR_NULL_ARGUMENT);
    CHECK(buf[0] == '\0' && needed == 0);
    memset(buf, 'x', sizeof buf);
    needed = 99;
    CHECK_STATUS(json_into("\xff", AIC_CATALOGUE_ANY, buf, sizeof buf, &needed), AIC_ERR_INVALID_UTF8);
    CHECK(buf[0] == '\0' && needed == 0);
    CHECK_STATUS(json_into("404", 99, buf, sizeof buf, &needed), AIC_ERR_UNKNOWN_CATALOGUE);
    CHECK(buf[0] == '\0' && needed == 0);
    CHECK_STATUS(aic_decode_json("404", AIC_CATALOGUE_ANY, 99, AIC_AGENT_VERSION_ANY, 0, buf, sizeof buf, &needed),
                 AIC_ERR_UNKNOWN_SERVICE);
    memset(buf, 'x', sizeof buf);
    needed = 99;
    CHECK_STATUS(aic_decode_json("404", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, 99, 0, buf, sizeof buf, &needed),
                 AIC_ERR_INVALID_ARGUMENT);
    CHECK(buf[0] == '\0' && needed == 0);
    memset(buf, 'x', sizeof buf);
    CHECK_STATUS(json_into("404", AIC_CATALOGUE_ANY, buf, sizeof buf, NULL), AIC_ERR_NULL_ARGUMENT);
    CHECK(buf[0] == '\0');
    needed = 99;
    CHECK_STATUS(json_into("404", AIC_CATALOGUE_ANY, NULL, 10, &needed), AIC_ERR_NULL_ARGUMENT);
    CHECK(needed == 0);
    CHECK_STATUS(json_into(NULL, AIC_CATALOGUE_ANY, NULL, 0, NULL), AIC_ERR_NULL_ARGUMENT);
}

/* aic_decode_payload_json with the default narrowing, no Retry-After. */
static aic_status payload_into(const char *input, size_t len, char *buf, size_t size, size_t *needed) {
    return aic_decode_payload_json((const uint8_t *)input, len, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY,
                                   AIC_AGENT_VERSION_ANY, 0, NULL, 0, buf, size, needed);
}

/* Every buffer size from 0 to the whole document: snprintf semantics, nothing written past size. */
static void check_payload_sizes(const char *input, aic_status final_status) {
    enum { CANARY = 0x5A, SLACK = 16 };
    size_t len = strlen(input);
    size_t needed = 0;
    size_t size;
    char *whole;
    char *buf;
    CHECK_STATUS(payload_into(input, len, NULL, 0, &needed), AIC_ERR_BUFFER_TOO_SMALL);
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
        CHECK_STATUS(payload_into(input, len, whole, needed + 1, &again), final_status);
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
        CHECK_STATUS(payload_into(input, len, buf, size, &got), want);
        CHECK(got == needed);
        for (k = size; k < needed + 1 + SLACK; k++) {
            clean &= (unsigned char)buf[k] == CANARY;
        }
        CHECK(clean); /* nothing past size */
        if (size > 0) {
            size_t n = strnlen(buf, size);
            CHECK(n < size);                      /* NUL-terminated inside the buffer */
            CHECK(memcmp(buf, whole, n) == 0);    /* a prefix of the document */
            CHECK(n + 4 >= size || n == needed);  /* at most a partial UTF-8 character is dropped */
        }
    }
    free(whole);
    free(buf);
}

static const char DPS_ERROR[] =
    "{\"errorCode\":401002,\"trackingId\":\"0f0e0d0c-0b0a-0908-0706-050403020100\","
    "\"message\":\"Invalid certificate \xc3\xa9\",\"timestampUtc\":\"2025-01-02T03:06:00Z\"}";

static void test_decode_payload_json(void) {
    static char buf[65536];
    static char other[65536];
    size_t needed = 0;
    size_t again = 0;
    const char *topic = "$dps/registrations/res/429/?$rid=1&retry-after=3";
    const char *pasted = "[ERROR] [DeviceId: d1] [TemplateId: t1]  Invalid JSON format.";

    check_payload_sizes(DPS_ERROR, AIC_OK);
    check_payload_sizes("{\"errorCode\": 4", AIC_ERR_TRUNCATED);
    check_payload_sizes(pasted, AIC_OK);

    /* A DPS error body: the payload's kind, context, codes and decision; every meaning with its decision. */
    CHECK_STATUS(payload_into(DPS_ERROR, strlen(DPS_ERROR), buf, sizeof buf, &needed), AIC_OK);
    CHECK(needed == strlen(buf));
    CHECK(strstr(buf, "\"payload\":{\"kind\":\"dps-error\",\"service\":\"dps\",\"failure\":true,") != NULL);
    CHECK(strstr(buf, "\"tracking_id\":\"0f0e0d0c-0b0a-0908-0706-050403020100\"") != NULL);
    CHECK(strstr(buf, "\"field\":\"errorCode\",\"value\":\"401002\",\"catalogue\":\"service-error\"") != NULL);
    CHECK(strstr(buf, "\"name\":\"IotHubUnauthorizedAccess\"") != NULL);
    CHECK(strstr(buf, "\"retry\":{\"action\":\"renew-credentials\"") != NULL);
    CHECK(strstr(buf, "\"error\"") == NULL);

    /* A topic's retry-after, replaced by the Retry-After header given. */
    CHECK_STATUS(payload_into(topic, strlen(topic), buf, sizeof buf, &needed), AIC_OK);
    CHECK(strstr(buf, "\"kind\":\"dps-response-topic\"") != NULL);
    CHECK(strstr(buf, "\"delay_ms\":3000") != NULL);
    CHECK_STATUS(aic_decode_payload_json((const uint8_t *)topic, strlen(topic), AIC_CATALOGUE_ANY, AIC_SERVICE_ANY,
                                         AIC_AGENT_VERSION_ANY, 0, "9", 0, buf, sizeof buf, &needed),
                 AIC_OK);
    CHECK(strstr(buf, "\"delay_ms\":9000") != NULL && strstr(buf, "\"delay_ms\":3000") == NULL);
    /* An HTTP-date Retry-After is read against now_unix. */
    CHECK_STATUS(aic_decode_payload_json((const uint8_t *)"503", 3, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY,
                                         AIC_AGENT_VERSION_ANY, 0, "Wed, 21 Oct 2015 07:28:10 GMT", 1445412480u,
                                         buf, sizeof buf, &needed),
                 AIC_OK);
    CHECK(strstr(buf, "\"delay_ms\":10000") != NULL);

    /* Pasted az iot central output: the report under "central", the causes in "matches". */
    CHECK_STATUS(payload_into(pasted, strlen(pasted), buf, sizeof buf, &needed), AIC_OK);
    CHECK(strstr(buf, "\"central\":{\"findings\":[") != NULL);
    CHECK(strstr(buf, "\"catalogue\":\"iot-central-unmodeled-cause\"") != NULL);
    /* ... unless a catalogue is asked for: then it is read as a payload (it starts with '['), which it is not. */
    CHECK_STATUS(aic_decode_payload_json((const uint8_t *)pasted, strlen(pasted), AIC_CATALOGUE_SERVICE_ERROR,
                                         AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 0, NULL, 0, buf, sizeof buf,
                                         &needed),
                 AIC_ERR_UNKNOWN_SHAPE);

    /* A code: the document aic_decode_json writes. */
    CHECK_STATUS(payload_into("401002", 6, buf, sizeof buf, &needed), AIC_OK);
    CHECK_STATUS(json_into("401002", AIC_CATALOGUE_ANY, other, sizeof other, &again), AIC_OK);
    CHECK(needed == again && strcmp(buf, other) == 0);
    CHECK_STATUS(payload_into("999", 3, buf, sizeof buf, &needed), AIC_ERR_NOT_FOUND);
    CHECK(strstr(buf, "\"matches\":[]") != NULL && strstr(buf, "\"kind\":\"not-found\"") != NULL);

    /* Input that cannot be read: the error object names the input and says where. */
    CHECK_STATUS(payload_into("{\"errorCode\": 4", 15, buf, sizeof buf, &needed), AIC_ERR_TRUNCATED);
    CHECK(strstr(buf, "\"error\":{\"kind\":\"truncated\",\"message\":\"") != NULL);
    CHECK(strstr(buf, "at line 1 column") != NULL);
    CHECK_STATUS(payload_into("{\"hello\": 1}", 12, buf, sizeof buf, &needed), AIC_ERR_UNKNOWN_SHAPE);
    CHECK_STATUS(payload_into("$dps/registrations/res/x/?$rid=1", 32, buf, sizeof buf, &needed),
                 AIC_ERR_INVALID_TOPIC);
    CHECK_STATUS(payload_into("{\"errorCode\": true}", 19, buf, sizeof buf, &needed), AIC_ERR_INVALID_FIELD);
    CHECK_STATUS(payload_into("", 0, buf, sizeof buf, &needed), AIC_ERR_EMPTY);
    /* The length is the input: bytes after it are not read, a NUL byte inside it is text. */
    CHECK_STATUS(payload_into("401002garbage", 6, buf, sizeof buf, &needed), AIC_OK);
    CHECK_STATUS(payload_into("4010\0" "02", 7, buf, sizeof buf, &needed), AIC_ERR_MALFORMED);
    /* Read, though its code is in no catalogue: AIC_OK, and the code's own error. */
    CHECK_STATUS(payload_into("{\"errorCode\": 999999}", 21, buf, sizeof buf, &needed), AIC_OK);
    CHECK(strstr(buf, "\"codes\":[{\"field\":\"errorCode\",\"value\":\"999999\"") != NULL);
    CHECK(strstr(buf, "\"kind\":\"not-found\"") != NULL);

    /* Argument errors: no document, "" in the buffer, needed 0. */
    memset(buf, 'x', sizeof buf);
    needed = 99;
    CHECK_STATUS(payload_into(NULL, 0, buf, sizeof buf, &needed), AIC_ERR_NULL_ARGUMENT);
    CHECK(buf[0] == '\0' && needed == 0);
    memset(buf, 'x', sizeof buf);
    needed = 99;
    CHECK_STATUS(payload_into("{\"message\": \"\xc3\"}", 16, buf, sizeof buf, &needed), AIC_ERR_INVALID_UTF8);
    CHECK(buf[0] == '\0' && needed == 0);
    needed = 99;
    CHECK_STATUS(aic_decode_payload_json((const uint8_t *)"503", 3, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY,
                                         AIC_AGENT_VERSION_ANY, 0, "\xff", 0, buf, sizeof buf, &needed),
                 AIC_ERR_INVALID_UTF8);
    CHECK(buf[0] == '\0' && needed == 0);
    CHECK_STATUS(payload_into("503", SIZE_MAX, buf, sizeof buf, &needed), AIC_ERR_INVALID_ARGUMENT);
    CHECK(buf[0] == '\0' && needed == 0);
    CHECK_STATUS(aic_decode_payload_json((const uint8_t *)"503", 3, 99, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 0,
                                         NULL, 0, buf, sizeof buf, &needed),
                 AIC_ERR_UNKNOWN_CATALOGUE);
    CHECK_STATUS(aic_decode_payload_json((const uint8_t *)"503", 3, AIC_CATALOGUE_ANY, 99, AIC_AGENT_VERSION_ANY, 0,
                                         NULL, 0, buf, sizeof buf, &needed),
                 AIC_ERR_UNKNOWN_SERVICE);
    CHECK_STATUS(aic_decode_payload_json((const uint8_t *)"503", 3, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, 99, 0,
                                         NULL, 0, buf, sizeof buf, &needed),
                 AIC_ERR_INVALID_ARGUMENT);
    CHECK(buf[0] == '\0' && needed == 0);
    memset(buf, 'x', sizeof buf);
    CHECK_STATUS(payload_into("503", 3, buf, sizeof buf, NULL), AIC_ERR_NULL_ARGUMENT);
    CHECK(buf[0] == '\0');
    needed = 99;
    CHECK_STATUS(payload_into("503", 3, NULL, 10, &needed), AIC_ERR_NULL_ARGUMENT);
    CHECK(needed == 0);
    CHECK_STATUS(payload_into(NULL, 0, NULL, 0, NULL), AIC_ERR_NULL_ARGUMENT);
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
            aic_decode(input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d);
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
        aic_decode(input, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d);
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
        s = aic_decode(line, AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d);
        printf("%s\t%s\t", line, aic_status_str((int)s));
        for (i = 0; i < d.count; i++) {
            /* A Device Update reading is a match of du-extended-result-code for its code, whatever its row. */
            if (d.ercs[i].is_erc) {
                printf("%s%s:%lu:%s", i ? "|" : "", aic_catalogue_str(AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE),
                       (unsigned long)d.ercs[i].code, d.rows[i]->name);
            } else {
                printf("%s%s:%s:%s", i ? "|" : "", aic_catalogue_str(d.rows[i]->catalogue), d.rows[i]->code,
                       d.rows[i]->name);
            }
        }
        printf("\n");
    }
    fclose(f);
    return 0;
}

/* Reads an id argument of --dump-json: "any", or an identifier for from_str. */
static int id_arg(const char *arg, aic_status (*from_str)(const char *, uint32_t *), uint32_t any, uint32_t *out) {
    if (strcmp(arg, "any") == 0) {
        *out = any;
        return 1;
    }
    return from_str(arg, out) == AIC_OK;
}

/* --dump-json FILE CATALOGUE SERVICE AGENT_VERSION SEED: aic_decode_json's document per line of FILE. */
static int dump_json(char **argv) {
    static char doc[1 << 20];
    FILE *f;
    char line[1024];
    uint32_t catalogue;
    uint32_t service;
    uint32_t version;
    unsigned long long seed;
    char *end;
    if (!id_arg(argv[3], aic_catalogue_from_str, AIC_CATALOGUE_ANY, &catalogue) ||
        !id_arg(argv[4], aic_service_from_str, AIC_SERVICE_ANY, &service) ||
        !id_arg(argv[5], aic_agent_version_from_str, AIC_AGENT_VERSION_ANY, &version)) {
        fprintf(stderr, "--dump-json: bad catalogue, service or agent version\n");
        return 2;
    }
    seed = strtoull(argv[6], &end, 10);
    if (*argv[6] == '\0' || *end != '\0') {
        fprintf(stderr, "--dump-json: bad seed\n");
        return 2;
    }
    f = fopen(argv[2], "r");
    if (f == NULL) {
        perror(argv[2]);
        return 2;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        size_t needed = 0;
        aic_status s;
        line[strcspn(line, "\n")] = '\0';
        s = aic_decode_json(line, catalogue, service, version, (uint64_t)seed, doc, sizeof doc, &needed);
        if (s == AIC_ERR_BUFFER_TOO_SMALL || needed == 0) {
            fprintf(stderr, "--dump-json: %s for \"%s\"\n", aic_status_str((int)s), line);
            fclose(f);
            return 1;
        }
        printf("%s\n", doc);
    }
    fclose(f);
    return 0;
}

/* --dump-payload-json FILE CATALOGUE SERVICE AGENT_VERSION SEED RETRY_AFTER NOW_UNIX: aic_decode_payload_json's
   document for every NUL-terminated input of FILE, one per line. */
static int dump_payload_json(char **argv) {
    FILE *f;
    char *text = NULL;
    size_t len = 0;
    size_t at = 0;
    uint32_t catalogue;
    uint32_t service;
    uint32_t version;
    unsigned long long seed;
    unsigned long long now;
    const char *retry_after = strcmp(argv[7], "none") == 0 ? NULL : argv[7];
    char *end;
    int status = 0;
    if (!id_arg(argv[3], aic_catalogue_from_str, AIC_CATALOGUE_ANY, &catalogue) ||
        !id_arg(argv[4], aic_service_from_str, AIC_SERVICE_ANY, &service) ||
        !id_arg(argv[5], aic_agent_version_from_str, AIC_AGENT_VERSION_ANY, &version)) {
        fprintf(stderr, "--dump-payload-json: bad catalogue, service or agent version\n");
        return 2;
    }
    seed = strtoull(argv[6], &end, 10);
    if (*argv[6] == '\0' || *end != '\0') {
        fprintf(stderr, "--dump-payload-json: bad seed\n");
        return 2;
    }
    now = strtoull(argv[8], &end, 10);
    if (*argv[8] == '\0' || *end != '\0') {
        fprintf(stderr, "--dump-payload-json: bad time\n");
        return 2;
    }
    f = fopen(argv[2], "rb");
    if (f == NULL) {
        perror(argv[2]);
        return 2;
    }
    for (;;) { /* the whole file */
        char *grown;
        size_t n;
        grown = realloc(text, len + 65536);
        if (grown == NULL) {
            fprintf(stderr, "--dump-payload-json: out of memory\n");
            free(text);
            fclose(f);
            return 2;
        }
        text = grown;
        n = fread(text + len, 1, 65536, f);
        len += n;
        if (n < 65536) {
            break;
        }
    }
    fclose(f);
    while (at < len && status == 0) {
        const char *input = text + at;
        size_t input_len = strnlen(input, len - at);
        size_t needed = 0;
        char *doc;
        aic_status s = aic_decode_payload_json((const uint8_t *)input, input_len, catalogue, service, version,
                                               (uint64_t)seed, retry_after, (uint64_t)now, NULL, 0, &needed);
        doc = needed > 0 ? malloc(needed + 1) : NULL;
        if (doc == NULL) {
            fprintf(stderr, "--dump-payload-json: %s, no document, for input at byte %lu\n", aic_status_str((int)s),
                    (unsigned long)at);
            status = 1;
            break;
        }
        s = aic_decode_payload_json((const uint8_t *)input, input_len, catalogue, service, version, (uint64_t)seed,
                                    retry_after, (uint64_t)now, doc, needed + 1, &needed);
        if (s == AIC_ERR_BUFFER_TOO_SMALL) {
            fprintf(stderr, "--dump-payload-json: the document did not fit its length\n");
            status = 1;
        } else {
            printf("%s\n", doc);
        }
        free(doc);
        at += input_len + 1;
    }
    free(text);
    return status;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--dump") == 0) {
        return dump(argv[2]);
    }
    if (argc == 7 && strcmp(argv[1], "--dump-json") == 0) {
        return dump_json(argv);
    }
    if (argc == 9 && strcmp(argv[1], "--dump-payload-json") == 0) {
        return dump_payload_json(argv);
    }
    if (argc != 1) {
        fprintf(stderr,
                "usage: %s [--dump FILE | --dump-json FILE CATALOGUE SERVICE AGENT_VERSION SEED |\n"
                "          --dump-payload-json FILE CATALOGUE SERVICE AGENT_VERSION SEED RETRY_AFTER NOW_UNIX]\n",
                argv[0]);
        return 2;
    }
    test_version();
    test_status_str();
    test_ids();
    test_rows_round_trip();
    test_catalogue_rows_errors();
    test_lookups();
    test_decode_table();
    test_device_update();
    test_decode_json();
    test_decode_payload_json();
    test_retry();
    test_threads();
    printf("library %s\n", aic_version());
    printf("test_aic: %u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
