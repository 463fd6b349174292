/*
 * Fuzz the order-book reader: the input is a whole order book, run through
 * the change impact of 2019-08-28 (Korea leaves Appended Table 3) against
 * the real jp regime, so that valid rows reach the determinations and the
 * callback.  Rejecting the book is fine; crashes, leaks and UB are not.
 */
#include "fuzz_util.h"

static struct ectl_regime *regime;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct ectl_error err;
    if (ectl_regime_load(ECTL_FUZZ_DATA "/regimes/jp", ECTL_FUZZ_DATA "/countries.csv", &regime,
                         &err))
        fuzz_die(err.msg, "");
    return 0;
}

static int on_change(void *ctx, const struct ectl_order *o, const struct ectl_determination *before,
                     const struct ectl_determination *after)
{
    (void)ctx;
    fuzz_sink += o->line + o->end_use_concern;
    fuzz_touch(o->order_id);
    fuzz_touch(o->item);
    fuzz_touch(o->destination);
    for (size_t i = 0; i < o->n_columns; i++) {
        fuzz_touch(o->names[i]);
        fuzz_touch(o->values[i]);
    }
    fuzz_touch_determination(before);
    fuzz_touch_determination(after);
    /* An order called "stop" takes the path where the caller cancels. */
    return strcmp(o->order_id, "stop") == 0;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    fuzz_sink += done + total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ectl_impact_opts opts = {
        .from = ectl_date_from_ymd(2019, 8, 27),
        .to = ectl_date_from_ymd(2019, 8, 28),
        .on_change = on_change,
        .on_progress = on_progress,
    };
    struct ectl_impact_stats stats;
    struct ectl_error err;
    if (ectl_impact_buffer(regime, (const char *)data, size, "fuzz", &opts, &stats, &err) == 0)
        fuzz_sink += stats.orders + stats.changed;
    else
        fuzz_touch(err.msg);
    return 0;
}
