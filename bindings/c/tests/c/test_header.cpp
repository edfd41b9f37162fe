// The header compiles as C++17 (g++ -std=c++17 -Wall -Wextra -Werror) and its declarations link and work from
// C++: extern "C" linkage, the enum, the structs and the macros.
#include "azure_iot_codes.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>

static_assert(std::is_enum<aic_status>::value, "aic_status is an enum");
static_assert(std::is_standard_layout<aic_row>::value && std::is_trivially_copyable<aic_row>::value,
              "aic_row is a plain C struct");
static_assert(sizeof(aic_matches::rows) / sizeof(aic_matches::rows[0]) == AIC_MATCHES_CAPACITY,
              "aic_matches holds AIC_MATCHES_CAPACITY rows");
static_assert(sizeof(aic_decoded::ercs) / sizeof(aic_decoded::ercs[0]) == AIC_MATCHES_CAPACITY,
              "aic_decoded holds one reading per match");
static_assert(std::is_standard_layout<aic_erc>::value && std::is_trivially_copyable<aic_erc>::value,
              "aic_erc is a plain C struct");
static_assert(std::is_standard_layout<aic_retry_decision>::value &&
                  std::is_trivially_copyable<aic_retry_decision>::value,
              "aic_retry_decision is a plain C struct");
static_assert(sizeof(aic_erc::hex) == 11, "hex holds 0x, 8 digits and the NUL");
static_assert(AIC_CATALOGUE_ANY == UINT32_MAX && AIC_SERVICE_ANY == UINT32_MAX && AIC_AGENT_VERSION_ANY == UINT32_MAX,
              "ANY is all ones");

int main() {
    int failed = 0;
    int checks = 0;
    static aic_decoded d{};
    checks++;
    if (aic_decode("404001", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d) != AIC_OK || d.count != 1 ||
        std::strcmp(d.rows[0]->name, "DeviceNotFound") != 0) {
        std::fprintf(stderr, "aic_decode from C++ failed\n");
        failed++;
    }
    checks++;
    if (aic_decode("0x30501028", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d) != AIC_OK ||
        !d.ercs[0].is_erc || !d.ercs[0].has_exit_code || d.ercs[0].exit_code != 40) {
        std::fprintf(stderr, "aic_decode of a Device Update code from C++ failed\n");
        failed++;
    }
    aic_retry_decision r{};
    checks++;
    if (aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 429, nullptr, AIC_SERVICE_DPS, AIC_OPERATION_DEVICE, nullptr, 1, 0,
                         "5", 0, 0, &r) != AIC_OK ||
        r.action != AIC_ACTION_RETRY || !r.has_delay || r.delay_ms != 5000) {
        std::fprintf(stderr, "aic_retry_decide from C++ failed\n");
        failed++;
    }
    aic_matches m{};
    checks++;
    if (aic_lookup_name(AIC_CATALOGUE_AUTH_SUBERROR, "device_disabled", &m) != AIC_OK || m.count != 1) {
        std::fprintf(stderr, "aic_lookup_name from C++ failed\n");
        failed++;
    }
    checks++;
    if (std::strcmp(aic_status_str(AIC_ERR_NOT_FOUND), "not-found") != 0) {
        std::fprintf(stderr, "aic_status_str from C++ failed\n");
        failed++;
    }
    static char doc[4096];
    std::size_t needed = 0;
    const char topic[] = "$dps/registrations/res/429/?$rid=1&retry-after=5";
    checks++;
    if (aic_decode_payload_json(reinterpret_cast<const std::uint8_t *>(topic), sizeof topic - 1, AIC_CATALOGUE_ANY,
                                AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 0, nullptr, 0, doc, sizeof doc,
                                &needed) != AIC_OK ||
        needed != std::strlen(doc) || std::strstr(doc, "\"delay_ms\":5000") == nullptr) {
        std::fprintf(stderr, "aic_decode_payload_json from C++ failed\n");
        failed++;
    }
    std::printf("test_header: %d passed, %d failed\n", checks - failed, failed);
    return failed == 0 ? 0 : 1;
}
