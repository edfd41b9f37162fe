/*
 * aic_decode: decode Azure IoT codes from C, like `iotcode decode`.
 *
 *   aic_decode [--json] [--catalogue ID] [--service ID] [--agent-version X.Y.Z] [--seed N] INPUT...
 *
 * With --json an input may also be a payload (an MQTT response topic, a DPS or IoT Hub JSON body, an
 * iothub-errorcode header, a Device Update twin, a log row, pasted az iot central output): the document is the
 * one `iotcode decode --json` prints, from aic_decode_payload_json.
 *
 * Exit status: 0 when every input decoded, 1 when at least one did not, 2 on usage errors.
 *
 * Build against an installed library (see bindings/c/README.md):
 *   cc -std=c99 aic_decode.c $(pkg-config --cflags --libs azure_iot_codes) -o aic_decode
 */
#include <azure_iot_codes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(const char *argv0) {
    fprintf(stderr, "usage: %s [--json] [--catalogue ID] [--service ID] [--agent-version X.Y.Z] [--seed N] INPUT...\n",
            argv0);
    return 2;
}

/* What the command line narrows decoding to. */
struct options {
    uint32_t catalogue;
    uint32_t service;
    uint32_t agent_version;
    uint64_t seed;
};

/* Prints the JSON document for one input (a code or a payload); the buffer grows to the size
   aic_decode_payload_json asks for. */
static aic_status print_json(const char *input, const struct options *o) {
    char small[256];
    size_t needed = 0;
    char *big;
    const uint8_t *bytes = (const uint8_t *)input;
    size_t len = strlen(input);
    aic_status s = aic_decode_payload_json(bytes, len, o->catalogue, o->service, o->agent_version, o->seed, NULL, 0,
                                           small, sizeof small, &needed);
    if (s != AIC_ERR_BUFFER_TOO_SMALL) {
        if (needed > 0) {
            printf("%s\n", small);
        } else {
            fprintf(stderr, "aic_decode: cannot decode \"%s\": %s\n", input, aic_status_str((int)s));
        }
        return s;
    }
    big = malloc(needed + 1);
    if (big == NULL) {
        fprintf(stderr, "out of memory\n");
        return AIC_ERR_INTERNAL;
    }
    s = aic_decode_payload_json(bytes, len, o->catalogue, o->service, o->agent_version, o->seed, NULL, 0, big,
                                needed + 1, &needed);
    printf("%s\n", big);
    free(big);
    return s;
}

/* The Device Update reading of a match: the parts of the code and what they carry. */
static void print_erc(const aic_erc *e) {
    printf("   Code:          %s = %ld (%s layout)\n", e->hex, (long)e->signed_code, aic_du_layout_str(e->layout));
    printf("   Facility:      %lu %s\n", (unsigned long)e->facility, e->facility_name ? e->facility_name : "(unnamed)");
    if (e->has_component) {
        printf("   Component:     %lu %s\n", (unsigned long)e->component,
               e->component_name ? e->component_name : "(unnamed)");
    }
    printf("   Value:         0x%lX\n", (unsigned long)e->value);
    if (e->has_exit_code) {
        printf("   Exit code:     %lu\n", (unsigned long)e->exit_code);
    }
    if (e->errno_row != NULL) {
        printf("   errno:         %s %s\n", e->errno_row->code, e->errno_row->name);
    }
    if (e->has_delivery_optimization) {
        printf("   DO HRESULT:    0x%08lX %s", (unsigned long)e->do_hresult, e->do_row ? e->do_row->name : "");
        if (e->do_http_status != 0) {
            printf(" (HTTP %lu)", (unsigned long)e->do_http_status);
        }
        printf("\n");
    }
}

