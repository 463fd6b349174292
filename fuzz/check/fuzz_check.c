/*
 * Fuzz the shipment parser (POST /api/v1/checks and `exportctl check`):
 * any bytes as a shipment.  A refusal is fine; a shipment that parses is
 * run against the real jp regime (with no index, so one with parties is
 * refused as unscreenable) and written back out, result and shipment, and
 * every byte written is read so that a bad length shows under ASan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <exportctl/check.h>
#include <exportctl/rules.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ectl_regime *jp;
static volatile unsigned sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct ectl_error err;
    if (ectl_regime_load(ECTL_FUZZ_DATA "/regimes/jp", ECTL_FUZZ_DATA "/countries.csv", &jp,
                         &err)) {
        fprintf(stderr, "fuzz setup: %s\n", err.msg);
        exit(1);
    }
    return 0;
}

static int consume(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        sink += (unsigned char)buf[i];
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ectl_check *c = NULL;
    struct ectl_error err;
    if (ectl_check_parse((const char *)data, size, &c, &err))
        return 0;
    struct ectl_check_env env = {&jp, 1, NULL, 0};
    if (ectl_check_write_shipment(c, consume, NULL, &err) == 0 &&
        ectl_check_run(c, &env, &err) == 0) {
        sink += (unsigned)ectl_check_verdict(c);
        if (ectl_check_write_result(c, 0, consume, NULL, &err))
            abort(); /* a run that succeeded must be writable */
    }
    ectl_check_free(c);
    return 0;
}
