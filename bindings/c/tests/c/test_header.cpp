// The header compiles as C++17 (g++ -std=c++17 -Wall -Wextra -Werror) and its declarations link and work from
// C++: extern "C" linkage, the enum, the structs and the macros.
#include "azure_iot_codes.h"

#include <cstdio>
#include <cstring>
#include <type_traits>

static_assert(std::is_enum<aic_status>::value, "aic_status is an enum");
static_assert(std::is_standard_layout<aic_row>::value && std::is_trivially_copyable<aic_row>::value,
              "aic_row is a plain C struct");
static_assert(sizeof(aic_matches::rows) / sizeof(aic_matches::rows[0]) == AIC_MATCHES_CAPACITY,
              "aic_matches holds AIC_MATCHES_CAPACITY rows");
static_assert(AIC_CATALOGUE_ANY == UINT32_MAX && AIC_SERVICE_ANY == UINT32_MAX, "ANY is all ones");

int main() {
    int failed = 0;
    aic_decoded d{};
    if (aic_decode("404001", AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, &d) != AIC_OK || d.count != 1 ||
        std::strcmp(d.rows[0]->name, "DeviceNotFound") != 0) {
        std::fprintf(stderr, "aic_decode from C++ failed\n");
        failed++;
    }
    aic_matches m{};
    if (aic_lookup_name(AIC_CATALOGUE_AUTH_SUBERROR, "device_disabled", &m) != AIC_OK || m.count != 1) {
        std::fprintf(stderr, "aic_lookup_name from C++ failed\n");
        failed++;
    }
    if (std::strcmp(aic_status_str(AIC_ERR_NOT_FOUND), "not-found") != 0) {
        std::fprintf(stderr, "aic_status_str from C++ failed\n");
        failed++;
    }
    std::printf("test_header: %d passed, %d failed\n", 3 - failed, failed);
    return failed == 0 ? 0 : 1;
}
