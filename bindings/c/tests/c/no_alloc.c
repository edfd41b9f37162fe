/*
 * Calls every function of the C API on good and bad input; bindings/c/test.sh runs it under valgrind and
 * requires "total heap usage: 0 allocs": the header's "no allocation" is measured, not assumed. All but
 * aic_decode_payload_json, which allocates while it decodes a payload: test.sh checks that it frees
 * everything it allocates (test_aic --dump-payload-json under valgrind).
 */
#include "azure_iot_codes.h"

#include <stddef.h>

static const char *const inputs[] = {
    "401002", "404", "0x191", "-1", "999", "4o4", "", "4294967296", "DEVICE_DISABLED", "404 Not Found",
    "waiting for approval", "\xff", "-536870781", "0x30501028", "30501028,A0000FFF", "0xD0190194", "700",
    "ADUC_ERC_NOMEM",
};

int main(void) {
    static char buf[1 << 20];
    size_t needed = 0;
    size_t count = 0;
    size_t i;
    uint32_t id = 0;
    unsigned sink = 0;
    const aic_row *rows = NULL;
    static aic_decoded d;
    aic_matches m;
    aic_erc e;
    aic_retry_decision r;
    aic_retry_step steps[AIC_RETRY_MAX_STEPS];
    uint32_t code = 0;
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
    sink += aic_agent_version_str(AIC_AGENT_VERSION_1_0_2) != NULL;
    sink += (unsigned)aic_agent_version_from_str("1.0.3", &id);
    sink += aic_du_layout_str(AIC_DU_LAYOUT_LEGACY) != NULL;
    sink += (unsigned)aic_du_result_code_is_success(700);
    sink += (unsigned)aic_du_erc_parts(0xD0190194u, AIC_AGENT_VERSION_ANY, &e);
    sink += (unsigned)aic_du_erc_parts(0xE0000083u, AIC_AGENT_VERSION_0_7_0, &e);
    sink += (unsigned)aic_du_erc_make(3, 5, 0x1028, &code);
    sink += aic_action_str(AIC_ACTION_RETRY) != NULL;
    sink += aic_retry_after_str(AIC_RETRY_AFTER_HONORED) != NULL;
    sink += aic_pace_str(AIC_PACE_POLL) != NULL;
    sink += aic_budget_str(AIC_BUDGET_ELAPSED) != NULL;
    sink += (unsigned)aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 429, NULL, AIC_SERVICE_DPS, AIC_OPERATION_DEVICE, NULL, 1,
                                       0, "Sun, 06 Nov 1994 08:49:37 GMT", 784111000, 1, &r);
    sink += (unsigned)aic_retry_decide(AIC_OUTCOME_HTTP_STATUS, 401, NULL, AIC_SERVICE_IOT_CENTRAL,
                                       AIC_OPERATION_DEVICE, "DEVICE_BLOCKED", 1, 0, NULL, 0, 1, &r);
    sink += (unsigned)aic_retry_decide(AIC_OUTCOME_DPS_REGISTRATION_STATUS, 0, "assigning", AIC_SERVICE_ANY,
                                       AIC_OPERATION_DEVICE, NULL, 1, 0, "$dps/registrations/res/202/?retry-after=3",
                                       0, 1, &r);
    sink += (unsigned)aic_retry_decide(AIC_OUTCOME_DU_EXTENDED_RESULT_CODE, -536870781, NULL, AIC_SERVICE_ANY,
                                       AIC_OPERATION_SERVICE_API, NULL, 3, 5000, "later", 0, 1, &r);
    sink += (unsigned)aic_retry_decide(99, 0, NULL, AIC_SERVICE_ANY, 0, NULL, 1, 0, NULL, 0, 1, &r);
    sink += (unsigned)aic_retry_next_delays(AIC_OUTCOME_HTTP_STATUS, 503, NULL, AIC_SERVICE_ANY, AIC_OPERATION_DEVICE,
                                            NULL, 1, 0, NULL, 0, 1, steps, AIC_RETRY_MAX_STEPS, &count);
    sink += (unsigned)aic_retry_next_delays(AIC_OUTCOME_AUTH_SUBERROR, 0, "DEVICE_DISABLED", AIC_SERVICE_ANY,
                                            AIC_OPERATION_DEVICE, NULL, 1, 0, NULL, 0, 1, steps, 2, &count);
    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        sink += (unsigned)aic_lookup_name(AIC_CATALOGUE_AUTH_SUBERROR, inputs[i], &m);
        sink += (unsigned)aic_decode(inputs[i], AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d);
        sink += (unsigned)aic_decode(inputs[i], AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE, AIC_SERVICE_ANY,
                                     AIC_AGENT_VERSION_1_0_2, &d);
        sink += (unsigned)aic_decode_json(inputs[i], AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 0, buf,
                                          sizeof buf, &needed);
        sink += (unsigned)aic_decode_json(inputs[i], AIC_CATALOGUE_ANY, AIC_SERVICE_DPS, AIC_AGENT_VERSION_0_7_0, 5,
                                          buf, 16, &needed);
        sink += (unsigned)aic_decode_json(inputs[i], AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 0, NULL,
                                          0, &needed);
    }
    return sink == 0 ? 1 : 0;
}