static aic_status print_text(const char *input, const struct options *o) {
    static aic_decoded d; /* about 6.5 KB: kept off the stack */
    size_t i;
    aic_status s = aic_decode(input, o->catalogue, o->service, o->agent_version, &d);
    if (s != AIC_OK) {
        fprintf(stderr, "aic_decode: cannot decode \"%s\": %s\n", input, aic_status_str((int)s));
        return s;
    }
    printf("%s: %lu meaning%s\n", input, (unsigned long)d.count, d.count == 1 ? "" : "s");
    for (i = 0; i < d.count; i++) {
        const aic_row *r = d.rows[i];
        const aic_erc *e = &d.ercs[i];
        aic_retry_decision next;
        /* The service asked for, else the row's own (its lowest service bit), as iotcode decode does. */
        uint32_t service = o->service;
        /* A Device Update reading belongs to du-extended-result-code whatever row (named or pattern) it has. */
        uint32_t catalogue = e->is_erc ? AIC_CATALOGUE_DU_EXTENDED_RESULT_CODE : r->catalogue;
        printf("\n%lu. [%s] %s %s", (unsigned long)(i + 1), aic_catalogue_str(catalogue), e->is_erc ? e->hex : r->code,
               r->name);
        if (r->http_status != 0) {
            printf("  (HTTP %lu)", (unsigned long)r->http_status);
        }
        printf("\n");
        if (r->standing != AIC_STANDING_CURRENT) {
            printf("   Standing:      %s\n", aic_standing_str(r->standing));
        }
        printf("   What happened: %s\n", r->description);
        if (r->mitigation[0] != '\0') {
            printf("   What to do:    %s\n", r->mitigation);
        }
        if (r->note[0] != '\0') {
            printf("   Note:          %s\n", r->note);
        }
        if (service == AIC_SERVICE_ANY) {
            for (service = 0; service < 32 && !(r->services & (1u << service)); service++) {
            }
            if (service == 32) {
                service = AIC_SERVICE_ANY;
            }
        }
        if (e->is_erc) {
            print_erc(e);
            s = aic_retry_decide(AIC_OUTCOME_DU_EXTENDED_RESULT_CODE, e->code, NULL, service, AIC_OPERATION_DEVICE, NULL,
                                 1, 0, NULL, 0, o->seed, &next);
        } else if (r->code_is_number && r->catalogue <= AIC_OUTCOME_DU_DIAGNOSTICS_RESULT &&
                   r->catalogue != AIC_CATALOGUE_AUTH_SUBERROR) {
            int64_t code = r->code_is_signed ? (int64_t)r->signed_number : (int64_t)r->number;
            s = aic_retry_decide(r->catalogue, code, NULL, service, AIC_OPERATION_DEVICE, NULL, 1, 0, NULL, 0, o->seed,
                                 &next);
        } else if (r->catalogue <= AIC_OUTCOME_DPS_REGISTRATION_SUBSTATUS) {
            s = aic_retry_decide(r->catalogue, 0, r->code, service, AIC_OPERATION_DEVICE, NULL, 1, 0, NULL, 0, o->seed,
                                 &next);
        } else {
            continue; /* reference rows (errno, HRESULTs, patterns) have no retry decision of their own */
        }
        if (s == AIC_OK) {
            printf("   Next action:   %s", aic_action_str(next.action));
            if (next.has_delay) {
                printf(" after %lu ms", (unsigned long)next.delay_ms);
            }
            printf("  [%s]\n", next.rule);
        }
    }
    return AIC_OK;
}

int main(int argc, char **argv) {
    struct options o = {AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, 0};
    int json = 0;
    int failed = 0;
    int i;
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--catalogue") == 0 && i + 1 < argc) {
            if (aic_catalogue_from_str(argv[++i], &o.catalogue) != AIC_OK) {
                fprintf(stderr, "unknown catalogue \"%s\"\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--service") == 0 && i + 1 < argc) {
            if (aic_service_from_str(argv[++i], &o.service) != AIC_OK) {
                fprintf(stderr, "unknown service \"%s\"\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--agent-version") == 0 && i + 1 < argc) {
            if (aic_agent_version_from_str(argv[++i], &o.agent_version) != AIC_OK) {
                fprintf(stderr, "unknown agent version \"%s\"\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            char *end;
            o.seed = (uint64_t)strtoull(argv[++i], &end, 10);
            if (*argv[i] == '\0' || *end != '\0') {
                fprintf(stderr, "bad seed \"%s\"\n", argv[i]);
                return 2;
            }
        } else {
            return usage(argv[0]);
        }
    }
    if (i == argc) {
        return usage(argv[0]);
    }
    for (; i < argc; i++) {
        aic_status s = json ? print_json(argv[i], &o) : print_text(argv[i], &o);
        failed |= s != AIC_OK;
    }
    return failed ? 1 : 0;
}
