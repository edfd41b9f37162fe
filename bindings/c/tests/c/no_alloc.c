/*
 * Calls every function of the C API on good and bad input; bindings/c/test.sh runs it under valgrind and
 * requires "total heap usage: 0 allocs": the header's "no allocation" is measured, not assumed.
 */
#include "azure_iot_codes.h"

#include <stddef.h>

static const char *const inputs[] = {
    "401002", "404", "0x191", "-1", "999", "4o4", "", "4294967296", "DEVICE_DISABLED", "404 Not Found",
    "waiting for approval", "\xff",
};

int main(void) {
    static char buf[65536];
    size_t needed = 0;
    size_t count = 0;
    size_t i;
    uint32_t id = 0;
    unsigned sink = 0;
    const aic_row *rows = NULL;
    aic_decoded d;
    aic_matches m;
    sink += aic_version() != NULL;
    sink += aic_status_str(AIC_ERR_NOT_FOUND) != NULL;
    sink += aic_catalogue_count();
    sink += aic_catalogue_str(1) != NULL;
    sink += aic_service_str(1) != NULL;
    sink += aic_standing_str(1) != NULL;
    sink += aic_number_form_str(1) != NULL;
    sink += (unsigned)aic_catalogue_from_str("service-error", &id);
    sink += (unsigned)aic_service_from_str("dps", &id);
    sink += (unsigned)aic_catalogue_rows(AIC_CATALOGUE_SERVICE_ERROR, &rows, &count);
    sink += (unsigned)aic_lookup_number(AIC_CATALOGUE_SERVICE_ERROR, 400020, &m);
    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        sink += (unsigned)aic_lookup_name(AIC_CATALOGUE_AUTH_SUBERROR, inputs[i], &m);
        sink += (unsigned)aic_decode(inputs[i], AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, &d);
        sink += (unsigned)aic_decode_json(inputs[i], AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, buf, sizeof buf, &needed);
        sink += (unsigned)aic_decode_json(inputs[i], AIC_CATALOGUE_ANY, AIC_SERVICE_DPS, buf, 16, &needed);
        sink += (unsigned)aic_decode_json(inputs[i], AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, NULL, 0, &needed);
    }
    return sink == 0 ? 1 : 0;
}
