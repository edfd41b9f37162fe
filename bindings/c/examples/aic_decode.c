/*
 * aic_decode: decode Azure IoT codes from C, like `iotcode decode`.
 *
 *   aic_decode [--json] [--catalogue ID] [--service ID] INPUT...
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
    fprintf(stderr, "usage: %s [--json] [--catalogue ID] [--service ID] INPUT...\n", argv0);
    return 2;
}

/* Prints the JSON document for one input; the buffer grows to the size aic_decode_json asks for. */
static aic_status print_json(const char *input, uint32_t catalogue, uint32_t service) {
    char small[256];
    size_t needed = 0;
    char *big;
    aic_status s = aic_decode_json(input, catalogue, service, small, sizeof small, &needed);
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
    s = aic_decode_json(input, catalogue, service, big, needed + 1, &needed);
    printf("%s\n", big);
    free(big);
    return s;
}

static aic_status print_text(const char *input, uint32_t catalogue, uint32_t service) {
    aic_decoded d;
    size_t i;
    aic_status s = aic_decode(input, catalogue, service, &d);
    if (s != AIC_OK) {
        fprintf(stderr, "aic_decode: cannot decode \"%s\": %s\n", input, aic_status_str((int)s));
        return s;
    }
    printf("%s: %lu meaning%s\n", input, (unsigned long)d.count, d.count == 1 ? "" : "s");
    for (i = 0; i < d.count; i++) {
        const aic_row *r = d.rows[i];
        printf("\n%lu. [%s] %s %s", (unsigned long)(i + 1), aic_catalogue_str(r->catalogue), r->code, r->name);
        if (r->http_status != 0) {
            printf("  (HTTP %lu)", (unsigned long)r->http_status);
        }
        printf("\n");
        if (r->standing != AIC_STANDING_CURRENT) {
            printf("   Standing:      %s\n", aic_standing_str(r->standing));
        }
        printf("   What happened: %s\n", r->description);
        printf("   What to do:    %s\n", r->mitigation);
        if (r->note[0] != '\0') {
            printf("   Note:          %s\n", r->note);
        }
    }
    return AIC_OK;
}

int main(int argc, char **argv) {
    uint32_t catalogue = AIC_CATALOGUE_ANY;
    uint32_t service = AIC_SERVICE_ANY;
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
            if (aic_catalogue_from_str(argv[++i], &catalogue) != AIC_OK) {
                fprintf(stderr, "unknown catalogue \"%s\"\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--service") == 0 && i + 1 < argc) {
            if (aic_service_from_str(argv[++i], &service) != AIC_OK) {
                fprintf(stderr, "unknown service \"%s\"\n", argv[i]);
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
        aic_status s = json ? print_json(argv[i], catalogue, service) : print_text(argv[i], catalogue, service);
        failed |= s != AIC_OK;
    }
    return failed ? 1 : 0;
}
