/* The C boundary: aic_decode through the shared library, timed with CLOCK_MONOTONIC.
 * Prints one line per input: "<input>\t<ns per call>". Built and run by scripts/bench. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdint.h>
#include <time.h>
#include "azure_iot_codes.h"

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(void) {
    static const char *inputs[] = {"404001", "429", "DEVICE_DISABLED", "404 Not Found", "-536870781"};
    const long n = 1000000;
    size_t i;
    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        struct aic_decoded d;
        long k;
        unsigned long found = 0;
        double t0;
        for (k = 0; k < 10000; k++) { /* warm up */
            if (aic_decode(inputs[i], AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d) == AIC_OK) found += d.count;
        }
        t0 = now_ns();
        for (k = 0; k < n; k++) {
            if (aic_decode(inputs[i], AIC_CATALOGUE_ANY, AIC_SERVICE_ANY, AIC_AGENT_VERSION_ANY, &d) == AIC_OK) found += d.count;
        }
        printf("%s\t%.1f\t%lu\n", inputs[i], (now_ns() - t0) / (double)n, found);
    }
    return 0;
}
